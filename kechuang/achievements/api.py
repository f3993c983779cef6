"""科技成果 and 科技奖励 over JSON: lists (filtered, limit/offset) and details, scoped by the policies."""

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kechuang.achievements import permissions, selectors
from kechuang.api.paging import BoundedLimitOffset
from kechuang.core.kit import require
from kechuang.core.permissions import get_object_or_404_for
from kechuang.platforms.models import Level

router = Router(tags=["achievements"])


class Filter(Schema):
    q: str = ""
    level: Level | None = None
    year: int | None = Field(None, ge=1900, le=2100)


class AchievementOut(Schema):
    id: int
    title: str
    organisation: str
    level: str
    year: int
    recognised_on: dt.date | None
    field_code: str
    project_name: str
    is_published: bool

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name


class AchievementDetail(AchievementOut):
    summary: str
    evidence: list[str]

    @staticmethod
    def resolve_evidence(obj):
        return [a.original_name for a in obj.evidence.all()]


class AwardOut(Schema):
    id: int
    name: str
    organisation: str
    achievement_id: int | None
    level: str
    grade: str
    year: int
    project_name: str

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name


def _f(filters: Filter) -> dict:
    return {"q": filters.q, "level": filters.level or "", "year": filters.year}


@router.get("/achievements", response=list[AchievementOut])
@paginate(BoundedLimitOffset)
def achievement_list(request, filters: Query[Filter]):
    require(permissions.achievements, request.auth, "view")
    return selectors.achievements_for(request.auth, **_f(filters)).order_by("-year", "title", "pk")


@router.get("/achievements/{pk}", response=AchievementDetail)
def achievement_detail(request, pk: int):
    return get_object_or_404_for(permissions.achievements, request.auth, "view", pk=pk)


@router.get("/awards", response=list[AwardOut])
@paginate(BoundedLimitOffset)
def award_list(request, filters: Query[Filter]):
    require(permissions.awards, request.auth, "view")
    return selectors.awards_for(request.auth, **_f(filters)).order_by("-year", "name", "pk")


@router.get("/awards/{pk}", response=AwardOut)
def award_detail(request, pk: int):
    return get_object_or_404_for(permissions.awards, request.auth, "view", pk=pk)
