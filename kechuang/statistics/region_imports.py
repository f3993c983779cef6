"""The regional figures import (issue 21 item 6): GDP, 规上工业总产值 and the published R&D figures of a region
and period, from one spreadsheet — with the same preview, history and undo as the firms' facts.

One row = one region (区县/市, by name or code) × one period. A row writes only the cells it fills (through
`services.region_fact_set`, which adds a version to figures already stored), so re-importing changes nothing
and a later revision keeps the earlier figures for the dates before it. Only regions the importer keeps
(`selectors.editable_regions`: their subtree and their city's published figures) are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q

from kechuang.core.imports import (
    Diff,
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    RowError,
    register,
)
from kechuang.core.indicators import Period
from kechuang.core.models import Region
from kechuang.statistics import permissions, selectors, services
from kechuang.statistics.models import FactStatus, RegionFact
from kechuang.statistics.periods import canonical, parse_period

VALUE_KEYS = tuple(k for k in services.REGION_FACT_FIELDS if k != "reported_on")


def _money(key: str, label: str, *aliases: str) -> ImportColumn:
    return ImportColumn(key, label, aliases=aliases, kind="money", unit="万元", places=2)


COLUMNS = (
    ImportColumn("region", "区划", aliases=("地区", "区域", "区划代码", "区县"), required=True, help="区县、市的名称或区划代码"),
    ImportColumn("period", "统计期", aliases=("报告期", "年度"), required=True, help="年度 2020、季度 2020Q3 或月份 2020-10"),
    ImportColumn("status", "数据状态", aliases=("状态",), choices=FactStatus.choices, kind="choice", required=True),
    _money("gdp", "地区生产总值", "GDP", "地区生产总值（GDP）"),
    _money("industrial_output_above_size", "规上工业总产值", "规模以上工业总产值"),
    _money("rd_published", "R&D经费支出（公布数）", "R&D经费支出", "研发经费支出"),
    ImportColumn("rd_intensity_published", "R&D经费投入强度（%）", aliases=("R&D经费投入强度", "研发投入强度"), kind="decimal"),
    ImportColumn("hightech_share_published", "高新技术产业产值占比（%）", aliases=("高新技术产业产值占比",), kind="decimal"),
    ImportColumn("source", "来源", aliases=("数据来源",), max_length=200, help="如：淄博市2020年统计公报"),
)  # fmt: skip


@dataclass
class Prepared:
    regions: dict[str, Region] = field(default_factory=dict)  # name or code → region (district level or up)
    stored: dict[tuple, RegionFact] = field(default_factory=dict)  # (region, year, quarter, month) → live row


def regions_named(rows: list[dict]) -> dict[str, Region]:
    """The regions (province, city or district) the rows' 区划 cells name, by name or code, in one query."""
    texts = sorted({str(d["region"]).strip() for d in rows if d.get("region")})
    found: dict[str, Region] = {}
    for region in (
        Region.objects.filter(level__lte=3).filter(Q(code__in=texts) | Q(name__in=texts)).order_by("path")
    ):
        found.setdefault(region.name, region)
        found[region.code] = region
    return found


def region_of(data: dict, regions: dict[str, Region]) -> Region:
    """The row's region (`regions_named`), or the Chinese refusal of its 区划 cell."""
    region = regions.get(str(data["region"]).strip())
    if region is None:
        raise ValidationError(
            {"region": f"未找到区划「{data['region']}」（请填写区县、市的名称或区划代码）。"}
        )
    return region


def refuse_regions_not_kept(rows, keeps, message: str) -> None:
    """Refuse the whole file, naming each row whose region is not in `keeps` (a queryset of regions)."""
    kept = set(keeps.values_list("pk", flat=True))
    errors = [
        RowError(row.number, "区划", row.data["region"], message)
        for row in rows
        if row.data["region_obj"].pk not in kept
    ]
    if errors:
        raise ImportRejected(errors)


