"""Voucher pages: thin views (bind a form → authorise → one service → redirect or render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import dates, exports, files
from kechuang.core import services as core_services
from kechuang.core.indicators import Period
from kechuang.core.permissions import get_object_or_404_for, is_bureau_staff, is_bureau_user, is_firm_user
from kechuang.core.tables import Column, build_table
from kechuang.enterprises import selectors as enterprise_selectors
from kechuang.vouchers import forms, permissions, selectors, services
from kechuang.vouchers.models import LedgerEntry, Redemption, StatusChange

VOUCHER_COLUMNS = [
    Column("number", "券号", "number"),
    Column("organisation", "企业", "organisation__name"),
    Column("programme", "项目", "programme__name"),
    Column("status", "状态", "status"),
    Column("amount", "面额（元）", "amount"),
    Column("paid_total", "已兑付（元）", "paid_total"),
    Column("valid_until", "有效期至", "valid_until"),
]
EXPORT_HEADERS = [
    "券号",
    "企业",
    "统一社会信用代码",
    "项目",
    "状态",
    "申领金额",
    "面额",
    "可用",
    "审核中",
    "已兑付",
    "已释放",
    "发放日期",
    "有效期至",
    "服务机构",
]

REDEMPTION_HEADERS = [
    "券号",
    "企业",
    "项目",
    "服务机构",
    "申请日期",
    "兑付金额",
    "发票金额",
    "状态",
    "拨付日期",
]


def _bureau(user, policy=permissions.vouchers, action="view"):
    if not is_bureau_user(user) or not policy.may(user, action):
        raise PermissionDenied


@login_required
def programme_list(request):
    _bureau(request.user, permissions.programmes)
    qs = permissions.programmes.queryset(request.user).select_related("region")
    lines = permissions.budget_lines.queryset(request.user)
    period_form = forms.PeriodForm(request.GET or None, initial={"period": str(dates.today().year)})
    period = period_form.cleaned_data["period"] if period_form.is_valid() else Period(dates.today().year)
    context = {
        "programmes": qs,
        "lines": lines,
        "period_form": period_form,
        "period": period,
        "figures": selectors.period_figures(request.user.region, period, dates.today()),
        "may_create": permissions.programmes.allows_create(request.user),
    }
    return render(request, "vouchers/programme_list.html", context)


@login_required
def redemption_export(request):
    if not permissions.redemptions.may(request.user, "export") or not is_bureau_user(request.user):
        raise PermissionDenied
    qs = (
        permissions.redemptions.queryset(request.user, "export")
        .select_related("voucher__organisation", "voucher__programme", "voucher__provider__organisation")
        .order_by("submitted_on", "pk")
    )
    rows = (
        [
            r.voucher.number,
            r.voucher.organisation.name,
            str(r.voucher.programme),
            str(r.voucher.provider or ""),
            r.submitted_on,
            r.amount,
            r.invoice_amount,
            r.get_status_display(),
            r.paid_on,
        ]
        for r in qs
    )
    return exports.xlsx_response(request, f"创新券兑付_{dates.today():%Y%m%d}.xlsx", REDEMPTION_HEADERS, rows)


@login_required
def programme_detail(request, pk: int):
    _bureau(request.user, permissions.programmes)
    programme = get_object_or_404_for(permissions.programmes, request.user, "view", pk=pk)
    vouchers = selectors.vouchers_for(request.user, programme=programme)
    context = {
        "programme": programme,
        "chart": selectors.burn_down(programme),
        "counts": selectors.status_counts(vouchers),
        "services": programme.service_items.all(),
        "batches": programme.batches.all(),
        "may_change": is_bureau_staff(request.user)
        and permissions.programmes.allows(request.user, "change", programme),
    }
    return render(request, "vouchers/programme_detail.html", context)


def _filtered(request, action="view"):
    programmes = permissions.programmes.queryset(request.user)
    form = forms.VoucherFilterForm(request.GET or None, programmes=programmes)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.vouchers_for(
        request.user,
        action=action,
        status=f.get("status", ""),
        programme=f.get("programme"),
        q=f.get("q", ""),
    )
    return form, qs


@login_required
def voucher_list(request):
    _bureau(request.user)
    form, qs = _filtered(request)
    table = build_table(request, qs, VOUCHER_COLUMNS, default_sort="-number")
    context = {"form": form, "table": table, "counts": selectors.status_counts(qs)}
    if permissions.vouchers.may(request.user, "export"):
        context["export_url"] = reverse("vouchers:voucher_export")
    template = "vouchers/voucher_list.html#rows" if request.htmx else "vouchers/voucher_list.html"
    return render(request, template, context)


@login_required
def voucher_export(request):
    _bureau(request.user, action="export")
    _, qs = _filtered(request, action="export")
    rows = (
        [
            v.number,
            v.organisation.name,
            v.organisation.credit_code,
            str(v.programme),
            v.get_status_display(),
            v.requested_amount,
            v.amount,
            v.remaining,
            v.held,
            v.paid_total,
            v.released,
            v.issued_on,
            v.valid_until,
            str(v.provider or ""),
        ]
        for v in qs.order_by("number")
    )
    return exports.xlsx_response(request, f"创新券台账_{dates.today():%Y%m%d}.xlsx", EXPORT_HEADERS, rows)


@login_required
def voucher_detail(request, pk: int):
    voucher = get_object_or_404_for(permissions.vouchers, request.user, "view", pk=pk)
    may_change = permissions.vouchers.allows(request.user, "change", voucher)
    context = {
        "voucher": voucher,
        "redemptions": voucher.redemptions.select_related(
            "submitted_by", "reviewed_by", *Redemption.FILE_FIELDS
        ).order_by("pk"),
        "entries": voucher.entries.order_by("pk"),
        "changes": StatusChange.objects.filter(object_type="voucher", object_id=voucher.pk).select_related(
            "actor"
        ),
        "may_change": may_change,
        "firm_url": enterprise_selectors.firm_page_url(request.user, voucher.organisation),
        "is_staff": is_bureau_staff(request.user),
        "issue_form": forms.IssueForm(
            initial={"amount": voucher.issue_proposed_amount or voucher.requested_amount}
        ),
        "may_issue": voucher.issue_proposed_by_id is None
        or permissions.vouchers.allows(request.user, "review", voucher),
        "invoiced": services.invoiced_total(voucher),
        "provider_invoices": voucher.provider_invoices.select_related("file", "uploaded_by"),
        "reason_form": forms.ReasonForm(),
        "contract_form": forms.ContractForm(voucher=voucher),
        "deliver_form": forms.DeliverForm(initial={"delivered_on": dates.today()}),
        "redemption_form": forms.RedemptionForm(),
        "reverse_form": forms.ReasonForm(),
    }
    return render(request, "vouchers/voucher_detail.html", context)


def _run(request, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return False
    messages.success(request, "已办理。")
    return True


@login_required
@require_POST
def voucher_action(request, pk: int, action: str):
    voucher = get_object_or_404_for(permissions.vouchers, request.user, "change", pk=pk)
    user, today, data = request.user, dates.today(), request.POST
    if action == "issue" and (f := forms.IssueForm(data)).is_valid():
        _run(
            request,
            services.voucher_issue,
            actor=user,
            voucher=voucher,
            on=today,
            amount=f.cleaned_data["amount"],
        )
    elif action in ("reject", "void") and (f := forms.ReasonForm(data)).is_valid():
        if action == "reject":
            _run(
                request, services.voucher_reject, actor=user, voucher=voucher, reason=f.cleaned_data["reason"]
            )
        else:
            _run(
                request,
                services.voucher_void,
                actor=user,
                voucher=voucher,
                reason=f.cleaned_data["reason"],
                on=today,
                blacklist_provider=f.cleaned_data["blacklist"],
            )
    elif action == "contract" and (f := forms.ContractForm(data, voucher=voucher)).is_valid():
        _run(request, services.voucher_contract, actor=user, voucher=voucher, **f.cleaned_data)
    elif action == "deliver" and (f := forms.DeliverForm(data)).is_valid():
        _run(request, services.voucher_deliver, actor=user, voucher=voucher, **f.cleaned_data)
    elif action == "redeem":
        return redemption_submit(request, voucher)
    else:
        messages.error(request, "提交的内容不完整或有误，请检查后重新提交。")
    return redirect("vouchers:voucher_detail", voucher.pk)


def redemption_submit(request, voucher):
    form = forms.RedemptionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "兑付申请须填写金额并上传服务合同、发票、付款凭证和服务成果。")
        return redirect("vouchers:voucher_detail", voucher.pk)
    c = form.cleaned_data
    try:
        with core_services.attachments_atomic():  # a refused redemption keeps none of its files
            evidence = {
                name: core_services.attachment_store(
                    actor=request.user,
                    data=c[name].read(),
                    original_name=c[name].name,
                    kind=f"兑付-{form.fields[name].label}",
                    organisation=voucher.organisation,
                )
                for name in ("contract_file", "invoice_file", "payment_file", "output_file")
            }
            services.redemption_submit(
                actor=request.user,
                voucher=voucher,
                amount=c["amount"],
                invoice_amount=c["invoice_amount"],
                idempotency_key=c["idempotency_key"],
                on=dates.today(),
                **evidence,
            )
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, "已办理。")
    return redirect("vouchers:voucher_detail", voucher.pk)


@login_required
def redemption_file(request, pk: int, uid):
    """A redemption's contract, invoice, payment proof or output, for whoever may see the redemption."""
    return files.record_file(
        request, policy=permissions.redemptions, pk=pk, uid=uid, files_of=selectors.redemption_files
    )


