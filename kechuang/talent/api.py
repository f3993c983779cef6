"""Talent over JSON: the expert pool (contact masked), talent awards, foreign experts, 引智需求,
foreign-expert projects and nominations; lists (filtered, limit/offset) and details, policy-scoped."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kechuang.api.paging import BoundedLimitOffset
from kechuang.core.kit import require
from kechuang.core.permissions import get_object_or_404_for
from kechuang.talent import permissions, selectors

router = Router(tags=["talent"])


class YearFilter(Schema):
    q: str = ""
    year: int | None = Field(None, ge=1900, le=2100)
    status: str = ""


class ExpertFilter(Schema):
    q: str = ""
    field: str = ""
    availability: str = ""


class ExpertOut(Schema):
    id: int
    name: str
    employer: str | None
    title: str
    fields: list[str]
    phone: str
    availability: str
    expertise: str

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_employer(obj):
        return obj.employer.name if obj.employer_id else None

    @staticmethod
    def resolve_phone(obj):
        return obj.person.masked_phone

    @staticmethod
    def resolve_availability(obj):
        p = getattr(obj, "talent_profile", None)
        return p.availability if p else "available"

    @staticmethod
    def resolve_expertise(obj):
        p = getattr(obj, "talent_profile", None)
        return p.expertise if p else ""


class PersonOrg(Schema):
    person: str
    organisation: str | None

    @staticmethod
    def resolve_person(obj):
        return obj.person.name

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name if obj.organisation_id else None


class TalentAwardOut(PersonOrg):
    id: int
    programme_name: str
    level: str
    year: int
    category: str
    rank: str
    result: str


class ForeignExpertOut(Schema):
    id: int
    name: str
    nationality: str
    field: str
    field_code: str
    expertise: str

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_nationality(obj):
        return obj.person.nationality


class DemandOut(Schema):
    id: int
    organisation: str
    need: str
    field: str
    duration_months: int
    year: int
    status: str
    matched_expert: str | None
    version: int

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_matched_expert(obj):
        return obj.matched_expert.person.name if obj.matched_expert_id else None


class TalentProjectOut(Schema):
    id: int
    title: str
    organisation: str
    expert: str | None
    level: str
    year: int
    status: str

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_expert(obj):
        return obj.expert.person.name if obj.expert_id else None


class NominationOut(PersonOrg):
    id: int
    award: str
    year: int
    status: str
    note: str


def _year(f: YearFilter) -> dict:
    return {"q": f.q, "year": f.year, "status": f.status}


@router.get("/experts", response=list[ExpertOut])
@paginate(BoundedLimitOffset)
def expert_list(request, filters: Query[ExpertFilter]):
    require(permissions.experts, request.auth, "view")
    return selectors.experts_for(request.auth, **filters.dict()).order_by("person__name", "pk")


@router.get("/experts/{pk}", response=ExpertOut)
def expert_detail(request, pk: int):
    qs = selectors.experts_for(request.auth)
    return get_object_or_404_for(permissions.experts, request.auth, "view", qs=qs, pk=pk)


@router.get("/awards", response=list[TalentAwardOut])
@paginate(BoundedLimitOffset)
def award_list(request, filters: Query[YearFilter]):
    require(permissions.awards, request.auth, "view")
    f = filters
    qs = selectors.awards_for(request.auth, q=f.q, year=f.year, result=f.status)
    return qs.order_by("-year", "pk")


@router.get("/awards/{pk}", response=TalentAwardOut)
def award_detail(request, pk: int):
    return get_object_or_404_for(permissions.awards, request.auth, "view", pk=pk)


@router.get("/foreign-experts", response=list[ForeignExpertOut])
@paginate(BoundedLimitOffset)
def foreign_list(request, q: str = "", nationality: str = ""):
    require(permissions.foreign_experts, request.auth, "view")
    return selectors.foreign_for(request.auth, q=q, nationality=nationality).order_by("person__name", "pk")


@router.get("/foreign-experts/{pk}", response=ForeignExpertOut)
def foreign_detail(request, pk: int):
    return get_object_or_404_for(permissions.foreign_experts, request.auth, "view", pk=pk)


@router.get("/demands", response=list[DemandOut])
@paginate(BoundedLimitOffset)
def demand_list(request, filters: Query[YearFilter]):
    require(permissions.demands, request.auth, "view")
    return selectors.demands_for(request.auth, **_year(filters)).order_by("-year", "pk")


@router.get("/demands/{pk}", response=DemandOut)
def demand_detail(request, pk: int):
    return get_object_or_404_for(permissions.demands, request.auth, "view", pk=pk)


@router.get("/projects", response=list[TalentProjectOut])
@paginate(BoundedLimitOffset)
def project_list(request, filters: Query[YearFilter], level: str = ""):
    require(permissions.projects, request.auth, "view")
    return selectors.projects_for(request.auth, level=level, **_year(filters)).order_by("-year", "pk")


@router.get("/projects/{pk}", response=TalentProjectOut)
def project_detail(request, pk: int):
    return get_object_or_404_for(permissions.projects, request.auth, "view", pk=pk)


@router.get("/nominations", response=list[NominationOut])
@paginate(BoundedLimitOffset)
def nomination_list(request, filters: Query[YearFilter]):
    require(permissions.nominations, request.auth, "view")
    return selectors.nominations_for(request.auth, **_year(filters)).order_by("-year", "pk")


@router.get("/nominations/{pk}", response=NominationOut)
def nomination_detail(request, pk: int):
    return get_object_or_404_for(permissions.nominations, request.auth, "view", pk=pk)
