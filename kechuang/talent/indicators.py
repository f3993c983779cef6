"""Figures of section 三 of the seed: talent awards, foreign-expert demands, projects and platforms."""

from __future__ import annotations

from django.db.models import Q

from kechuang.core.indicators import Reads, Scope, Value, register
from kechuang.talent import selectors
from kechuang.talent.models import ForeignExpertProject, Nomination


@register(
    code="talent_award_count",
    name="人才奖项（获奖、入选）人次",
    unit="人次",
    caliber="统计年度内结果为获奖或入选的人才工程/赛事记录",
    definition="统计年度内本区人才（或本区企业的合作人才）在人才工程、创业大赛中获奖或入选的人次",
    formula="count(TalentAward year=period.year, result in awarded/selected)",
    order=340,
    planned=True,
)
def talent_award_count(scope: Scope, q: Reads):
    rows = (
        selectors.in_region_awards(scope.region)
        .filter(year=scope.period.year, result__in=["awarded", "selected"])
        .select_related("person", "organisation")
    )
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="talent_recommended_count",
    name="推荐参加上级人才赛事人数",
    unit="人",
    caliber="统计年度内结果为推荐上报的记录（人去重）",
    definition="统计年度内被推荐参加省级等上级赛事或人才工程的人数",
    formula="count(distinct person, TalentAward result=recommended)",
    order=341,
    planned=True,
)
def talent_recommended_count(scope: Scope, q: Reads):
    rows = selectors.in_region_awards(scope.region).filter(year=scope.period.year, result="recommended")
    n = q.count(rows.values("person").distinct())
    return lambda: Value(n(), rows=lambda: rows.select_related("person"))


@register(
    code="foreign_demand_count",
    name="征集外国专家需求数",
    unit="项",
    caliber="征集年度等于统计年度的需求（含已关闭）",
    definition="统计年度内向本区企业征集到的外国专家需求项数",
    formula="count(ForeignExpertDemand year=period.year)",
    order=342,
    planned=True,
)
def foreign_demand_count(scope: Scope, q: Reads):
    rows = (
        selectors.in_region_demands(scope.region)
        .filter(year=scope.period.year)
        .select_related("organisation")
    )
    n, matched = q.count(rows), q.count(rows, filter=Q(status="matched"))
    return lambda: Value(n(), rows=lambda: rows, parts={"matched": matched()})


def _projects(scope, **filters):
    return ForeignExpertProject.objects.filter(
        organisation__region__path__startswith=scope.region.path, year=scope.period.year, **filters
    ).select_related("organisation")


@register(
    code="foreign_project_pooled",
    name="入选市国际高端人才项目库的外国专家项目数",
    unit="项",
    caliber="统计年度、市级、状态为入选培育库或已立项",
    definition="统计年度内入选市国际高端人才项目培育库（或立项）的外国专家项目数",
    formula="count(ForeignExpertProject level=municipal, status in pooled/approved)",
    order=343,
    planned=True,
)
def foreign_project_pooled(scope: Scope, q: Reads):
    rows = _projects(scope, level="municipal", status__in=["pooled", "approved"])
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="foreign_project_provincial_applied",
    name="申报省引智项目数",
    unit="项",
    caliber="统计年度、省级引智项目（任意状态）",
    definition="统计年度内组织本区企业申报的省级引进外国智力项目数",
    formula="count(ForeignExpertProject level=provincial)",
    order=344,
    planned=True,
)
def foreign_project_provincial_applied(scope: Scope, q: Reads):
    rows = _projects(scope, level="provincial")
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="nomination_count",
    name="推荐申报奖项人数",
    unit="人",
    caliber="统计年度内已推荐（含获奖、未获奖）的奖项推荐",
    definition="统计年度内推荐申报齐鲁友谊奖等奖项的人数",
    formula="count(Nomination year=period.year, status != draft)",
    order=345,
    planned=True,
)
def nomination_count(scope: Scope, q: Reads):
    rows = (
        Nomination.objects.filter(region__path__startswith=scope.region.path, year=scope.period.year)
        .exclude(status="draft")
        .select_related("person")
    )
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)
