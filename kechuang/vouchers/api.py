"""Vouchers over JSON (mounted at /api/vouchers/): programmes, vouchers, redemptions and ledger balances,
scoped by the same policies as the pages (an id outside scope is a 404), paginated with limit/offset.

A firm files a redemption request with `POST /vouchers/{id}/redemptions` (multipart: amount,
invoice_amount and the four evidence files) and an `Idempotency-Key` header: the same key sent again
(a retry, a double tap) returns the first request (200) and pays once; the first call answers 201.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from kechuang.api.paging import BoundedLimitOffset
from kechuang.core import dates
from kechuang.core import services as core_services
from kechuang.core.permissions import get_object_or_404_for, is_bureau_user
from kechuang.vouchers import permissions, selectors, services
from kechuang.vouchers.models import Redemption, Voucher
from kechuang.vouchers.services.workflow import lock_voucher

router = Router(tags=["vouchers"])


class ProgrammeOut(Schema):
    id: int
    name: str
    year: int
    region: str
    share_percent: Decimal
    cap_per_firm: Decimal
    validity_days: int
    publicity_days: int
    is_active: bool
    eligible_kinds: list[str]
    services: list[str]


class VoucherOut(Schema):
    id: int
    number: str
    programme_id: int
    organisation: str
    status: str
    status_label: str
    requested_amount: Decimal
    amount: Decimal
    remaining: Decimal
    held: Decimal
    paid_total: Decimal
    released: Decimal
    issued_on: dt.date | None
    valid_until: dt.date | None
    provider: str | None
    contract_amount: Decimal


class RedemptionOut(Schema):
    id: int
    voucher_id: int
    voucher_number: str
    amount: Decimal
    invoice_amount: Decimal
    status: str
    status_label: str
    submitted_on: dt.date
    publicity_until: dt.date | None
    paid_on: dt.date | None
    reason: str


class BalanceOut(Schema):
    account: str
    kind: str
    name: str
    year: int
    budget: Decimal
    remaining: Decimal


class RedemptionIn(Schema):
    amount: Decimal
    invoice_amount: Decimal | None = None


def _programme_out(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "year": p.year,
        "region": str(p.region),
        "share_percent": p.share_percent,
        "cap_per_firm": p.cap_per_firm,
        "validity_days": p.validity_days,
        "publicity_days": p.publicity_days,
        "is_active": p.is_active,
        "eligible_kinds": [k.name for k in p.eligible_kinds.all()],
        "services": [s.name for s in p.service_items.all()],
    }


def _voucher_out(v: Voucher) -> dict:
    fields = ("requested_amount", "amount", "remaining", "held", "paid_total", "released", "contract_amount")
    return {
        "id": v.pk,
        "number": v.number,
        "programme_id": v.programme_id,
        "organisation": v.organisation.name,
        "status": v.status,
        "status_label": v.get_status_display(),
        "issued_on": v.issued_on,
        "valid_until": v.valid_until,
        "provider": str(v.provider) if v.provider_id else None,
        **{f: getattr(v, f) for f in fields},
    }


def _redemption_out(r: Redemption) -> dict:
    return {
        "id": r.pk,
        "voucher_id": r.voucher_id,
        "voucher_number": r.voucher.number,
        "amount": r.amount,
        "invoice_amount": r.invoice_amount,
        "status": r.status,
        "status_label": r.get_status_display(),
        "submitted_on": r.submitted_on,
        "publicity_until": r.publicity_until,
        "paid_on": r.paid_on,
        "reason": r.reason,
    }


def _programmes(user):
    return (
        permissions.programmes.queryset(user, "view")
        .select_related("region")
        .prefetch_related("eligible_kinds", "service_items")
        .order_by("-year", "name", "pk")
    )


def _redemptions(user):
    return permissions.redemptions.queryset(user, "view").select_related("voucher").order_by("-pk")


@router.get("/programmes", response=list[ProgrammeOut])
@paginate(BoundedLimitOffset)
def programmes(request, year: int | None = Query(None, ge=1900, le=2100)):
    qs = _programmes(request.auth)
    return [_programme_out(p) for p in (qs.filter(year=year) if year else qs)]


@router.get("/programmes/{programme_id}", response=ProgrammeOut)
def programme(request, programme_id: int):
    p = get_object_or_404_for(
        permissions.programmes, request.auth, "view", qs=_programmes(request.auth), pk=programme_id
    )
    return _programme_out(p)


@router.get("/vouchers", response=list[VoucherOut])
@paginate(BoundedLimitOffset)
def vouchers(request, status: str = "", programme: int | None = None):
    qs = selectors.vouchers_for(request.auth, status=status).order_by("-pk")
    if programme:
        qs = qs.filter(programme_id=programme)
    return [_voucher_out(v) for v in qs]


@router.get("/vouchers/{voucher_id}", response=VoucherOut)
def voucher(request, voucher_id: int):
    return _voucher_out(
        get_object_or_404_for(
            permissions.vouchers, request.auth, "view", qs=selectors.vouchers_for(request.auth), pk=voucher_id
        )
    )


@router.get("/redemptions", response=list[RedemptionOut])
@paginate(BoundedLimitOffset)
def redemptions(request, status: str = ""):
    qs = _redemptions(request.auth)
    return [_redemption_out(r) for r in (qs.filter(status=status) if status else qs)]


@router.get("/redemptions/{redemption_id}", response=RedemptionOut)
def redemption(request, redemption_id: int):
    return _redemption_out(
        get_object_or_404_for(
            permissions.redemptions, request.auth, "view", qs=_redemptions(request.auth), pk=redemption_id
        )
    )


@router.get("/balances", response=list[BalanceOut])
@paginate(BoundedLimitOffset)
def balances(request, year: int | None = Query(None, ge=1900, le=2100)):
    """Programme pools and support-fund budget lines in the caller's region (bureau staff and leaders)."""
    user = request.auth
    if not is_bureau_user(user):
        raise PermissionDenied
    pools = permissions.programmes.queryset(user, "view").order_by("-year", "name", "pk")
    lines = permissions.budget_lines.queryset(user, "view").order_by("-year", "name", "pk")
    if year:
        pools, lines = pools.filter(year=year), lines.filter(year=year)
    rows = [
        {
            "account": p.account,
            "kind": "创新券资金池",
            "name": p.name,
            "year": p.year,
            "budget": p.budget,
            "remaining": p.pool_remaining,
        }
        for p in pools
    ]
    rows += [
        {
            "account": b.account,
            "kind": b.get_kind_display(),
            "name": b.name,
            "year": b.year,
            "budget": b.budget,
            "remaining": b.remaining,
        }
        for b in lines
    ]
    return rows


