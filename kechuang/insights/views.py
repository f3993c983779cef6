"""The firm profile, the score list with official scores, and the ladder forecast."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from kechuang.core import dates, exports, versions
from kechuang.core.permissions import get_object_or_404_for
from kechuang.enterprises.models import TIER_LABELS
from kechuang.insights import forms, permissions, sections, services
from kechuang.insights.models import FirmYearFact
from kechuang.insights.selectors import forecast as forecast_selectors
from kechuang.insights.selectors import profile as profile_selectors
from kechuang.insights.selectors import score as score_selectors
from kechuang.insights.selectors.radar import firms_of


def _when(request):
    """The date picker: (form, year, as_of) from ?year=&as_of=; a bad value is reported on the form and the
    default used (the last completed year, today)."""
    today = dates.today()
    given = {k: request.GET[k] for k in ("year", "as_of") if request.GET.get(k)}
    if "year" not in given and "as_of" in given:  # the year before the picked date's, as without a date
        given["year"] = str(int(given["as_of"][:4]) - 1) if given["as_of"][:4].isdigit() else ""
    form = forms.WhenForm({"year": today.year - 1, "as_of": today.isoformat()} | given, today=today)
    year, as_of = form.when()
    return form, year, as_of


@login_required
def profile(request, pk: int):
    org = get_object_or_404_for(permissions.profiles, request.user, "view", pk=pk)
    when, year, as_of = _when(request)
    history = profile_selectors.ladder_history(org, as_of)
    tier = history[-1][1]
    facts = profile_selectors.annual_facts(request.user, org, as_of)
    score = score_selectors.score_of(org, year, as_of)
    context = {
        "org": org,
        "when": when,
        "as_of": as_of,
        "year": year,
        "firm_year": score_selectors.firm_years([org.pk], year, as_of).get(org.pk),
        "may_report": permissions.firm_years.may_report_for(request.user, org),
        "tier": tier,
        "tier_label": TIER_LABELS.get(tier, ""),
        "history": history,
        "facts": facts,
        "trend": profile_selectors.trend_chart(facts),
        "score": score,
        "score_chart": profile_selectors.score_chart(score),
        "rung": profile_selectors.next_rung(org, tier, as_of),
        "sections": sections.profile_sections(org, request.user, as_of),
        "is_own": permissions.is_own_firm(request.user, org),
        **profile_selectors.records(request.user, org),
    }
    return render(request, "insights/profile.html", context)


@login_required
def mine(request):
    if not request.user.organisation_id or not permissions.profiles.may(request.user, "view"):
        raise Http404("没有可查看的企业画像。")
    return profile(request, request.user.organisation_id)


def _region(request):
    if not permissions.regions.may(request.user, "view") or request.user.region_id is None:
        raise PermissionDenied
    return request.user.region


@login_required
def scores(request):
    region = _region(request)
    when, year, as_of = _when(request)
    rows = score_selectors.scores_for(firms_of(region), year, as_of)
    return render(
        request,
        "insights/scores.html",
        {
            "region": region,
            "when": when,
            "year": year,
            "as_of": as_of,
            "rows": rows,
            "scheme": score_selectors.scheme(),
            "indicators": score_selectors.scheme().indicators.all(),
            "may_import": permissions.regions.allows(request.user, "import", region),
            "form": forms.OfficialScoreForm(initial={"year": year}),
        },
    )


@login_required
def official_import(request):
    region = _region(request)
    if not permissions.regions.allows(request.user, "import", region):
        raise PermissionDenied
    form = forms.OfficialScoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.official_scores_import(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"已导入官方积分 {n} 条（新增或变更）。")
            return redirect(f"{reverse('insights:scores')}?year={form.cleaned_data['year']}")
    return render(
        request, "insights/official_import.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def firm_year(request, pk: int, year: int):
    """A firm's yearly score figures: the versions kept, and the form to report them (the firm itself, or
    staff of its region); a refused value loses nothing."""
    org = get_object_or_404_for(permissions.profiles, request.user, "view", pk=pk)
    if not permissions.firm_years.may(request.user, "view"):
        raise PermissionDenied
    stored = FirmYearFact.current.filter(organisation=org, year=year).first()
    may_report = permissions.firm_years.may_report_for(request.user, org)
    form = forms.FirmYearForm(
        request.POST or None,
        instance=stored if stored and not stored.voided else None,  # voided (an undone import): start blank
        initial={"expected_version": stored.version if stored else 0},
    )
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.firm_year_set(
                    actor=request.user,
                    organisation=org,
                    year=year,
                    values={f: data[f] for f in FirmYearFact.FIGURES},
                    source=services.firm_year_source(request.user, org),
                    expected_version=data["expected_version"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已保存{year}年创新积分补充数据。")
                return redirect(f"{reverse('insights:profile', args=[org.pk])}?year={year}#firm-year")
    history = versions.history(stored).select_related("submitted_by") if stored else []
    return render(
        request,
        "insights/firm_year.html",
        {"org": org, "year": year, "form": form, "may_report": may_report, "history": history},
        status=400 if form.errors else 200,
    )


FORECAST_HEADERS = [
    "目标梯次",
    "企业",
    "统一社会信用代码",
    "当前梯次",
    "现在",
    "明年（按趋势）",
    "尚未满足的条件",
]
VERDICT = {True: "符合", None: "待定", False: "不符合"}


@login_required
def forecast(request, export=False):
    region = _region(request)
    if export and not permissions.regions.allows(request.user, "export", region):
        raise PermissionDenied
    as_of = dates.today()
    candidates, cut = forecast_selectors.forecast(firms_of(region), as_of)
    if export:
        rows = (
            [
                c.label,
                c.organisation.name,
                c.organisation.credit_code or "",
                c.tier,
                VERDICT[c.now],
                VERDICT[c.next_year],
                "、".join(c.unmet),
            ]
            for c in candidates
        )
        return exports.xlsx_response(request, f"梯次预测_{as_of:%Y%m%d}.xlsx", FORECAST_HEADERS, rows)
    groups = {}
    for c in candidates:
        groups.setdefault(c.target, []).append(c)
    return render(
        request,
        "insights/forecast.html",
        {
            "region": region,
            "as_of": as_of,
            "next_year": as_of.year + 1,
            "groups": sorted(groups.items()),
            "labels": TIER_LABELS,
            "cut": cut,
            "limit": forecast_selectors.LIMIT,
            "clamp": int(forecast_selectors.rules.CLAMP * 100),
        },
    )
