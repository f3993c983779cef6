"""Public pages (no login): the 公示 list and one publicity period."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from kechuang.core import dates
from kechuang.core import services as core_services
from kechuang.core.tables import Column, build_table
from kechuang.programmes import selectors, services
from kechuang.programmes.forms import ObjectionForm


def public_publicity_list(request):
    table = build_table(
        request,
        selectors.published_publicities(),
        [Column("starts_on", "公示开始", "starts_on"), Column("title", "标题")],
        default_sort="-starts_on",
        per_page=20,
    )
    return render(request, "programmes/public_publicity_list.html", {"table": table})


def public_publicity_detail(request, pk: int):
    period = get_object_or_404(selectors.published_publicities(), pk=pk)
    entries = selectors.publicity_entries(period)
    form = ObjectionForm(request.POST or None, request.FILES or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with core_services.attachments_atomic():  # a refused objection keeps no evidence file
                evidence = None
                if data["evidence"]:
                    evidence = core_services.attachment_store(
                        actor=None,
                        data=data["evidence"].read(),
                        original_name=data["evidence"].name,
                        kind="objection_evidence",
                        region=period.call.region,
                    )
                objection = services.objection_submit(
                    publicity=period,
                    name=data["name"],
                    contact=data["contact"],
                    reason=data["reason"],
                    application=data["application"],
                    evidence=evidence,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"您的异议已收到，受理回执号：{objection.receipt}。请妥善保存，"
                "可凭回执号在“异议查询”页面查看办理状态和答复。",
            )
            return redirect("programmes:public_publicity_detail", period.pk)
    today = dates.today()
    return render(
        request,
        "programmes/public_publicity_detail.html",
        {
            "period": period,
            "entries": entries,
            "form": form,
            "is_open": period.starts_on <= today <= period.ends_on,
            "contact": selectors.publicity_contact(period),
        },
    )


def public_objection_lookup(request):
    """Objectors look up the status and answer of their objection by receipt number (no account)."""
    receipt = request.GET.get("receipt", "").strip().upper()
    objection = selectors.objection_by_receipt(receipt) if receipt else None
    return render(
        request,
        "programmes/public_objection_lookup.html",
        {"receipt": receipt, "objection": objection, "searched": bool(receipt)},
    )
