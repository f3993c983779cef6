"""Regional figures and yearly targets over JSON (issue 21 item 6): read them as known on a date, add a
version. The same services and policies as the 区域数据与年度目标 page and the imports."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from kechuang.api.paging import BoundedLimitOffset
from kechuang.core import dates, versions
from kechuang.core.indicators import Period
from kechuang.core.kit import require
from kechuang.core.models import Region
from kechuang.statistics import permissions, selectors, services
from kechuang.statistics.models import FactStatus, RegionFact, Target
from kechuang.statistics.periods import parse_period
from kechuang.statistics.target_imports import indicator_of

router = Router(tags=["statistics"])

MONEY = {"max_digits": 16, "decimal_places": 2}
PERCENT = {"ge": 0, "le": 100, "max_digits": 7, "decimal_places": 2}


class Filter(Schema):
    region: str = Field("", max_length=12, description="区划代码（其下级区划一并列出）")
    year: int | None = Field(None, ge=1900, le=2100)
    as_of: dt.date | None = Field(None, description="截至日期：按该日已知的版本（默认今天）")


class VersionOut(Schema):
    id: int = Field(..., description="记录编号（各版本相同）")
    version: int
    voided: bool
    recorded_at: dt.datetime
    change_reason: str

    @staticmethod
    def resolve_id(obj):
        return obj.version_of_id or obj.pk


class RegionFactOut(VersionOut):
    region_code: str
    region: str
    period: str
    gdp: Decimal | None
    industrial_output_above_size: Decimal | None
    rd_published: Decimal | None
    rd_intensity_published: Decimal | None
    hightech_share_published: Decimal | None
    status: str
    source: str
    reported_on: dt.date

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code

    @staticmethod
    def resolve_region(obj):
        return obj.region.name

    @staticmethod
    def resolve_period(obj):
        return str(Period(obj.year, obj.quarter, obj.month))


class RegionFactIn(Schema):
    region_code: str = Field(..., max_length=12)
    period: str = Field(..., max_length=12, description="2020、2020Q3 或 2020-10")
    status: FactStatus | None = None
    gdp: Decimal | None = Field(None, ge=0, **MONEY)
    industrial_output_above_size: Decimal | None = Field(None, ge=0, **MONEY)
    rd_published: Decimal | None = Field(None, ge=0, **MONEY)
    rd_intensity_published: Decimal | None = Field(None, **PERCENT)
    hightech_share_published: Decimal | None = Field(None, **PERCENT)
    source: str | None = Field(None, max_length=200)
    reported_on: dt.date | None = None
    expected_version: int | None = Field(None, ge=1, le=1_000_000)


class TargetOut(VersionOut):
    region_code: str
    region: str
    year: int
    indicator: str
    indicator_name: str
    value: Decimal
    note: str
    recorded_on: dt.date

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code

    @staticmethod
    def resolve_region(obj):
        return obj.region.name

    @staticmethod
    def resolve_indicator_name(obj):
        return selectors.indicator_name(obj.indicator)


class TargetIn(Schema):
    region_code: str = Field(..., max_length=12)
    year: int = Field(..., ge=2000, le=2100)
    indicator: str = Field(..., max_length=60, description="指标代码或名称")
    value: Decimal = Field(..., ge=-1_000_000_000_000, le=1_000_000_000_000, max_digits=16, decimal_places=2)
    note: str = Field("", max_length=200)
    recorded_on: dt.date | None = None


def _known(qs, filters: Filter):
    """Versions known on the filter's date, in the region's subtree and year."""
    if filters.region:
        qs = qs.filter(region__path__startswith=_region(filters.region).path)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return versions.known_on(qs, filters.as_of or dates.today()).select_related("region")


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"region_code": f"未找到区划代码「{code}」。"})
    return region


@router.get("/region-facts", response=list[RegionFactOut])
@paginate(BoundedLimitOffset)
def region_fact_list(request, filters: Query[Filter]):
    """Regional figures visible to the user (their region, their city's published figures), as known on
    `as_of` (a voided record is not listed)."""
    require(permissions.regions, request.auth, "view")
    rows = selectors.region_facts_for(request.auth, RegionFact.versions.all())
    return _known(rows, filters).order_by("region__path", "-year", "quarter", "month", "pk")


@router.get("/region-facts/{pk}/versions", response=list[RegionFactOut])
def region_fact_versions(request, pk: int):
    """Every version of one region's figures for one period, newest first."""
    fact = selectors.region_facts_for(request.auth, RegionFact.current.all()).filter(pk=pk).first()
    if fact is None:
        raise Http404
    return versions.history(fact).select_related("region")


@router.post("/region-facts", response={200: RegionFactOut, 201: RegionFactOut})
def region_fact_set(request, payload: RegionFactIn):
    """Create a region's figures for a period, or add a version: only the fields sent change; the earlier
    version keeps counting for dates before `reported_on` (default today)."""
    user = request.auth
    require(permissions.regions, user, "change")
    region = _region(payload.region_code)
    if not selectors.editable_regions(user).filter(pk=region.pk).exists():
        raise ValidationError({"region_code": "不在您维护的区划范围内。"})
    period = parse_period(payload.period)
    fields = payload.dict(exclude={"region_code", "period", "expected_version"}, exclude_none=True)
    existed = RegionFact.current.filter(
        region=region, year=period.year, quarter=period.quarter, month=period.month
    )
    created = not existed.exists()
    fact = services.region_fact_set(
        actor=user, region=region, period=period, expected_version=payload.expected_version, **fields
    )
    return Status(201 if created else 200, fact)


@router.get("/targets", response=list[TargetOut])
@paginate(BoundedLimitOffset)
def target_list(request, filters: Query[Filter]):
    """Yearly targets of the user's region and below, as known on `as_of`."""
    require(permissions.targets, request.auth, "view")
    rows = permissions.targets.queryset(request.auth, "view", Target.versions.all())
    return _known(rows, filters).order_by("region__path", "-year", "indicator", "pk")


@router.put("/targets", response=TargetOut)
def target_set(request, payload: TargetIn):
    """Set a yearly target; a changed value adds a version counting from `recorded_on` (default today; the
    first target of a year counts from its 1 January)."""
    user = request.auth
    require(permissions.targets, user, "change")
    region = _region(payload.region_code)
    if not permissions.targets.regions(user).filter(pk=region.pk).exists():
        raise ValidationError({"region_code": "不在您维护目标的区划范围内。"})
    indicator = indicator_of(payload.indicator)
    data = payload.dict(exclude={"region_code", "indicator"})
    return services.target_set(actor=user, region=region, indicator=indicator.code, **data)
