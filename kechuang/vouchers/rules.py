"""Pure voucher rules over plain data (DESIGN.md convention 6): each returns None when the rule passes,
or the Chinese reason it fails, so services, pages and tests share the wording."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")
MAX_MONEY = Decimal("999999999999.99")  # the money columns: DecimalField(max_digits=14, decimal_places=2)


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}元"


def percent(value: Decimal) -> str:
    """50.00 → "50%", 12.50 → "12.5%" (never "5E+1%")."""
    return f"{value.normalize():f}%"


def covered_share(contract_amount: Decimal, share_percent: Decimal) -> Decimal:
    """The most a voucher may pay on a contract: the programme's share, rounded down to the fen."""
    return (contract_amount * share_percent / Decimal(100)).quantize(CENT, rounding=ROUND_DOWN)


def check_positive(amount: Decimal, what: str = "金额") -> str | None:
    if amount is None or not amount.is_finite() or amount <= 0:
        return f"{what}必须大于0。"
    if amount > MAX_MONEY:  # before quantize, which cannot represent 1e30 to the fen
        return f"{what}过大：最多 {MAX_MONEY:,} 元。"
    if amount != amount.quantize(CENT):
        return f"{what}最多保留两位小数（精确到分）。"
    return None


def check_cap(*, used: Decimal, amount: Decimal, cap: Decimal, year: int) -> str | None:
    if used + amount > cap:
        left = max(cap - used, Decimal(0))
        return (
            f"超过每家企业年度上限：{year}年上限{yuan(cap)}，已使用{yuan(used)}，"
            f"本次{yuan(amount)}，最多还可发放{yuan(left)}。"
        )
    return None


def check_pool(*, remaining: Decimal, amount: Decimal) -> str | None:
    if amount > remaining:
        return f"年度资金池余额不足：余额{yuan(remaining)}，本次需{yuan(amount)}。"
    return None


def check_not_future(*, on: dt.date, today: dt.date, what: str) -> str | None:
    """A contract is signed, a service delivered, on a day that has come: a later date unlocks nothing."""
    if on > today:
        return f"{what}（{on:%Y年%m月%d日}）不能晚于今天（{today:%Y年%m月%d日}）。"
    return None


def check_validity(*, valid_until: dt.date | None, on: dt.date) -> str | None:
    if valid_until is None:
        return "创新券尚未发放。"
    if on > valid_until:
        return f"创新券已于{valid_until:%Y年%m月%d日}到期，不能再使用。"
    return None


def check_share(
    *, amount: Decimal, contract_amount: Decimal, share_percent: Decimal, already: Decimal
) -> str | None:
    """A redemption may cover at most `share_percent` of the contract, counting earlier requests."""
    limit = covered_share(contract_amount, share_percent)
    if already + amount > limit:
        return (
            f"超过合同金额的补助比例：合同{yuan(contract_amount)}×{percent(share_percent)}="
            f"{yuan(limit)}，此前已申请{yuan(already)}，本次{yuan(amount)}。"
        )
    return None


def check_available(*, amount: Decimal, available: Decimal) -> str | None:
    if amount > available:
        return f"兑付金额超过创新券可用余额：可用{yuan(available)}，本次{yuan(amount)}。"
    return None


def _same_person_name(a: str, b: str) -> bool:
    """Two legal representatives' names written the same way once width and spaces are ignored."""

    def key(name: str) -> str:
        return "".join(unicodedata.normalize("NFKC", name or "").split())

    return bool(key(a)) and key(a) == key(b)


def check_affiliation(
    *,
    firm_id: int,
    provider_id: int,
    firm_code: str | None,
    provider_code: str | None,
    firm_legal_rep: str,
    provider_legal_rep: str,
    recorded: Iterable[str] = (),
) -> str | None:
    """Firm and provider must not be the same entity, share a legal representative, or have a recorded tie.

    "The same entity" compares identities — the organisation record and the 统一社会信用代码 — never
    names. The legal representatives compared are master data kept by bureau staff (a firm cannot edit
    them, `core.permissions.ORGANISATION_SELF_FIELDS`); ties staff know of are recorded as affiliations."""
    if firm_id == provider_id or (firm_code and firm_code == provider_code):
        return "服务机构与申领企业为同一单位（统一社会信用代码相同），不得签订创新券服务合同。"
    if _same_person_name(firm_legal_rep, provider_legal_rep):
        return f"服务机构与申领企业法定代表人相同（{firm_legal_rep}），存在关联关系，不得签订创新券服务合同。"
    recorded = list(recorded)
    if recorded:
        return f"服务机构与申领企业存在已登记的关联关系（{'、'.join(recorded)}），不得签订创新券服务合同。"
    return None


def check_provider_status(*, status: str, name: str, reason: str = "") -> str | None:
    if status == "blacklisted":
        return f"服务机构“{name}”已被列入黑名单（{reason}），不得承接创新券服务。"
    if status != "approved":
        return f"服务机构“{name}”尚未通过审核入库，不得承接创新券服务。"
    return None


def needs_second_person(*, amount: Decimal, threshold: Decimal | None) -> bool:
    """Issuing more than the programme's two-person threshold takes a proposer and a second confirmer."""
    return threshold is not None and amount > threshold


def check_invoices(
    *, invoice_amount: Decimal, contract_amount: Decimal, invoiced_before: Decimal
) -> str | None:
    """Partial invoices: a contract may be invoiced in parts, never beyond the contract amount."""
    if invoiced_before + invoice_amount > contract_amount:
        return (
            f"发票累计金额超过合同金额：合同{yuan(contract_amount)}，此前已开票{yuan(invoiced_before)}，"
            f"本次{yuan(invoice_amount)}。"
        )
    return None


def check_invoiced_share(
    *, amount: Decimal, invoiced: Decimal, share_percent: Decimal, already: Decimal
) -> str | None:
    """Redemptions follow the invoices: at most `share_percent` of what has been invoiced so far (this
    invoice included), counting earlier requests, so a payout never runs ahead of the invoices."""
    limit = covered_share(invoiced, share_percent)
    if already + amount > limit:
        return (
            f"超过已开票金额的补助比例：累计发票{yuan(invoiced)}×{percent(share_percent)}={yuan(limit)}，"
            f"此前已申请{yuan(already)}，本次{yuan(amount)}。"
        )
    return None
