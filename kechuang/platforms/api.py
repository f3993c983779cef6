"""Innovation carriers over JSON: list (filtered, limit/offset) and detail, scoped by the module policy."""

import datetime as dt

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kechuang.api.paging import BoundedLimitOffset
from kechuang.core.kit import require
from kechuang.core.permissions import get_object_or_404_for
from kechuang.platforms import permissions, selectors
from kechuang.platforms.models import Kind, Level, Status

router = Router(tags=["platforms"])


class PlatformFilter(Schema):
    q: str = ""
    kind: Kind | None = None
    level: Level | None = None
    status: Status | None = None


class PlatformOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    level: str
    level_label: str
    status: str
    operator: str
    industry: str | None
    recognised_on: dt.date | None
    revoked_on: dt.date | None
    recognition_document: str
    is_published: bool
    version: int

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_operator(obj):
        return obj.operator.name

    @staticmethod
    def resolve_industry(obj):
        return obj.industry.name if obj.industry_id else None


class MemberOut(Schema):
    organisation: str
    role: str
    joined_on: dt.date
    left_on: dt.date | None


class ChangeOut(Schema):
    field: str
    from_status: str
    to_status: str
    on: dt.date
    document: str
    reason: str


class PlatformDetail(PlatformOut):
    partner_note: str
    description: str
    members: list[MemberOut]
    changes: list[ChangeOut]

    @staticmethod
    def resolve_members(obj):
        return [
            {
                "organisation": m.organisation.name,
                "role": m.role,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
            }
            for m in obj.memberships.select_related("organisation")
        ]

    @staticmethod
    def resolve_changes(obj):
        return list(obj.status_changes.all())


@router.get("/platforms", response=list[PlatformOut])
@paginate(BoundedLimitOffset)
def platform_list(request, filters: Query[PlatformFilter]):
    require(permissions.platforms, request.auth, "view")
    f = filters.dict()
    qs = selectors.platforms_for(request.auth, **{k: f[k] or "" for k in ("q", "kind", "level", "status")})
    return qs.order_by("kind", "name", "pk")


@router.get("/platforms/{platform_id}", response=PlatformDetail)
def platform_detail(request, platform_id: int):
    return get_object_or_404_for(
        permissions.platforms,
        request.auth,
        "view",
        qs=selectors.platforms_for(request.auth),
        pk=platform_id,
    )
