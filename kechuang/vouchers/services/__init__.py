"""Writes for vouchers, support funds and prizes. Every money movement posts a ledger entry, moves the
balance rows by conditional UPDATE and records an audit event, all in one transaction.

Split by concept; import from here (`from kechuang.vouchers import services; services.voucher_issue(...)`):
  workflow     the transition tables, `transition` (compare-and-set), guards, shared money helpers
  programmes   programmes (rules as data), batches, service catalogue, providers, affiliations
  lifecycle    claim → issue → contract → delivery, reject, void
  redemptions  兑付 request, review, 公示, payout (four eyes), reversal
  funds        扶持资金 / 奖金: budget lines, allocations, instalments, reversal
  expiry       expiry releases unused amounts back to the pool
  providers    a provider's own users confirm contracts and redemptions, upload invoices (ADR 0028)
"""

from kechuang.vouchers.services.expiry import voucher_expire_due
from kechuang.vouchers.services.funds import (
    allocation_approve,
    allocation_cancel,
    allocation_propose,
    budget_line_create,
    instalment_pay,
    instalment_request,
    instalment_reverse,
)
from kechuang.vouchers.services.lifecycle import (
    contract_problem,
    eligibility_problem,
    voucher_claim,
    voucher_contract,
    voucher_deliver,
    voucher_issue,
    voucher_reject,
    voucher_void,
)
from kechuang.vouchers.services.programmes import (
    affiliation_record,
    batch_create,
    programme_create,
    programme_update,
    provider_blacklist,
    provider_register,
    provider_set_services,
    provider_vet,
)
from kechuang.vouchers.services.providers import (
    INVOICEABLE,
    provider_account,
    provider_confirm_contract,
    provider_confirm_redemption,
    provider_invite,
    provider_invoice_upload,
    provider_invoiced,
)
from kechuang.vouchers.services.redemptions import (
    invoiced_total,
    redemption_close_publicity,
    redemption_pay,
    redemption_request_payout,
    redemption_reverse,
    redemption_review,
    redemption_submit,
)
from kechuang.vouchers.services.workflow import (
    ALLOCATION_FLOW,
    REDEMPTION_FLOW,
    VOUCHER_FLOW,
)

__all__ = [
    "INVOICEABLE",
    "ALLOCATION_FLOW",
    "REDEMPTION_FLOW",
    "VOUCHER_FLOW",
    "affiliation_record",
    "allocation_approve",
    "allocation_cancel",
    "allocation_propose",
    "batch_create",
    "budget_line_create",
    "contract_problem",
    "eligibility_problem",
    "instalment_pay",
    "instalment_request",
    "instalment_reverse",
    "invoiced_total",
    "programme_create",
    "programme_update",
    "provider_blacklist",
    "provider_confirm_contract",
    "provider_confirm_redemption",
    "provider_invoice_upload",
    "provider_account",
    "provider_invite",
    "provider_invoiced",
    "provider_register",
    "provider_set_services",
    "provider_vet",
    "redemption_close_publicity",
    "redemption_pay",
    "redemption_request_payout",
    "redemption_reverse",
    "redemption_review",
    "redemption_submit",
    "voucher_claim",
    "voucher_contract",
    "voucher_deliver",
    "voucher_expire_due",
    "voucher_issue",
    "voucher_reject",
    "voucher_void",
]