class _Replay(Exception):
    """Leave the upload transaction (dropping this request's files) and answer with `redemption`."""

    def __init__(self, redemption: Redemption):
        super().__init__(redemption.pk)
        self.redemption = redemption


EVIDENCE = {
    "contract_file": "服务合同",
    "invoice_file": "发票",
    "payment_file": "付款凭证",
    "output_file": "服务成果",
}


@router.post("/vouchers/{voucher_id}/redemptions", response={200: RedemptionOut, 201: RedemptionOut})
def redemption_submit(
    request,
    voucher_id: int,
    payload: Form[RedemptionIn],
    contract_file: File[UploadedFile],
    invoice_file: File[UploadedFile],
    payment_file: File[UploadedFile],
    output_file: File[UploadedFile],
    response: HttpResponse,
):
    """A retry with the same Idempotency-Key is answered 200 with the request filed first (header
    `Idempotent-Replayed: true`) and stores nothing; only the request that filed it answers 201."""
    user = request.auth
    voucher = get_object_or_404_for(permissions.vouchers, user, "change", pk=voucher_id)
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if not key or len(key) > 64:
        raise ValidationError("请在请求头 Idempotency-Key 中提供请求标识（1至64个字符），重试时保持不变。")
    uploads = {
        "contract_file": contract_file,
        "invoice_file": invoice_file,
        "payment_file": payment_file,
        "output_file": output_file,
    }
    try:
        with core_services.attachments_atomic():  # a refused or replayed request keeps none of its files
            # Same-voucher requests queue on the voucher's lock before anything is stored, so a retry sent
            # while the first is still running waits for it and then finds it (issue 25: 20 parallel retries
            # stored 80 evidence files and several answered 201).
            lock_voucher(voucher)
            existing = selectors.redemption_by_key(user, key)
            if existing is not None:
                raise _Replay(existing)
            evidence = {
                name: core_services.attachment_store(
                    actor=user,
                    data=upload.read(),
                    original_name=upload.name or name,
                    kind=f"兑付-{EVIDENCE[name]}",
                    organisation=voucher.organisation,
                )
                for name, upload in uploads.items()
            }
            created = services.redemption_submit(
                actor=user,
                voucher=voucher,
                amount=payload.amount,
                invoice_amount=payload.invoice_amount,
                idempotency_key=key,
                on=dates.today(),
                **evidence,
            )
            if created.contract_file_id != evidence["contract_file"].pk:
                raise _Replay(created)  # filed meanwhile under this key: its files are the ones kept
    except _Replay as replay:
        if replay.redemption.voucher_id != voucher.pk:
            raise ValidationError("请求标识已被其他兑付申请使用，请换一个新的请求标识。") from None
        response["Idempotent-Replayed"] = "true"
        return Status(200, _redemption_out(replay.redemption))
    created.refresh_from_db()  # as stored, so the first answer and its replays have the same body
    return Status(201, _redemption_out(created))
