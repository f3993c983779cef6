"""Firm insights over JSON (issue 29): the 应统尽统 radar entries with the projection, a firm's innovation
score with its parts and the facts behind each point, the district's scores and ranks, and the ladder forecast.
The same selectors and policies as the pages; every read takes `as_of` (the date the records are read as
known on, default today), as the pages' date picker does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema

from kechuang.core import dates
from kechuang.core.kit import require
from kechuang.core.permissions import get_object_or_404_for
from kechuang.insights import permissions
from kechuang.insights.selectors import forecast as forecast_selectors
from kechuang.insights.selectors import radar as radar_selectors
from kechuang.insights.selectors import score as score_selectors
from kechuang.insights.selectors.radar import firms_of

router = Router(tags=["insights"])


class When(Schema):
    as_of: dt.date | None = Field(
        None, description="截至日期：按该日已知的记录计算（默认今天，不能晚于今天）"
    )


class ScoreWhen(When):
    year: int | None = Field(None, ge=2000, le=2100, description="积分年度（默认截至日期的上一年度）")


def _as_of(when: When) -> dt.date:
    today = dates.today()
    if when.as_of is not None and when.as_of > today:
        raise ValidationError({"as_of": "截至日期不能晚于今天。"})
    return when.as_of or today


def _year(when: ScoreWhen, as_of: dt.date) -> int:
    if when.year is not None and when.year > as_of.year:
        raise ValidationError({"year": f"年度不能晚于截至日期所在年度（{as_of.year}）。"})
    return when.year or as_of.year - 1


class EvidenceOut(Schema):
    kind: str
    text: str
    url: str


class ResolutionOut(Schema):
    outcome: str
    outcome_label: str
    reason: str
    resolved_on: dt.date


class EntryOut(Schema):
    organisation_id: int
    name: str
    code: str = Field(
        ...,
        description="gap:missing、gap:zero（调查范围内的漏报/报0）、lead:below_size（规下企业有研发迹象，不计入测算）、"
        "anomaly:share 等",
    )
    title: str
    explanation: str
    evidence: list[EvidenceOut]
    estimate: Decimal | None = Field(None, description="漏报/报0线索的估算R&D（万元）")
    estimate_basis: str
    resolution: ResolutionOut | None


class ProjectionOut(Schema):
    reported: Decimal | None
    open_gap: Decimal
    projected: Decimal | None
    gdp: Decimal | None
    intensity: Decimal | None
    projected_intensity: Decimal | None
    city_intensity: Decimal | None
    target_total: Decimal | None
    target_intensity: Decimal | None


class RadarOut(Schema):
    deadline_id: int | None
    period: str
    as_of: dt.date
    projection: ProjectionOut | None
    open: list[EntryOut]
    resolved: list[EntryOut]


class RadarFilter(When):
    deadline: int | None = Field(None, ge=1, le=2**31 - 1, description="报送日历编号（默认最近的年度报表期）")


def _entry(e) -> dict:
    r = e.resolution
    return {
        "organisation_id": e.organisation_id,
        "name": e.name,
        "code": e.code,
        "title": e.title,
        "explanation": e.explanation,
        "evidence": [vars(ev) for ev in e.evidence],
        "estimate": e.estimate,
        "estimate_basis": e.estimate_basis,
        "resolution": None
        if r is None
        else {
            "outcome": r.outcome,
            "outcome_label": r.get_outcome_display(),
            "reason": r.reason,
            "resolved_on": r.resolved_on,
        },
    }


@router.get("/radar", response=RadarOut)
def radar(request, filters: Query[RadarFilter]):
    """The 应统尽统 entries of a submission period (open and resolved) and the projected district R&D."""
    user = request.auth
    require(permissions.radar, user, "view")
    as_of = _as_of(filters)
    if filters.deadline is not None:
        deadline = get_object_or_404_for(permissions.radar, user, "view", pk=filters.deadline)
    else:
        deadline = radar_selectors.default_deadline(list(permissions.radar.queryset(user, "view")), as_of)
    if deadline is None:
        return {
            "deadline_id": None,
            "period": "",
            "as_of": as_of,
            "projection": None,
            "open": [],
            "resolved": [],
        }
    found = radar_selectors.radar_for(deadline, as_of)
    return {
        "deadline_id": deadline.pk,
        "period": str(deadline.period),
        "as_of": as_of,
        "projection": vars(found.projection),
        "open": [_entry(e) for e in found.open],
        "resolved": [_entry(e) for e in found.resolved],
    }


class FactOut(Schema):
    label: str
    value: str
    url: str


class PartOut(Schema):
    code: str
    klass: str
    klass_label: str
    name: str
    unit: str
    weight: Decimal
    value: Decimal | None
    points: Decimal | None = Field(None, description="得分；缺数据时为空（不当作0）")
    missing: bool
    band: str
    note: str
    facts: list[FactOut]


class ClassOut(Schema):
    klass: str
    label: str
    points: Decimal
    max_points: Decimal


class ScoreOut(Schema):
    organisation_id: int
    name: str
    year: int
    as_of: dt.date
    scheme: str
    total: Decimal
    max_total: Decimal
    classes: list[ClassOut]
    parts: list[PartOut]


def _score(org, year: int, as_of: dt.date, score) -> dict:
    return {
        "organisation_id": org.pk,
        "name": org.name,
        "year": year,
        "as_of": as_of,
        "scheme": score_selectors.scheme().code,
        "total": score.total,
        "max_total": score.max_total,
        "classes": [
            {"klass": k, "label": label, "points": pts, "max_points": top}
            for k, (label, pts, top) in score.by_class.items()
        ],
        "parts": [
            {
                "code": p.indicator.code,
                "klass": p.indicator.klass,
                "klass_label": p.indicator.klass_label,
                "name": p.indicator.name,
                "unit": p.indicator.unit,
                "weight": p.indicator.weight,
                "value": p.value,
                "points": p.points,
                "missing": p.missing,
                "band": p.band,
                "note": p.note,
                "facts": [vars(f) for f in p.facts],
            }
            for p in score.parts
        ],
    }


@router.get("/firms/{pk}/score", response=ScoreOut)
def firm_score(request, pk: int, when: Query[ScoreWhen]):
    """A firm's innovation score for a year: total, per class, and every indicator with its value, band,
    points and the records it was computed from (a missing input has no points)."""
    org = get_object_or_404_for(permissions.profiles, request.auth, "view", pk=pk)
    as_of = _as_of(when)
    year = _year(when, as_of)
    return _score(org, year, as_of, score_selectors.score_of(org, year, as_of))


class RankedOut(Schema):
    organisation_id: int
    name: str
    industry: str
    total: Decimal
    missing: int = Field(..., description="缺数据的指标数")
    rank_district: int
    rank_industry: int
    industry_size: int
    official: Decimal | None = Field(None, description="导入的官方积分")
    official_source: str
    official_gap: Decimal | None = Field(None, description="官方积分 − 本平台积分")


def _region(user):
    if not permissions.regions.may(user, "view") or user.region_id is None:
        raise PermissionDenied
    return user.region


@router.get("/scores", response=list[RankedOut])
def scores(request, when: Query[ScoreWhen]):
    """Every firm of the user's region with its score, ranks in the district and its industry, and the
    official score imported to compare; best first."""
    region = _region(request.auth)
    as_of = _as_of(when)
    year = _year(when, as_of)
    return [
        {
            "organisation_id": r.organisation.pk,
            "name": r.organisation.name,
            "industry": str(r.organisation.industry or ""),
            "total": r.score.total,
            "missing": len(r.score.missing),
            "rank_district": r.rank_district,
            "rank_industry": r.rank_industry,
            "industry_size": r.industry_size,
            "official": r.official,
            "official_source": r.official_source,
            "official_gap": r.official_gap,
        }
        for r in score_selectors.scores_for(firms_of(region), year, as_of)
    ]


class CandidateOut(Schema):
    organisation_id: int
    name: str
    tier: int
    target: int
    target_label: str
    now: bool | None = Field(None, description="现在是否符合：true 符合，null 待定，false 不符合")
    next_year: bool | None = Field(None, description="明年按趋势是否符合")
    unmet: list[str]
    growth: dict[str, Decimal | None]


class ForecastOut(Schema):
    as_of: dt.date
    limit: int
    cut: bool = Field(..., description="超过测算上限，只测算了梯次最低的部分企业")
    clamp_percent: int
    candidates: list[CandidateOut]


@router.get("/forecast", response=ForecastOut)
def forecast(request, when: Query[When]):
    """The firms of the user's region that may reach the next tier now or next year (by the eligibility
    engine on their trend), with what they still lack."""
    region = _region(request.auth)
    as_of = _as_of(when)
    candidates, cut = forecast_selectors.forecast(firms_of(region), as_of)
    return {
        "as_of": as_of,
        "limit": forecast_selectors.LIMIT,
        "cut": cut,
        "clamp_percent": int(forecast_selectors.rules.CLAMP * 100),
        "candidates": [
            {
                "organisation_id": c.organisation.pk,
                "name": c.organisation.name,
                "tier": c.tier,
                "target": c.target,
                "target_label": c.label,
                "now": c.now,
                "next_year": c.next_year,
                "unmet": c.unmet,
                "growth": c.growth,
            }
            for c in candidates
        ],
    }
