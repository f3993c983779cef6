"""Reads for the voucher pages, scoped through the policies; each list is a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from kechuang.vouchers import permissions
from kechuang.vouchers.models import (
    ZERO,
    Affiliation,
    LedgerEntry,
    Provider,
    Redemption,
    Voucher,
    VoucherProgramme,
)

K = LedgerEntry.Kind


def vouchers_for(user, *, action="view", status="", programme=None, q="") -> QuerySet[Voucher]:
    qs = permissions.vouchers.queryset(user, action).select_related(
        "programme", "organisation", "provider__organisation"
    )
    if status:
        qs = qs.filter(status=status)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if q:
        qs = qs.filter(Q(organisation__name__contains=q.strip()) | Q(number__iexact=q.strip()))
    return qs


def status_counts(qs: QuerySet[Voucher]) -> list[dict]:
    counts = {r["status"]: r for r in qs.order_by().values("status").annotate(n=Count("pk"), s=Sum("amount"))}
    return [
        {
            "status": value,
            "label": label,
            "count": counts.get(value, {}).get("n", 0),
            "amount": counts.get(value, {}).get("s") or ZERO,
        }
        for value, label in Voucher.Status.choices
    ]


def redemption_queue(user) -> QuerySet[Redemption]:
    pending = [
        Redemption.Status.SUBMITTED,
        Redemption.Status.PUBLICITY,
        Redemption.Status.APPROVED,
        Redemption.Status.PAYOUT_REQUESTED,
    ]
    return (
        permissions.redemptions.queryset(user, "change")
        .filter(status__in=pending)
        .select_related(
            "voucher__organisation",
            "voucher__programme",
            "voucher__provider__organisation",
            "payout_requested_by",
            "submitted_by",
        )
        .order_by("submitted_on", "pk")
    )


def _sum_subquery(qs, field: str):
    return Coalesce(
        Subquery(
            qs.order_by().values("provider_id").annotate(s=Sum(field)).values("s")[:1],
            output_field=DecimalField(),
        ),
        Value(ZERO),
        output_field=DecimalField(),
    )


def provider_statistics(user) -> QuerySet[Provider]:
    """Each provider with its contracts, contract total and amount paid (subqueries: no join fan-out)."""
    mine = Voucher.objects.filter(provider_id=OuterRef("pk"))
    paid = Redemption.objects.filter(voucher__provider_id=OuterRef("pk"), status=Redemption.Status.PAID)
    return (
        permissions.providers.queryset(user, "view")
        .select_related("organisation")
        .annotate(
            voucher_count=Coalesce(
                Subquery(mine.order_by().values("provider_id").annotate(n=Count("pk")).values("n")[:1]),
                Value(0),
            ),
            contract_total=_sum_subquery(mine, "contract_amount"),
            paid_total=Coalesce(
                Subquery(
                    paid.order_by().values("voucher__provider_id").annotate(s=Sum("amount")).values("s")[:1],
                    output_field=DecimalField(),
                ),
                Value(ZERO),
                output_field=DecimalField(),
            ),
        )
    )


def burn_down(programme: VoucherProgramme) -> dict:
    """Month by month: issued, released, paid, and the pool left at each month end (an ECharts option).
    The pool follows the budget entries too (top-ups and cuts during the year)."""
    kinds = [K.BUDGET, K.BUDGET_CUT, K.ISSUE, K.RELEASE, K.PAYOUT, K.REVERSAL]
    rows = (
        LedgerEntry.objects.filter(programme=programme, kind__in=kinds)
        .annotate(month=TruncMonth("booked_on"))
        .values("month", "kind")
        .annotate(s=Sum("amount"))
        .order_by("month")
    )
    months = [dt.date(programme.year, m, 1) for m in range(1, 13)]
    by: dict = {}
    for r in rows:
        month = r["month"] if isinstance(r["month"], dt.date) else r["month"].date()
        month = max(month, months[0]) if month.year <= programme.year else months[-1]
        by[(month, r["kind"])] = by.get((month, r["kind"]), 0) + r["s"]
    pool, paid, series_pool, series_paid, series_issued = Decimal(0), Decimal(0), [], [], []
    for m in months:
        pool += by.get((m, K.BUDGET), 0) - by.get((m, K.BUDGET_CUT), 0)
        pool += by.get((m, K.RELEASE), 0) - by.get((m, K.ISSUE), 0)
        paid += by.get((m, K.PAYOUT), 0) - by.get((m, K.REVERSAL), 0)
        series_pool.append(float(pool))
        series_paid.append(float(paid))
        series_issued.append(float(by.get((m, K.ISSUE), 0)))
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["资金池余额", "累计兑付", "当月发放"]},
        "xAxis": {"type": "category", "data": [f"{m.month}月" for m in months]},
        "yAxis": {"type": "value", "name": "元"},
        "series": [
            {"name": "资金池余额", "type": "line", "data": series_pool},
            {"name": "累计兑付", "type": "line", "data": series_paid},
            {"name": "当月发放", "type": "bar", "data": series_issued},
        ],
    }


def period_figures(region, period, as_of: dt.date) -> dict:
    """The money indicators for a period in `region` (the seed's “251万元” line is `total`)."""
    from kechuang.core import indicators

    scope = indicators.Scope(region=region, period=period, as_of=as_of)
    issued = indicators.compute("vouchers_issued_count", scope)
    return {
        "issued_count": issued.value,
        "issued_amount": issued.parts.get("amount", ZERO),
        "voucher_paid": indicators.compute("voucher_funds_paid", scope).value,
        "funds_paid": indicators.compute("support_funds_paid", scope).value,
        "total": indicators.compute("vouchers_and_funds_paid", scope).value,
    }


def redemption_by_key(user, key: str) -> Redemption | None:
    """The redemption already filed with this idempotency key, if the user may see it. A key used by
    someone the user may not see is reported as used without showing the request."""
    found = Redemption.objects.filter(idempotency_key=key).select_related("voucher").first()
    if found is None:
        return None
    if not permissions.redemptions.allows(user, "view", found):
        raise ValidationError("请求标识已被使用，请换一个新的请求标识。")
    return found


def affiliations_of(organisation) -> list[dict]:
    """The recorded ties of an organisation, each with the other party (one query)."""
    ties = (
        Affiliation.objects.filter(Q(organisation_a=organisation) | Q(organisation_b=organisation))
        .select_related("organisation_a", "organisation_b")
        .order_by("-created_at")
    )
    return [
        {
            "other": t.organisation_b if t.organisation_a_id == organisation.pk else t.organisation_a,
            "kind": t.get_kind_display(),
            "note": t.note,
            "created_at": t.created_at,
        }
        for t in ties
    ]


def redemption_files(redemption):
    """A redemption's contract, invoice, payment proof and service output (an Attachment queryset)."""
    from kechuang.core.models import Attachment

    return Attachment.objects.filter(pk__in=[getattr(redemption, f"{n}_id") for n in redemption.FILE_FIELDS])


def provider_invoice_files(voucher):
    """The invoices the voucher's provider uploaded (an Attachment queryset)."""
    from kechuang.core.models import Attachment

    return Attachment.objects.filter(pk__in=voucher.provider_invoices.values("file_id"))
