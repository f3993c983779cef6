"""Innovation vouchers' task kinds for the one to-do list (core.todos): claims and redemptions staff review,
the payout a second staff member checks (四眼), the issued voucher a firm still has to use, and a service
provider's own (ADR 0028): contracts it has not confirmed, delivered services it has not invoiced. Listed
on VouchersConfig."""

from __future__ import annotations

from django.urls import reverse

from kechuang.core.todos import Due, TaskKind
from kechuang.vouchers import permissions
from kechuang.vouchers.models import Redemption, Voucher
from kechuang.vouchers.services.providers import INVOICEABLE

R = Redemption.Status

CLAIM_REVIEW_DAYS = 10  # a claim decided (issued or refused) after it is filed
REDEMPTION_REVIEW_DAYS = 10  # a redemption reviewed after it is submitted
PUBLICITY_CLOSE_DAYS = 3  # the redemption's 公示 closed after it ends
PAYOUT_DAYS = 20  # paid out after the redemption was submitted
PROVIDER_CONFIRM_DAYS = 5  # the provider confirms a contract after it is signed
PROVIDER_INVOICE_DAYS = 10  # the provider invoices a service after it is delivered


def _voucher(record) -> str:
    return reverse("vouchers:voucher_detail", args=[getattr(record, "voucher_id", record.pk)])


def _redemption_title(r) -> str:
    return f"{r.voucher.number} {r.voucher.organisation.name}：兑付 {r.amount} 元"


_REDEMPTION_RELATED = ("voucher__organisation",)

KINDS = (
    TaskKind(
        key="vouchers.claim_review",
        label="创新券申领待审核",
        description=f"企业申领的创新券，{CLAIM_REVIEW_DAYS} 个工作日内审核发放或说明不予发放的原因",
        policy=permissions.vouchers,
        action="review",
        pending=lambda qs, ctx: qs.filter(status=Voucher.Status.CLAIMED),
        due=Due("claimed_on", CLAIM_REVIEW_DAYS),
        url=_voucher,
        title=lambda v: f"{v.number} {v.organisation.name}：申领 {v.requested_amount} 元",
        related=("organisation",),
        order=50,
    ),
    TaskKind(
        key="vouchers.redemption_review",
        label="兑付申请待审核",
        description=f"企业提交的兑付申请，{REDEMPTION_REVIEW_DAYS} 个工作日内审核",
        policy=permissions.redemptions,
        action="review",
        pending=lambda qs, ctx: qs.filter(status=R.SUBMITTED),
        due=Due("submitted_on", REDEMPTION_REVIEW_DAYS),
        url=_voucher,
        title=_redemption_title,
        related=_REDEMPTION_RELATED,
        order=51,
    ),
    TaskKind(
        key="vouchers.publicity_close",
        label="兑付公示期满待确认",
        description=f"公示已结束的兑付，期满后 {PUBLICITY_CLOSE_DAYS} 个工作日内确认公示结果",
        policy=permissions.redemptions,
        action="review",
        pending=lambda qs, ctx: qs.filter(status=R.PUBLICITY, publicity_until__lt=ctx.today),
        due=Due("publicity_until", PUBLICITY_CLOSE_DAYS),
        url=_voucher,
        title=_redemption_title,
        related=_REDEMPTION_RELATED,
        order=52,
    ),
    TaskKind(
        key="vouchers.payout_request",
        label="审核通过待申请拨付",
        description=f"审核通过的兑付，申请后 {PAYOUT_DAYS} 个工作日内拨付",
        policy=permissions.redemptions,
        action="review",
        pending=lambda qs, ctx: qs.filter(status=R.APPROVED),
        due=Due("submitted_on", PAYOUT_DAYS),
        url=_voucher,
        title=_redemption_title,
        related=_REDEMPTION_RELATED,
        order=53,
    ),
    TaskKind(
        key="vouchers.payout_check",
        label="拨付待复核",
        description="另一名工作人员申请的拨付，由您复核后拨付（四眼原则）",
        policy=permissions.redemptions,
        action="approve_payout",
        pending=lambda qs, ctx: qs.filter(status=R.PAYOUT_REQUESTED),
        due=Due("submitted_on", PAYOUT_DAYS),
        url=_voucher,
        title=_redemption_title,
        related=_REDEMPTION_RELATED,
        order=54,
    ),
    TaskKind(
        key="vouchers.use",
        label="已发放待使用的创新券",
        description="已发放的创新券，须在有效期内与服务机构签订合同",
        policy=permissions.vouchers,
        action="use",
        pending=lambda qs, ctx: qs.filter(status=Voucher.Status.ISSUED),
        due=Due("valid_until"),
        url=_voucher,
        title=lambda v: f"{v.number}：面额 {v.amount} 元",
        order=55,
    ),
    # A provider's own (the "provide" scope: the vouchers whose provider is the user's organisation).
    TaskKind(
        key="vouchers.provider_confirm",
        label="服务合同待确认",
        description=f"企业登记的与本单位签订的创新券服务合同，签订后 {PROVIDER_CONFIRM_DAYS} 个工作日内确认",
        policy=permissions.vouchers,
        action="provide",
        pending=lambda qs, ctx: qs.filter(status__in=INVOICEABLE, provider_confirmed_on__isnull=True),
        due=Due("contract_signed_on", PROVIDER_CONFIRM_DAYS),
        url=lambda v: reverse("vouchers:provided"),
        title=lambda v: f"{v.organisation.name}：合同 {v.contract_number or v.number}",
        related=("organisation",),
        order=56,
    ),
    TaskKind(
        key="vouchers.provider_invoice",
        label="服务已完成待上传发票",
        description=f"服务已完成、本单位尚未上传发票的合同，完成后 {PROVIDER_INVOICE_DAYS} 个工作日内上传",
        policy=permissions.vouchers,
        action="provide",
        pending=lambda qs, ctx: qs.filter(status=Voucher.Status.DELIVERED, provider_invoices__isnull=True),
        due=Due("delivered_on", PROVIDER_INVOICE_DAYS),
        url=lambda v: reverse("vouchers:provided"),
        title=lambda v: f"{v.organisation.name}：合同 {v.contract_number or v.number}",
        related=("organisation",),
        order=57,
    ),
)
