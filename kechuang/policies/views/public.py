"""Public pages (no login): the policy library, the 政策计算器 and the 公示 of award batches with the
objection form; and the firm's own page (what it qualifies for, nearly qualifies for, and why)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.core import dates
from kechuang.core.models import Organisation, Region
from kechuang.core.permissions import get_object_or_404_for
from kechuang.policies import matching, permissions, rules, selectors
from kechuang.policies.forms import CalculatorForm, ObjectionForm
from kechuang.policies.services import confirmations, objections
from kechuang.policies.views.staff import apply_errors


def library(request):
    return render(
        request, "policies/library.html", {"policies": selectors.public_policies(), "on": dates.today()}
    )


def library_detail(request, pk: int):
    policy = selectors.public_policies().filter(pk=pk).first()
    if policy is None:
        raise Http404("政策不存在或未施行。")
    return render(request, "policies/library_detail.html", {"policy": policy, "on": dates.today()})


def _visitor_record(c: dict, on: dt.date) -> rules.FirmRecord:
    """What a visitor entered, as a firm record: blanks stay unknown (数据不足), never zero."""
    held = tuple(
        rules.Held(kind, on - dt.timedelta(days=365), on + dt.timedelta(days=365))
        for kind in ("hnte", "tech_sme")
        if c.get(kind)
    )
    last = {f: c.get(f) for f in ("sales_revenue", "rd_hnte", "staff")}
    town = c.get("town")
    return rules.FirmRecord(
        name="访客",
        region_path=town.path if town else "",
        town=town.name if town else "",
        facts={on.year - 1: last},
        qualifications=held,
    )


def calculator(request):
    on = dates.today()
    items = matching.active_items()
    towns = Region.objects.filter(level=Region.Level.TOWN, is_active=True).order_by("path")
    form = CalculatorForm(request.GET or None, towns=towns)
    record, source = None, ""
    if permissions.is_firm(request.user) and "manual" not in request.GET:
        org = Organisation.objects.select_related("region", "industry").get(pk=request.user.organisation_id)
        record, source = matching.load_records([org], on, items)[0], f"按{org.name}在平台登记的数据计算"
    elif form.is_bound and form.is_valid():
        record, source = (
            _visitor_record(form.cleaned_data, on),
            "按您填写的数据计算（未填写的项目显示为数据不足）",
        )
    results = []
    if record is not None:
        for item in items:
            if not record.region_path or item.applies_to(record):
                results.append((item, item.evaluate(record, on)))
        order = {"eligible": 0, "near": 1, "unknown": 2, "ineligible": 3}
        results.sort(key=lambda r: order[r[1].verdict])
    context = {
        "form": form,
        "results": results,
        "source": source,
        "is_firm": permissions.is_firm(request.user),
    }
    return render(request, "policies/calculator.html", context)


def batch_public(request, pk: int):
    batch = selectors.public_batches().filter(pk=pk).first()
    if batch is None:
        raise Http404("名单不存在或未公示。")
    awards = selectors.listed_awards(batch)
    form = ObjectionForm(request.POST or None, awards=awards)
    if request.method == "POST" and form.is_valid():
        try:
            actor = request.user if request.user.is_authenticated else None
            objection = objections.objection_submit(actor=actor, batch=batch, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"异议已受理，受理编号 {objection.receipt}，请妥善保存。")
            return redirect("policies:batch_public", pk=batch.pk)
    today = dates.today()
    open_ = batch.status == "publicity" and batch.publicity_starts_on <= today <= batch.publicity_ends_on
    return render(
        request, "policies/batch_public.html", {"batch": batch, "awards": awards, "form": form, "open": open_}
    )


@login_required
def mine(request):
    if not permissions.is_firm(request.user):
        raise PermissionDenied
    rows = selectors.firm_matches(request.user)
    groups = [(v, label, [m for m in rows if m.verdict == v]) for v, label in rules.VERDICT_LABELS.items()]
    context = {
        "groups": groups,
        "awards": selectors.firm_awards(request.user),
        "confirmed": selectors.firm_confirmed(request.user, dates.today().year),
    }
    return render(request, "policies/mine.html", context)


@login_required
@require_POST
def quick_confirm(request, pk: int):
    match = get_object_or_404_for(permissions.matches, request.user, "view", pk=pk)
    try:
        confirmations.quick_confirm(actor=request.user, match=match, on=dates.today())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已确认申请“{match.item.title}”，区科技局核实后兑现，进度将通知贵企业。")
    return redirect("policies:mine")
