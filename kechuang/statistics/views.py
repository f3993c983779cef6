from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from kechuang.core import dates, indicators, versions
from kechuang.core.exports import xlsx_response
from kechuang.core.indicators import Scope
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.tables import Column, Table, build_table
from kechuang.core.version_forms import VoidForm
from kechuang.statistics import permissions, reporting, selectors, services
from kechuang.statistics.forms import (
    DeadlineForm,
    FactCorrectForm,
    FactForm,
    IndicatorFilterForm,
    RegionFactForm,
    TargetForm,
    parse_period,
)
from kechuang.statistics.models import EnterpriseFact, FactSource, RegionFact

FACT_COLUMNS = [
    Column("organisation", "企业", "organisation__name"),
    Column("period", "统计期", "year"),
    Column("town", "所在镇街（该期）", "town__code"),
    Column("rd_internal", "R&D内部支出（万元）", "rd_internal"),
    Column("has_rd_projects", "研发项目"),
    Column("industrial_output", "工业总产值（万元）", "industrial_output"),
    Column("hightech_output", "高新产值（万元）", "hightech_output"),
    Column("above_size", "规上"),
    Column("status", "状态", "status"),
    Column("source", "来源"),
    Column("reported_on", "报送日期", "reported_on"),
]


def _scope_from(request) -> tuple[IndicatorFilterForm, Scope | None]:
    """The scope asked for, limited to regions the user may see (another region is a 404)."""
    if not permissions.regions.may(request.user, "view"):
        raise PermissionDenied
    regions = selectors.regions_for(request.user)
    form = IndicatorFilterForm.bound(
        request.GET, regions=regions, default_region=request.user.region, today=dates.today()
    )
    if not form.is_valid():
        if "region" in form.errors and request.GET.get("region"):
            raise Http404("区域不存在或无权访问。")
        return form, None
    data = form.cleaned_data
    return form, Scope(data["region"], data["period"], data["as_of"])


@login_required
def indicator_table(request):
    form, scope = _scope_from(request)
    lines = reporting.lines(scope) if scope else []
    return render(request, "statistics/indicators.html", {"form": form, "scope": scope, "lines": lines})


@login_required
def drill(request, code: str):
    try:
        indicator = indicators.get(code)
    except KeyError:
        raise Http404("指标不存在。") from None
    form, scope = _scope_from(request)
    if scope is None:
        return render(
            request, "statistics/drill.html", {"form": form, "indicator": reporting.info(indicator)}
        )
    value = indicator.compute(scope)
    rows = value.rows() if value.rows else EnterpriseFact.objects.none()
    context = {"form": form, "indicator": reporting.info(indicator), "value": value, "scope": scope}
    if getattr(rows, "model", None) is RegionFact:
        context["region_facts"] = rows
    elif getattr(rows, "model", None) is EnterpriseFact:
        context["table"] = build_table(request, rows, FACT_COLUMNS, default_sort="organisation", per_page=50)
    else:  # rows from another module's indicator (qualifications, applications …)
        columns = [Column("pk", "#", "pk"), Column("item", "对象")]
        if hasattr(rows, "order_by"):
            context["table"] = build_table(request, rows, columns, default_sort="pk")
        else:  # a plain list of rows
            page = Paginator(list(rows), 50).get_page(request.GET.get("page"))
            context["table"] = Table(columns=columns, page=page, sort="", querystring=_without_page(request))
        context["generic"] = True
    template = (
        "statistics/drill.html#rows" if request.htmx and "table" in context else "statistics/drill.html"
    )
    return render(request, template, context)


EXPORT_HEADERS = [
    "企业",
    "统一社会信用代码",
    "统计期",
    "所在镇街（该期）",
    "R&D经费内部支出（万元）",
    "研发费用高企口径（万元）",
    "加计扣除额（万元）",
    "有研发项目",
    "研发项目数",
    "营业收入（万元）",
    "工业总产值（万元）",
    "高新技术产业产值（万元）",
    "规上",
    "状态",
    "来源",
    "报送日期",
]


