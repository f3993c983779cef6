from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import dates, exports, versions
from kechuang.core import permissions as core_permissions
from kechuang.core import services as core_services
from kechuang.core.models import Organisation
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.tables import Column, build_table
from kechuang.core.version_forms import VoidForm
from kechuang.enterprises import eligibility, permissions, selectors, services, tasks
from kechuang.enterprises.forms import (
    AsOfForm,
    FirmFilterForm,
    ProfileForm,
    QualificationCorrectForm,
    QualificationForm,
    RevokeForm,
    YearForm,
)
from kechuang.enterprises.models import TIER_LABELS, EnterpriseProfile, EnterpriseYear, Qualification
from kechuang.enterprises.templatetags.enterprises_tags import tier_label

FIRM_COLUMNS = [
    Column("name", "企业名称", "name"),
    Column("credit_code", "统一社会信用代码", "credit_code"),
    Column("region", "镇街", "region__code"),
    Column("industry", "行业", "industry__code"),
    Column("tier", "梯次", "tier"),
    Column("qualifications", "有效资质"),
]
# A province holds ~200k firms: past this many rows the list says "超过 N 条" instead of counting them all.
FIRM_COUNT_CAP = 10_000
EXPORT_HEADERS = ["企业名称", "统一社会信用代码", "镇街", "行业", "梯次", "有效资质", "成立日期"]


def _as_of(request) -> dt.date:
    form = AsOfForm(request.GET or None)
    return (form.cleaned_data.get("date") if form.is_valid() else None) or dates.today()


def _bureau_only(user) -> None:
    if not permissions.reads_region_lists(user):
        raise PermissionDenied


def _filtered_firms(request, action: str = "view", *, rows: bool = False):
    """The filter form, the filtered firms and the day; `rows`: the undecorated scope the list reads with
    `.values()` (`selectors.firm_scope`, the tier annotated only for a sort by tier), else `firms_for`."""
    form = FirmFilterForm(request.GET or None, region=request.user.region)
    f = form.cleaned_data if form.is_valid() else {}
    as_of = f.get("date") or dates.today()
    filters = {
        "action": action,
        "q": f.get("q", ""),
        "town": f.get("town"),
        "industry": f.get("industry"),
        "qualification": f.get("qualification", ""),
        "tier": f.get("tier"),
        "as_of": as_of,
    }
    if rows:
        by_tier = request.GET.get("sort", "").lstrip("-") == "tier"
        qs = selectors.firm_scope(request.user, **filters, with_tier=by_tier)
    else:
        qs = selectors.firms_for(request.user, **filters)
    return form, qs, as_of


@login_required
def firm_list(request):
    if not permissions.enterprises.may(request.user, "view"):
        raise PermissionDenied
    form, qs, as_of = _filtered_firms(request, rows=True)
    rows = qs.values(*FIRM_ROW_FIELDS)
    table = build_table(
        request, rows, FIRM_COLUMNS, default_sort="name", count_cap=FIRM_COUNT_CAP, count_from=qs
    )
    context = {
        "form": form,
        "table": table,
        "rows": _firm_rows(list(table.rows), as_of),
        "as_of": as_of,
        "may_import": _may_import(request.user),
    }
    if permissions.enterprises.may(request.user, "export"):
        context["export_url"] = reverse("enterprises:firm_export")
    template = "enterprises/firm_list.html#rows" if request.htmx else "enterprises/firm_list.html"
    return render(request, template, context)


# The tier and the qualifications come from `selectors.ladder_of` for the page's rows.
FIRM_ROW_FIELDS = ("id", "name", "credit_code", "region_id", "region__name", "industry_id", "industry__name")


def _firm_rows(rows: list[dict], as_of: dt.date) -> list[dict]:
    """The page's `FIRM_ROW_FIELDS` rows with each firm's tier, its label and its valid qualifications' names
    (one query for the page); the template renders them."""
    ladder = selectors.ladder_of([r["id"] for r in rows], as_of, field="name")
    for r in rows:
        r["tier"], r["qualifications"] = ladder.get(r["id"], (0, []))
        r["tier_label"] = tier_label(r["tier"])
    return rows


def _may_import(user) -> bool:
    from kechuang.enterprises import imports

    return imports.ENTERPRISES.may_import(user)


