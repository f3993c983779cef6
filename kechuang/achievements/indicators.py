"""科技成果 and awards by level for a year (seed: "省级科技成果1项，市级科技成果12项")."""

from __future__ import annotations

from django.db.models import Q

from kechuang.achievements import selectors
from kechuang.core.indicators import Reads, Scope, Value, register
from kechuang.platforms.models import Level


def _by_level(level: str):
    def compute(scope: Scope, q: Reads):
        rows = selectors.in_region(scope.region).filter(year=scope.period.year, level=level)
        rows = rows.select_related("organisation")
        n = q.count(rows)
        return lambda: Value(n(), rows=lambda: rows)

    compute.__qualname__ = f"achievement_{level}"
    return compute


for _i, (_level, _label) in enumerate(Level.choices):
    register(
        code=f"achievement_{_level}",
        name=f"{_label}科技成果数",
        unit="项",
        caliber="登记年度等于统计年度、完成单位在统计区域内",
        definition=f"统计年度内统计区域单位获得的{_label}科技成果项数",
        formula=f"count(Achievement year=period.year, level={_level})",
        order=320 + _i,
        planned=True,
    )(_by_level(_level))


@register(
    code="achievement_firms",
    name="获得科技成果的企业数",
    unit="家",
    caliber="统计年度内获得任一级别科技成果的单位（去重）",
    definition="统计年度内统计区域获得科技成果的单位数",
    formula="count(distinct Achievement.organisation, year=period.year)",
    order=325,
    planned=True,
)
def achievement_firms(scope: Scope, q: Reads):
    rows = selectors.in_region(scope.region).filter(year=scope.period.year).select_related("organisation")
    firms = q.count(rows.values("organisation").distinct())
    levels = {level: q.count(rows, filter=Q(level=level)) for level in Level.values}

    def build():
        counts = {level: n() for level, n in levels.items()}
        note = selectors.sentence(scope.region, scope.period.year, counts=counts, firms=firms())
        return Value(firms(), rows=lambda: rows, note=note, parts=counts)

    return build


@register(
    code="award_count",
    name="科技奖励数",
    unit="项",
    caliber="获奖年度等于统计年度",
    definition="统计年度内统计区域单位获得的各级科技奖励数",
    formula="count(Award year=period.year)",
    order=326,
    planned=True,
)
def award_count(scope: Scope, q: Reads):
    rows = (
        selectors.award_in_region(scope.region).filter(year=scope.period.year).select_related("organisation")
    )
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)