def prepare(rows: list[dict]) -> Prepared:
    prepared = Prepared(regions=regions_named(rows))
    ids = {r.pk for r in prepared.regions.values()}
    for fact in RegionFact.current.filter(region_id__in=ids):
        prepared.stored[(fact.region_id, fact.year, fact.quarter, fact.month)] = fact
    return prepared


def _key(data: dict) -> tuple:
    period: Period = data["period_obj"]
    return (data["region_obj"].pk, period.year, period.quarter, period.month)


def validate_row(data: dict, context: Prepared) -> dict:
    data["region_obj"] = region_of(data, context.regions)
    data["period_obj"] = parse_period(data["period"])
    data["period"] = str(data["period_obj"])
    for name in ("gdp", "industrial_output_above_size", "rd_published"):
        if data.get(name) is not None and data[name] < 0:
            raise ValidationError({name: "区域统计数据不能为负数。"})
    return data


def version_diff(given: dict, stored, *, what: str, since: str) -> Diff:
    """A row's fields against the stored live version of a versioned record (None: new). `what` names the
    record in the note of a voided one; `since` says when the overwritten version counts from."""
    if stored is None:
        return Diff("new", {k: (None, v) for k, v in given.items()})
    changes = {k: (getattr(stored, k), v) for k, v in given.items() if getattr(stored, k) != v}
    if not changes:
        return Diff("unchanged", note=f"{what}已作废，导入后仍为作废。" if stored.voided else "")
    return Diff("changed", changes, f"覆盖第{stored.version}版（{since}）")


def _diff(data: dict, stored: RegionFact | None) -> Diff:
    given = {k: data[k] for k in VALUE_KEYS if k in data}
    since = f"{stored.reported_on:%Y-%m-%d}发布" if stored else ""
    return version_diff(given, stored, what="该期数据", since=since)


def compare(rows, context: Prepared) -> list[Diff]:
    return [_diff(row.data, context.stored.get(_key(row.data))) for row in rows]


def commit(rows, *, actor, job=None, context: Prepared) -> ImportResult:
    """The changed and new rows through `services.region_facts_set` at once, refused as a whole when a region
    is not one the importer keeps."""
    refuse_regions_not_kept(rows, selectors.editable_regions(actor), "不在您维护的区划范围内。")
    found = RegionFact.current.select_for_update().filter(
        region_id__in={r.data["region_obj"].pk for r in rows},
        year__in={r.data["period_obj"].year for r in rows},
    )
    stored = {(f.region_id, f.year, f.quarter, f.month): f for f in found}
    result, written, befores = ImportResult(), [], []
    for row in rows:
        data = row.data
        before = stored.get(_key(data))
        if _diff(data, before).outcome == "unchanged":
            result.unchanged += 1
            continue
        fields = {k: data[k] if data[k] is not None or k != "source" else "" for k in VALUE_KEYS if k in data}
        written.append({"region": data["region_obj"], "period": data["period_obj"], "fields": fields})
        befores.append(before and before.version)
    result.wrote(befores, result.call(services.region_facts_set, actor=actor, items=written), versioned=True)
    return result


SPEC = register(
    ImportSpec(
        name="region_facts",
        title="区域统计数据",
        columns=COLUMNS,
        commit=commit,
        validate_row=validate_row,
        prepare=prepare,
        compare=compare,
        key=("region", "period"),
        file_defaults=("period", "status"),
        canonical=canonical,
        undo_policy=permissions.region_facts,
        undo_compare=(*VALUE_KEYS, "region_id"),
        description="按区划、统计期导入地区生产总值、规上工业总产值和公布的R&D经费支出、投入强度等；再次导入为新版本。",
        notes=(
            "金额单位为万元；投入强度、占比填百分数（如 2.63）。",
            "同一区划同一统计期再次导入将新增一个版本（此前的数据在更早的日期仍按当时所知计算），只改写填了值的列。",
        ),
    )
)
