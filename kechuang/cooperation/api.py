"""校城融合 over JSON: lists (filtered, limit/offset) and details scoped by the policies; firms create
and update their own technology needs (staff may post one for any firm in their region)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from kechuang.api.paging import BoundedLimitOffset
from kechuang.cooperation import permissions, selectors, services
from kechuang.core.kit import require
from kechuang.core.models import Organisation
from kechuang.core.permissions import get_object_or_404_for, is_firm_user
from kechuang.core.permissions import organisations as org_policy

router = Router(tags=["cooperation"])


class Filter(Schema):
    q: str = ""
    status: str = ""


class YearFilter(Schema):
    q: str = ""
    year: int | None = Field(None, ge=1900, le=2100)


class NeedOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    title: str
    description: str
    field_code: str
    status: str
    is_published: bool
    version: int

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name


class NeedIn(Schema):
    title: str
    description: str
    field_code: str = ""
    is_published: bool = False


class NeedCreate(NeedIn):
    organisation_id: int | None = None


class NeedUpdate(NeedIn):
    version: int


class ContactOut(Schema):
    id: int
    need_id: int
    need: str
    expert: str | None
    offered: str | None
    score: float
    reasons: list[str]
    status: str
    outcome: str
    contacted_on: dt.date | None

    @staticmethod
    def resolve_need(obj):
        return obj.need.title

    @staticmethod
    def resolve_expert(obj):
        return obj.expert.person.name if obj.expert_id else None

    @staticmethod
    def resolve_offered(obj):
        return obj.offered.title if obj.offered_id else None

    @staticmethod
    def resolve_reasons(obj):
        return obj.explanation.get("reasons", [])


class AgreementOut(Schema):
    id: int
    subject: str
    firm: str
    partner: str
    signed_on: dt.date
    amount: Decimal
    event_id: int | None

    @staticmethod
    def resolve_firm(obj):
        return obj.firm.name

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.name


class TransferOut(Schema):
    id: int
    title: str
    firm: str
    expected_by: dt.date
    status: str
    landed_on: dt.date | None
    agreement_id: int | None
    event_id: int | None

    @staticmethod
    def resolve_firm(obj):
        return obj.firm.name


class EventOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    summary: str
    outcomes: str


class CooperationProjectOut(Schema):
    id: int
    title: str
    organisation: str
    partner: str
    partner_in_city: bool
    year: int
    amount: Decimal
    status: str

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.name

    @staticmethod
    def resolve_partner_in_city(obj):
        return obj.partner.in_city


@router.get("/needs", response=list[NeedOut])
@paginate(BoundedLimitOffset)
def need_list(request, filters: Query[Filter]):
    require(permissions.needs, request.auth, "view")
    return selectors.needs_for(request.auth, q=filters.q, status=filters.status).order_by(
        "-created_at", "-pk"
    )


@router.get("/needs/{pk}", response=NeedOut)
def need_detail(request, pk: int):
    return get_object_or_404_for(permissions.needs, request.auth, "view", pk=pk)


@router.post("/needs", response={201: NeedOut})
def need_create(request, payload: NeedCreate):
    user = request.auth
    if not permissions.needs.allows_create(user):
        require(permissions.needs, user, "create")
    data = payload.dict(exclude={"organisation_id"})
    if is_firm_user(user):
        organisation = user.organisation
    else:
        firms = org_policy.queryset(user, "view").filter(kind=Organisation.Kind.ENTERPRISE)
        organisation = get_object_or_404_for(
            org_policy, user, "view", qs=firms, pk=payload.organisation_id or 0
        )
    return Status(201, services.need_post(actor=user, organisation=organisation, **data))


@router.patch("/needs/{pk}", response=NeedOut)
def need_update(request, pk: int, payload: NeedUpdate):
    need = get_object_or_404_for(permissions.needs, request.auth, "change", pk=pk)
    return services.need_update(actor=request.auth, need=need, **payload.dict())


@router.get("/contacts", response=list[ContactOut])
@paginate(BoundedLimitOffset)
def contact_list(request, status: str = ""):
    require(permissions.contacts, request.auth, "view")
    return selectors.contacts_for(request.auth, status=status).order_by("-created_at", "-pk")


@router.get("/contacts/{pk}", response=ContactOut)
def contact_detail(request, pk: int):
    qs = selectors.contacts_for(request.auth)
    return get_object_or_404_for(permissions.contacts, request.auth, "view", qs=qs, pk=pk)


@router.get("/agreements", response=list[AgreementOut])
@paginate(BoundedLimitOffset)
def agreement_list(request, filters: Query[YearFilter]):
    require(permissions.agreements, request.auth, "view")
    return selectors.agreements_for(request.auth, **filters.dict()).order_by("-signed_on", "pk")


@router.get("/agreements/{pk}", response=AgreementOut)
def agreement_detail(request, pk: int):
    return get_object_or_404_for(permissions.agreements, request.auth, "view", pk=pk)


@router.get("/transfers", response=list[TransferOut])
@paginate(BoundedLimitOffset)
def transfer_list(request, filters: Query[Filter]):
    require(permissions.transfers, request.auth, "view")
    return selectors.transfers_for(request.auth, **filters.dict()).order_by("expected_by", "pk")


@router.get("/transfers/{pk}", response=TransferOut)
def transfer_detail(request, pk: int):
    return get_object_or_404_for(permissions.transfers, request.auth, "view", pk=pk)


@router.get("/events", response=list[EventOut])
@paginate(BoundedLimitOffset)
def event_list(request, filters: Query[YearFilter]):
    require(permissions.events, request.auth, "view")
    return selectors.events_for(request.auth, **filters.dict()).order_by("-starts_on", "pk")


@router.get("/events/{pk}", response=EventOut)
def event_detail(request, pk: int):
    return get_object_or_404_for(permissions.events, request.auth, "view", pk=pk)


@router.get("/projects", response=list[CooperationProjectOut])
@paginate(BoundedLimitOffset)
def project_list(request, filters: Query[YearFilter], status: str = ""):
    require(permissions.projects, request.auth, "view")
    qs = selectors.projects_for(request.auth, status=status, **filters.dict())
    return qs.order_by("-year", "pk")


@router.get("/projects/{pk}", response=CooperationProjectOut)
def project_detail(request, pk: int):
    return get_object_or_404_for(permissions.projects, request.auth, "view", pk=pk)