@login_required
def firm_export(request):
    if not permissions.enterprises.may(request.user, "export"):
        raise PermissionDenied
    _, qs, as_of = _filtered_firms(request, action="export")
    rows = (
        [
            o.name,
            o.credit_code,
            str(o.region or ""),
            str(o.industry or ""),
            TIER_LABELS.get(o.tier, o.tier),
            "、".join(q.kind.name for q in o.current_qualifications),
            o.established_on,
        ]
        for o in qs.order_by("name", "pk")
    )
    return exports.xlsx_response(request, f"企业库_{as_of:%Y%m%d}.xlsx", EXPORT_HEADERS, rows)


def _profile_sections():
    """Templates other modules contribute to the firm profile (AppConfig.enterprise_profile_template)."""
    return [t for a in apps.get_app_configs() if (t := getattr(a, "enterprise_profile_template", None))]


def _detail_context(request, org):
    user, as_of = request.user, _as_of(request)
    return {
        "org": org,
        "profile": EnterpriseProfile.objects.filter(organisation=org)
        .select_related("hnte_field", "key_industry")
        .first(),
        "years": EnterpriseYear.objects.filter(organisation=org).order_by("-year"),
        "qualifications": selectors.qualifications_for(user, organisation=org)
        .select_related("evidence")
        .order_by("-valid_from", "-pk"),
        "tier": selectors.tier_of(org, as_of),
        "tier_labels": TIER_LABELS,
        "as_of": as_of,
        "assessment": eligibility.assess(org, as_of),
        "may_change": permissions.enterprises.allows(user, "report", org),
        "may_edit_contact": bool(core_permissions.organisations.editable_fields(user, org)),
        "may_record": permissions.qualifications.may(user, "create"),
        "sections": _profile_sections(),
    }


def _firm_with_region():
    """The firm with its town's ancestors (the page shows the full region name) and industry, in one query."""
    return Organisation.objects.select_related("region__parent__parent__parent", "industry")


@login_required
def firm_detail(request, pk: int):
    org = get_object_or_404_for(permissions.enterprises, request.user, "view", qs=_firm_with_region(), pk=pk)
    return render(request, "enterprises/firm_detail.html", _detail_context(request, org))


@login_required
def mine(request):
    """我的企业: an enterprise user's own firm, its data and self-assessment."""
    if not permissions.has_own_firm(request.user):
        raise Http404("没有关联的企业。")
    org = get_object_or_404_for(
        permissions.enterprises, request.user, "view", qs=_firm_with_region(), pk=request.user.organisation_id
    )
    return render(request, "enterprises/firm_detail.html", {**_detail_context(request, org), "is_mine": True})


@login_required
def assessment(request, pk: int):
    org = get_object_or_404_for(permissions.enterprises, request.user, "view", pk=pk)
    as_of = _as_of(request)
    context = {"org": org, "assessment": eligibility.assess(org, as_of), "as_of": as_of}
    template = "enterprises/firm_detail.html#assessment" if request.htmx else "enterprises/assessment.html"
    return render(request, template, context)


@login_required
def profile_edit(request, pk: int):
    org = get_object_or_404_for(permissions.enterprises, request.user, "report", pk=pk)
    profile = EnterpriseProfile.objects.filter(organisation=org).first() or EnterpriseProfile(
        organisation=org
    )
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.profile_update(
                actor=request.user, organisation=org, expected_version=form.cleaned_data["version"], **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "企业画像已保存。")
            return redirect(_back(request, org))
    context = {"form": form, "org": org, "title": "编辑企业画像", "back": _back(request, org)}
    return render(request, "enterprises/form.html", context)


@login_required
def year_edit(request, pk: int, year: int | None = None):
    org = get_object_or_404_for(permissions.enterprises, request.user, "report", pk=pk)
    row = EnterpriseYear.objects.filter(organisation=org, year=year).first() if year else None
    if year and row is None:
        raise Http404
    form = YearForm(request.POST or None, instance=row or EnterpriseYear(organisation=org))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        try:
            services.enterprise_year_save(
                actor=request.user,
                organisation=org,
                year=row.year if row else form.cleaned_data["year"],
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "年度财务数据已保存。")
            return redirect(_back(request, org))
    title = f"{year}年度财务数据" if year else "新增年度财务数据"
    context = {"form": form, "org": org, "title": title, "back": _back(request, org)}
    return render(request, "enterprises/form.html", context)


def _back(request, org) -> str:
    if permissions.has_own_firm(request.user):
        return reverse("enterprises:mine")
    return reverse("enterprises:firm_detail", args=[org.pk])


