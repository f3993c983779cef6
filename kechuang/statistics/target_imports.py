"""The yearly targets import (issue 21 item 6): a bureau's targets (指标 × 年度 × 区划) from one spreadsheet, with
the same preview, history and undo as the regional figures.

One row = one region × year × registered indicator (by code or by name). A changed value adds a version of the
target counting from the row's 下达日期 (default: the day of the import), so figures as of earlier dates keep
the earlier target (`services.target_set`). Only the regions whose targets the importer keeps are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from kechuang.core import indicators
from kechuang.core.imports import (
    Diff,
    ImportColumn,
    ImportResult,
    ImportSpec,
    register,
)
from kechuang.core.models import Region
from kechuang.statistics import permissions, region_imports, services
from kechuang.statistics.models import Target

COLUMNS = (
    ImportColumn("region", "区划", aliases=("地区", "区划代码", "区县"), required=True, help="区县、市的名称或区划代码"),
    ImportColumn("year", "年度", aliases=("目标年度",), kind="int", required=True),
    ImportColumn("indicator", "指标", aliases=("指标代码", "指标名称"), required=True, help="指标代码或名称（见“指标说明”页）"),
    ImportColumn("value", "目标值", aliases=("目标",), kind="decimal", required=True, help="按指标的单位填写"),
    ImportColumn("note", "说明", aliases=("备注",), max_length=200),
    ImportColumn("recorded_on", "下达日期", aliases=("下达时间",), kind="date", help="留空：首次下达为当年1月1日，修改为导入当日"),
)  # fmt: skip


@dataclass
class Prepared:
    regions: dict[str, Region] = field(default_factory=dict)  # name or code → region (city or district)
    stored: dict[tuple, Target] = field(default_factory=dict)  # (region, year, indicator) → live target


def indicator_of(text) -> indicators.Indicator:
    """A registered indicator by its code or its name (ignoring spaces), or a Chinese refusal."""
    wanted = "".join(str(text).split())
    for indicator in indicators.all_indicators():
        if wanted in (indicator.code, "".join(indicator.name.split())):
            return indicator
    raise ValidationError({"indicator": f"未找到指标「{text}」（请填写指标代码或名称，见“指标说明”页）。"})


def prepare(rows: list[dict]) -> Prepared:
    prepared = Prepared(regions=region_imports.regions_named(rows))
    ids = {r.pk for r in prepared.regions.values()}
    for target in Target.current.filter(region_id__in=ids):
        prepared.stored[(target.region_id, target.year, target.indicator)] = target
    return prepared


def validate_row(data: dict, context: Prepared) -> dict:
    data["region_obj"] = region_imports.region_of(data, context.regions)
    if not 2000 <= data["year"] <= 2100:
        raise ValidationError({"year": "年度应在 2000—2100 之间。"})
    data["indicator"] = indicator_of(data["indicator"]).code
    return data


def _key(data: dict) -> tuple:
    return (data["region_obj"].pk, data["year"], data["indicator"])


def _diff(data: dict, stored: Target | None) -> Diff:
    given = {"value": data["value"], **({"note": data["note"]} if "note" in data else {})}
    since = f"{stored.recorded_on:%Y-%m-%d}下达" if stored else ""
    return region_imports.version_diff(given, stored, what="该目标", since=since)


def compare(rows, context: Prepared) -> list[Diff]:
    return [_diff(row.data, context.stored.get(_key(row.data))) for row in rows]


def commit(rows, *, actor, job=None, context: Prepared) -> ImportResult:
    """The changed and new rows through `services.targets_set` at once; refused as a whole when a region is not
    one the importer keeps."""
    region_imports.refuse_regions_not_kept(
        rows, permissions.targets.regions(actor), "不在您维护目标的区划范围内。"
    )
    found = Target.current.select_for_update().filter(
        region_id__in={r.data["region_obj"].pk for r in rows}, year__in={r.data["year"] for r in rows}
    )
    stored = {(t.region_id, t.year, t.indicator): t for t in found}
    result, written, befores = ImportResult(), [], []
    for row in rows:
        data = row.data
        before = stored.get(_key(data))
        if _diff(data, before).outcome == "unchanged":
            result.unchanged += 1
            continue
        note = data.get("note") if "note" in data else (before.note if before else "")
        written.append(
            {"region": data["region_obj"], "year": data["year"], "indicator": data["indicator"],
             "value": data["value"], "note": note or "", "recorded_on": data.get("recorded_on")}
        )  # fmt: skip
        befores.append(before and before.version)
    result.wrote(befores, result.call(services.targets_set, actor=actor, items=written), versioned=True)
    return result


SPEC = register(
    ImportSpec(
        name="targets",
        title="年度目标",
        columns=COLUMNS,
        commit=commit,
        validate_row=validate_row,
        prepare=prepare,
        compare=compare,
        key=("region", "year", "indicator"),
        undo_policy=permissions.targets,
        undo_compare=("value", "note", "region_id", "year", "indicator"),
        description="按区划、年度导入各项指标的年度目标（如R&D经费投入强度、高新技术产业产值占比）；修改目标为新版本。",
        notes=(
            "指标填写指标代码或名称，与“指标说明”页一致；目标值按该指标的单位填写（百分数填 2.8 表示 2.8%）。",
            "同一区划、年度、指标再次导入将新增一个版本，自下达日期起计入；此前日期的数据仍按原目标比较。",
        ),
    )
)