@login_required
def export(request, code: str):
    """The rows behind one figure (or, for code "table", the whole indicator table) as xlsx."""
    form, scope = _scope_from(request)
    if scope is None or not permissions.regions.allows(request.user, "export", scope.region):
        raise Http404("区域不存在或无权访问。")
    if code == "table":
        data = reporting.as_json(scope)
        headers = [
            "指标代码",
            "指标",
            "数值",
            "单位",
            "状态",
            "目标",
            "完成率（%）",
            "定义",
            "公式",
            "口径",
            "说明",
        ]
        rows = [
            [
                d["code"],
                d["name"],
                d["value"],
                d["unit"],
                d["status_label"],
                d["target"],
                d["completion"],
                d["definition"],
                d["formula"],
                d["caliber"],
                d["note"],
            ]
            for d in data
        ]
        return xlsx_response(request, f"统计指标_{scope.region.name}_{scope.period}.xlsx", headers, rows)
    try:
        value = indicators.get(code).compute(scope)
    except KeyError:
        raise Http404("指标不存在。") from None
    rows = value.rows() if value.rows else EnterpriseFact.objects.none()
    if getattr(rows, "model", None) is not EnterpriseFact:
        return xlsx_response(request, f"{code}_{scope.period}.xlsx", ["对象"], ([str(r)] for r in rows))
    return xlsx_response(
        request,
        f"{code}_{scope.region.name}_{scope.period}.xlsx",
        EXPORT_HEADERS,
        (reporting.fact_row(f) for f in rows.iterator(chunk_size=500)),
    )


@login_required
def charts(request):
    form, scope = _scope_from(request)
    context = {"form": form, "scope": scope}
    if scope:
        context.update(
            trend=reporting.trend_option(scope.region, scope.period.year, scope.as_of),
            quarters=reporting.quarter_option(scope.region, scope.period.year, scope.as_of),
            towns=reporting.town_ranking_option(scope),
            industries=reporting.industry_ranking_option(scope),
        )
    return render(request, "statistics/charts.html", context)


@login_required
def compare(request):
    form, scope = _scope_from(request)
    context = {"form": form, "scope": scope}
    if scope:
        city, rows = reporting.city_comparison(scope)
        own = indicators.compute("rd_intensity", scope)
        city_value = indicators.compute("rd_intensity_city", scope)
        diff = indicators.compute("rd_intensity_vs_city", scope)
        context.update(city=city, rows=rows, own=own, city_value=city_value, diff=diff)
        if city:
            context["chart"] = reporting.comparison_option(city, rows, city_value.value)
    return render(request, "statistics/compare.html", context)


@login_required
def my_facts(request):
    if not permissions.may_enter_facts(request.user):
        raise PermissionDenied
    qs = selectors.facts_for(request.user)
    table = build_table(request, qs, FACT_COLUMNS, default_sort="-period")
    return render(request, "statistics/my_facts.html", {"table": table})