@login_required
def qualification_add(request, pk: int):
    org = get_object_or_404_for(permissions.enterprises, request.user, "view", pk=pk)
    if not permissions.qualifications.allows_create(request.user, organisation=org):
        raise PermissionDenied
    form = QualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("evidence")
        try:
            with core_services.attachments_atomic():  # a refused qualification keeps no evidence file
                if upload:
                    data["evidence"] = core_services.attachment_store(
                        actor=request.user,
                        data=upload.read(),
                        original_name=upload.name,
                        kind="qualification_evidence",
                        organisation=org,
                    )
                services.qualification_record(actor=request.user, organisation=org, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "资质已登记。")
            return redirect("enterprises:firm_detail", pk=org.pk)
    return render(
        request, "enterprises/form.html", {"form": form, "org": org, "title": "登记资质", "multipart": True}
    )


@login_required
def qualification_revoke(request, pk: int, qpk: int):
    qual = get_object_or_404_for(
        permissions.qualifications, request.user, "change", pk=qpk, organisation_id=pk
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_revoke(actor=request.user, qualification=qual, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "资质已撤销。")
            return redirect("enterprises:firm_detail", pk=pk)
    title = f"撤销资质：{qual}"
    return render(request, "enterprises/form.html", {"form": form, "org": qual.organisation, "title": title})


@login_required
def qualification_detail(request, pk: int, qpk: int):
    """A qualification's versions (更正, 撤销, 作废 each add one) and, for staff, the 作废 / 更正 forms."""
    qs = Qualification.versions.select_related("kind", "organisation", "field", "changed_by")
    qual = get_object_or_404_for(
        permissions.qualifications, request.user, "view", qs=qs, pk=qpk, organisation_id=pk
    )
    live = qual if qual.version_of_id is None else qual.version_of
    open_ = qual.pk == live.pk and not live.voided  # the forms act on the live row, from its own page
    may_void = open_ and permissions.qualifications.allows(request.user, "void", live)
    may_correct = open_ and permissions.qualifications.allows(request.user, "correct", live)
    void_form = VoidForm(request.POST if request.POST.get("action") == "void" else None)
    correct_form = QualificationCorrectForm(request.POST if request.POST.get("action") == "correct" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if not {"void": may_void, "correct": may_correct}.get(action):
            raise PermissionDenied
        form = void_form if action == "void" else correct_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "void":
                    services.qualification_void(
                        actor=request.user, qualification=live, reason=data["reason"], on=data["on"]
                    )
                else:
                    services.qualification_correct(
                        actor=request.user, qualification=live, reason=data["reason"], on=data["on"],
                        **form.changes(),
                    )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request, "资质已作废。" if action == "void" else "资质已更正，原记录保留为历史版本。"
                )
                return redirect("enterprises:qualification_detail", pk=pk, qpk=live.pk)
    context = {
        "qual": qual,
        "live": live,
        "org": qual.organisation,
        "history": versions.history(qual).select_related("changed_by", "kind"),
        "may_void": may_void,
        "may_correct": may_correct,
        "void_form": void_form,
        "correct_form": correct_form,
    }
    return render(request, "enterprises/qualification_detail.html", context)


@login_required
def ladder(request):
    _bureau_only(request.user)
    as_of = _as_of(request)
    firms = selectors.firms_in_region(request.user.region)
    start = dt.date(as_of.year - 1, 12, 31)  # 年初 = 上年末
    ups, downs = selectors.ladder_movers(firms, start=start, end=as_of)
    context = {
        "form": AsOfForm(request.GET or None),
        "as_of": as_of,
        "start": start,
        "counts": selectors.ladder_counts(firms, as_of),
        "counts_start": {c.tier: c.count for c in selectors.ladder_counts(firms, start)},
        "ups": ups,
        "downs": downs,
        "tier_labels": TIER_LABELS,
    }
    return render(request, "enterprises/ladder.html", context)


@login_required
def pipeline(request):
    _bureau_only(request.user)
    as_of = _as_of(request)
    firms = selectors.firms_in_region(request.user.region)
    context = {
        "form": AsOfForm(request.GET or None),
        "as_of": as_of,
        "hnte": selectors.pipeline_candidates(firms, kind="hnte", as_of=as_of),
        "tech_sme": selectors.pipeline_candidates(firms, kind="tech_sme", as_of=as_of),
        "expiring": selectors.hnte_expiring(firms, as_of=as_of),
        "pass_mark": eligibility.hnte_pass_mark(),
        "may_screen": permissions.may_screen(request.user),
    }
    return render(request, "enterprises/pipeline.html", context)


@login_required
@require_POST
def screening_start(request):
    if not permissions.may_screen(request.user):
        raise PermissionDenied
    job = tasks.screening_start(actor=request.user, region=request.user.region, as_of=_as_of(request))
    return redirect("core:job_status", pk=job.pk)