@login_required
def provider_invoice_file(request, pk: int, uid):
    """An invoice the provider uploaded on the voucher, for whoever may see the voucher (firm, provider,
    bureau)."""
    return files.record_file(
        request, policy=permissions.vouchers, pk=pk, uid=uid, files_of=selectors.provider_invoice_files
    )


@login_required
def redemption_queue(request):
    if not permissions.redemptions.may(request.user, "change"):
        raise PermissionDenied
    rows = selectors.redemption_queue(request.user)
    return render(
        request, "vouchers/redemption_queue.html", {"rows": rows, "review_form": forms.ReviewForm()}
    )


@login_required
@require_POST
def redemption_action(request, pk: int, action: str):
    redemption = get_object_or_404_for(permissions.redemptions, request.user, "change", pk=pk)
    user, today = request.user, dates.today()
    if action == "review" and (f := forms.ReviewForm(request.POST)).is_valid():
        _run(
            request,
            services.redemption_review,
            actor=user,
            redemption=redemption,
            approve=f.cleaned_data["decision"] == "approve",
            on=today,
            reason=f.cleaned_data["reason"],
        )
    elif action == "close_publicity":
        _run(request, services.redemption_close_publicity, actor=user, redemption=redemption, on=today)
    elif action == "request_payout":
        _run(request, services.redemption_request_payout, actor=user, redemption=redemption)
    elif action == "pay":
        _run(request, services.redemption_pay, actor=user, redemption=redemption, on=today)
    elif action == "reverse":
        if (f := forms.ReasonForm(request.POST)).is_valid():
            reason = f.cleaned_data["reason"]
            _run(
                request,
                services.redemption_reverse,
                actor=user,
                redemption=redemption,
                reason=reason,
                on=today,
            )
        else:
            messages.error(request, "冲正必须填写原因。")
        return redirect("vouchers:voucher_detail", redemption.voucher_id)
    else:
        messages.error(request, "提交的内容不完整或有误，请检查后重新提交。")
    return redirect("vouchers:redemption_queue")