@login_required
def fact_edit(request):
    """The enterprise's own form for one period (?period=2020-10); creates or updates its row."""
    if not permissions.may_enter_facts(request.user):
        raise PermissionDenied
    try:
        period = parse_period(request.GET.get("period") or str(dates.today().year))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("statistics:my_facts")
    org = request.user.organisation
    instance = EnterpriseFact.objects.filter(
        organisation=org, year=period.year, quarter=period.quarter, month=period.month
    ).first()
    form = FactForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.fact_submit(
                actor=request.user,
                organisation=org,
                period=period,
                values=form.values(),
                status=form.cleaned_data["status"],
                source=FactSource.ENTERPRISE,
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{period} 统计数据已报送。")
            return redirect("statistics:my_facts")
    return render(
        request, "statistics/fact_form.html", {"form": form, "period": period, "instance": instance}
    )


@login_required
def fact_detail(request, pk: int):
    """One version of a firm's facts for a period (a drill-down may show an earlier one), every version of
    them, and — for staff of its region — the 作废 / 更正 forms (POST action=void / correct) on the live row."""
    qs = EnterpriseFact.versions.select_related(*selectors.FACT_RELATED, "changed_by", "submitted_by")
    fact = get_object_or_404_for(permissions.facts, request.user, "view", qs=qs, pk=pk)
    live = fact if fact.version_of_id is None else fact.version_of
    open_ = fact.pk == live.pk and not live.voided  # the forms act on the live row, from its own page
    may_void = open_ and permissions.facts.allows(request.user, "void", live)
    may_correct = open_ and permissions.facts.allows(request.user, "correct", live)
    void_form = VoidForm(request.POST if request.POST.get("action") == "void" else None)
    correct_form = FactCorrectForm(request.POST if request.POST.get("action") == "correct" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if not {"void": may_void, "correct": may_correct}.get(action):
            raise PermissionDenied
        form = void_form if action == "void" else correct_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "void":
                    services.fact_void(actor=request.user, fact=live, reason=data["reason"], on=data["on"])
                else:
                    services.fact_correct(
                        actor=request.user,
                        fact=live,
                        values=form.changes(),
                        reason=data["reason"],
                        on=data["on"],
                    )
            except ValidationError as exc:
                form.add_error(None, exc.messages)  # messages of fields this form may not have
            else:
                messages.success(
                    request, "已作废。" if action == "void" else "已更正，原数值保留为历史版本。"
                )
                return redirect("statistics:fact_detail", pk=live.pk)
    context = {
        "fact": fact,
        "live": live,
        "history": versions.history(fact).select_related("changed_by"),
        "may_void": may_void,
        "may_correct": may_correct,
        "void_form": void_form,
        "correct_form": correct_form,
    }
    return render(request, "statistics/fact_detail.html", context)


@login_required
def submission_calendar(request):
    if not permissions.deadlines.may(request.user, "view"):
        raise PermissionDenied
    form = DeadlineForm(request.POST or None)
    if request.method == "POST":
        if not permissions.may_set_deadlines(request.user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            services.deadline_set(
                actor=request.user,
                region=request.user.region,
                period=data["period"],
                due_on=data["due_on"],
                note=data["note"],
            )
            messages.success(request, "报送截止日期已保存。")
            return redirect("statistics:calendar")
    deadlines = selectors.deadlines_for(request.user)[:60]
    return render(
        request,
        "statistics/calendar.html",
        {
            "form": form,
            "deadlines": deadlines,
            "import_url": _import_url(),
            "may_change": permissions.may_set_deadlines(request.user),
        },
    )


@login_required
def deadline_detail(request, pk: int):
    deadline = get_object_or_404_for(permissions.deadlines, request.user, "view", pk=pk)
    if request.method == "POST":
        deadline = get_object_or_404_for(permissions.deadlines, request.user, "remind", pk=pk)
        count = services.remind_missing(actor=request.user, deadline=deadline)
        messages.success(request, f"已向 {count} 家未报送企业发送催报提醒。")
        return redirect("statistics:deadline_detail", pk=pk)
    table = build_table(
        request,
        selectors.missing_firms(deadline),
        [
            Column("name", "企业", "name"),
            Column("region", "所在镇街", "region__code"),
            Column("contact", "联系人"),
        ],
        default_sort="region",
    )
    may_remind = permissions.deadlines.allows(request.user, "remind", deadline)
    return render(
        request,
        "statistics/deadline_detail.html",
        {"deadline": deadline, "table": table, "may_remind": may_remind},
    )


def _import_url() -> str | None:
    try:
        return reverse("core:import_upload", args=["statistics"])
    except NoReverseMatch:  # the import engine's pages are not installed
        return None


@login_required
def region_facts(request):
    """Regional inputs (GDP, the city's published figures) and the bureau's targets."""
    if not permissions.regions.may(request.user, "view"):
        raise PermissionDenied
    editable = selectors.editable_regions(request.user)
    fact_form = RegionFactForm(
        request.POST if request.POST.get("action") == "fact" else None, regions=editable, prefix="f"
    )
    own = permissions.targets.regions(request.user)
    target_form = TargetForm(
        request.POST if request.POST.get("action") == "target" else None, regions=own, prefix="t"
    )
    if request.method == "POST":
        if not permissions.regions.may(request.user, "change"):
            raise PermissionDenied
        form = fact_form if request.POST.get("action") == "fact" else target_form
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if form is fact_form:  # blank amounts keep what is stored
                    data = {k: v for k, v in data.items() if v is not None}
                    services.region_fact_set(actor=request.user, **data)
                else:
                    services.target_set(actor=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("statistics:region_facts")
    targets = list(selectors.targets_for(request.user)[:200])
    for target in targets:
        target.indicator_name = selectors.indicator_name(target.indicator)
    context = {
        "facts": selectors.region_facts_for(request.user)[:200],
        "targets": targets,
        "fact_form": fact_form,
        "target_form": target_form,
        "may_change": permissions.regions.may(request.user, "change"),
    }
    return render(request, "statistics/region_facts.html", context)


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
