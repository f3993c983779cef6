"""Figures of section 二 of the seed: carriers by kind and level valid on a date, alliance memberships."""

from __future__ import annotations

from kechuang.core.indicators import Reads, Scope, Value, register
from kechuang.platforms import selectors
from kechuang.platforms.models import Kind, Level, Platform


@register(
    code="platform_count",
    name="有效创新平台数",
    unit="个",
    caliber="认定（备案）日期不晚于统计日期、且未在统计日期前撤销的平台；级别取统计日期时的级别（按级别变更记录）",
    definition="统计区域内统计日期有效的各类创新平台数；parts 按类型、级别分列",
    formula="count(Platform recognised_on <= as_of < revoked_on)",
    order=300,
    planned=True,
)
def platform_count(scope: Scope, q: Reads):
    rows = selectors.valid_platforms(scope.region, scope.as_of)
    n = q.count(rows)
    # parts as `selectors.counts_by_kind_level` groups them (present groups, by kind then level)
    groups = q.count_by(
        rows, ("kind", "level_then"), [(k, lv) for k in sorted(Kind.values) for lv in sorted(Level.values)]
    )

    def build():
        kinds, levels = dict(Kind.choices), dict(Level.choices)
        parts = {f"{kinds[k]}·{levels[lv]}": c for (k, lv), c in groups().items() if c}
        return Value(n(), rows=lambda: rows, parts=parts)

    return build


def _kind_level(kind: str, level: str = ""):
    def compute(scope: Scope, q: Reads):
        rows = selectors.valid_platforms(scope.region, scope.as_of, kind=kind, level=level)
        n = q.count(rows)
        return lambda: Value(n(), rows=lambda: rows)

    compute.__qualname__ = f"platform_kind_level_{kind}_{level}"
    return compute


for _code, _name, _kind, _level, _order in [
    ("community_municipal_count", "市级创新创业共同体", "community", "municipal", 301),
    ("maker_space_national_count", "国家级众创空间", "maker_space", "national", 302),
    ("taishan_studio_count", "泰山系列人才工作室", "taishan_studio", "", 304),
    ("foreign_talent_platform_count", "引智平台", "foreign_talent", "", 305),
    ("academician_station_count", "院士工作站", "academician", "", 306),
    ("new_rd_count", "新型研发机构", "new_rd", "", 307),
]:
    register(
        code=_code,
        name=f"{_name}数",
        unit="个",
        caliber="统计日期有效（已认定且未撤销）",
        definition=f"统计区域内统计日期有效的{_name}数",
        formula=f"count(Platform kind={_kind}{' level=' + _level if _level else ''} valid on as_of)",
        order=_order,
        planned=True,
    )(_kind_level(_kind, _level))


@register(
    code="alliance_count",
    name="本区企业参加的创新战略联盟数",
    unit="个",
    caliber="统计日期有效、且有本区单位在册的创新战略联盟（联盟可设在区外）",
    definition="统计区域内单位在统计日期在册参加的有效创新战略联盟数（去重）",
    formula="count(distinct Membership.platform, kind=alliance, member in region, in force on as_of)",
    order=303,
    planned=True,
)
def alliance_count(scope: Scope, q: Reads):
    memberships = selectors.memberships_on(scope.region, scope.as_of).filter(
        organisation__region__path__startswith=scope.region.path
    )
    rows = Platform.objects.filter(pk__in=memberships.values("platform_id")).select_related("operator")
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="alliance_member_firms",
    name="参加创新战略联盟的企业数",
    unit="家",
    caliber="统计日期在册（已加入未退出）的联盟成员企业，联盟须有效",
    definition="统计区域内企业在有效创新战略联盟中的成员关系所涉企业数（去重）",
    formula="count(distinct Membership.organisation, platform.kind=alliance, in force on as_of)",
    order=308,
    planned=True,
)
def alliance_member_firms(scope: Scope, q: Reads):
    rows = selectors.memberships_on(scope.region, scope.as_of).filter(organisation__kind="enterprise")
    n = q.count(rows.values("organisation").distinct())
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="platforms_in_progress",
    name="在建（申报中）平台数",
    unit="个",
    caliber="统计日期时状态（按状态变更记录）为筹建/申报中或建设中的平台",
    definition="统计区域内尚未认定、处于申报或建设阶段的平台（如申报中的新型研发机构、组建中的院士工作站）",
    formula="count(Platform status on as_of in planning/building)",
    order=309,
    planned=True,
)
def platforms_in_progress(scope: Scope, q: Reads):
    rows = selectors.in_progress_on(scope.region, scope.as_of)
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)