def _history(request, org, template="vouchers/firm_history.html", **extra):
    context = {
        "org": org,
        "vouchers": selectors.vouchers_for(request.user).filter(organisation=org),
        "allocations": permissions.allocations.queryset(request.user)
        .filter(organisation=org)
        .select_related("budget_line"),
        "entries": LedgerEntry.objects.filter(
            organisation=org, kind__in=["payout", "instalment", "reversal"]
        ).order_by("booked_on", "pk"),
        **extra,
    }
    return render(request, template, context)


@login_required
def firm_history(request, org_pk: int):
    from kechuang.core.permissions import organisations

    _bureau(request.user)
    org = get_object_or_404_for(organisations, request.user, "view", pk=org_pk)
    return _history(request, org)


@login_required
def mine(request):
    """我的创新券: an enterprise user's own vouchers, with the claim form."""
    user = request.user
    if not is_firm_user(user) or user.organisation_id is None:
        raise Http404("没有关联的企业。")
    programmes = permissions.programmes.queryset(user)
    form = forms.ClaimForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        ok = _run(
            request,
            services.voucher_claim,
            actor=user,
            organisation=user.organisation,
            on=dates.today(),
            **form.cleaned_data,
        )
        if ok:
            return redirect("vouchers:mine")
    return _history(request, user.organisation, "vouchers/mine.html", form=form)
