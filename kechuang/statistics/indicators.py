"""The statistics figures (DESIGN.md convention 10). Definitions are in docs/statistics.md.

Status of a figure: the LEAST final status among the rows (and regional facts) it is computed from,
ordered 预计 estimate < 快报 preliminary < 年报 final — one estimated row makes the whole figure 预计.
Percentages are rounded to two decimals, half up; money is 万元 (reports format 亿元).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from kechuang.core import versions
from kechuang.core.indicators import Period, Reads, Scope, Status, Value, register
from kechuang.core.models import Region
from kechuang.statistics import selectors
from kechuang.statistics.figure_reads import (
    OUTPUT_COLUMNS,
    RANK_STATUS,
    RD_COLUMNS,
    WITHHELD,
    _basis_note,
    _completeness,
    _incomplete_note,
    _plan_rows,
    _shifted,
    _status_of,
    least_final,
    percent,
    round2,
    to_yi,
)
from kechuang.statistics.models import Target

# --- R&D ---------------------------------------------------------------------------------------------


@register(
    code="rd_firm_count",
    name="有研发项目的企业数",
    unit="家",
    caliber="统计报表“有研发项目”企业（按统计期所在镇街计入）",
    definition="统计期内填报有研发项目的企业户数",
    formula="count(distinct 企业 where 有研发项目)",
    order=20,
    planned=True,
    headline=3,
)
def rd_firm_count(scope: Scope, q: Reads):
    plan = _plan_rows(
        scope, q, "has_rd_projects", Q(has_rd_projects=True), n=("count_distinct", "organisation_id")
    )
    done = _completeness(scope, q)

    def build():
        rows, basis, v = plan()
        n, m = done()
        note = _incomplete_note(n, m) or _basis_note(basis, v["last_month"])
        # No row at all for the period: no data (None), not "0 firms with R&D projects"
        count = v["n"] if v["rank"] is not None else None
        return Value(count, status=_status_of(v["rank"]), rows=lambda: rows, note=note, columns=RD_COLUMNS)

    return build


def _rd_sum(scope: Scope, q: Reads):
    """Getter of (rows, least status rank, total, firms, status, note) of the scope's R&D expenditure."""
    plan = _plan_rows(
        scope, q, "rd_internal", total=("sum", "rd_internal"), firms=("count_distinct", "organisation_id")
    )
    done = _completeness(scope, q)

    def get():
        rows, basis, v = plan()
        n, m = done()
        status = _status_of(v["rank"])
        note = _incomplete_note(n, m) or _basis_note(basis, v["last_month"])
        return rows, v["rank"], v["total"], v["firms"], status, note

    return get


@register(
    code="rd_total",
    name="研发投入（R&D经费内部支出）",
    unit="万元",
    caliber="统计口径R&D经费内部支出（不含高企口径研发费用、加计扣除额）",
    definition="区域内企业R&D经费内部支出合计；报告中按亿元（÷10000，保留两位小数）表述",
    formula="Σ R&D经费内部支出",
    order=21,
    planned=True,
    headline=4,
)
def rd_total(scope: Scope, q: Reads):
    rd = _rd_sum(scope, q)

    def build():
        rows, _rank, total, firms, status, note = rd()
        total = round2(total)
        return Value(
            total,
            status=status,
            rows=lambda: rows,
            note=note,
            parts={"亿元": to_yi(total), "企业数": firms},
            columns=RD_COLUMNS,
        )

    return build


@register(
    code="rd_total_yoy",
    name="研发投入同比增长",
    unit="%",
    caliber="统计口径R&D经费内部支出，上年同期按同一截至日期取数",
    definition="(本期研发投入 − 上年同期研发投入) ÷ 上年同期研发投入 × 100，保留两位小数",
    formula="(rd_total(Y) − rd_total(Y−1)) ÷ rd_total(Y−1) × 100",
    order=22,
    planned=True,
    rate_kind="growth",
)
def rd_total_yoy(scope: Scope, q: Reads):
    now, before = rd_total(scope, q), rd_total(_shifted(scope, -1), q)
    return lambda: _yoy(now(), before())


def _incomplete(*values: Value) -> str:
    """The first 数据未齐 note among `values` (or a 1—N月 basis against a period's own rows), else ""."""
    for v in values:
        if v.note.startswith("数据未齐"):
            return v.note
    bases = {"months" if "累计" in v.note else "period" for v in values}
    return "本期与比较期口径不一致（月度累计与年度数据）" if len(bases) > 1 else ""


def _yoy(current: Value, previous: Value) -> Value:
    value = None
    withheld = _incomplete(current, previous)
    if current.value is not None and previous.value and not withheld:
        value = percent(current.value - previous.value, previous.value)
    return Value(
        value,
        status=least_final([current.status, previous.status]),
        rows=current.rows,
        columns=current.columns,
        note=withheld + WITHHELD if withheld else "",
        parts={"本期（万元）": current.value, "上年同期（万元）": previous.value},
    )


@register(
    code="rd_intensity",
    name="研发经费投入强度",
    unit="%",
    caliber="R&D经费内部支出 ÷ 地区生产总值（区域统计数据中的GDP）",
    definition="区域R&D经费内部支出合计 ÷ 同期地区生产总值 × 100，保留两位小数",
    formula="rd_total ÷ GDP × 100",
    order=23,
    planned=True,
    headline=5,
    rate_kind="intensity",
    city_figure="rd_intensity_city",
)
def rd_intensity(scope: Scope, q: Reads):
    rd = _rd_sum(scope, q)
    facts = selectors.region_fact_rows(scope.region, scope.period, scope.as_of)
    gdp_pk, gdp_value, gdp_status = (q.first(facts, f) for f in ("pk", "gdp", "status"))

    def build():
        rows, rank, total, _firms, _status, rd_note = rd()
        value = gdp_value() if gdp_pk() is not None else None
        statuses = [RANK_STATUS[rank]] if rank is not None else []
        statuses += [gdp_status()] if gdp_pk() is not None else []
        note = "" if value else "缺少该期地区生产总值，无法计算"
        withheld = rd_note if rd_note.startswith("数据未齐") else ""
        if withheld:
            note = withheld + WITHHELD
        return Value(
            None if withheld else percent(total, value),
            status=least_final(statuses),
            rows=lambda: rows,
            note=note,
            parts={"R&D经费内部支出（万元）": round2(total), "地区生产总值（万元）": value},
            columns=RD_COLUMNS,
        )

    return build


@register(
    code="rd_intensity_city",
    name="全市研发经费投入强度（公布数）",
    unit="%",
    caliber="所在市公布的R&D经费投入强度",
    definition="区域所在市同期公布的R&D经费投入强度，用于“高于全市平均水平”的比较",
    formula="RegionFact(市).R&D经费投入强度",
    order=24,
    planned=True,
    rate_kind="intensity",
)
def rd_intensity_city(scope: Scope, q: Reads):
    from kechuang.statistics.models import RegionFact

    # A city (or the province) is never compared with itself: only a region below a city has a 全市 figure.
    below_city = scope.region.level > Region.Level.CITY
    city = selectors.city_of(scope.region) if below_city else None
    facts = selectors.region_fact_rows(city, scope.period, scope.as_of) if city else None
    fact_pk, published, fact_status = (
        (q.first(facts, f) for f in ("pk", "rd_intensity_published", "status"))
        if facts is not None
        else [None] * 3
    )

    def build():
        pk = fact_pk() if fact_pk else None
        found = pk is not None
        rows = (
            RegionFact.versions.filter(pk=pk).select_related("region") if found else RegionFact.objects.none()
        )
        return Value(
            published() if found else None,
            status=fact_status() if found else Status.ESTIMATE,
            rows=lambda: rows,
            note="" if found else ("缺少所在市该期公布数" if below_city else "市级及以上区划不与全市比较"),
            parts={"市": city.name if city else None},
        )

    return build


@register(
    code="rd_intensity_vs_city",
    name="研发经费投入强度与全市比较",
    unit="个百分点",
    caliber="本区域研发经费投入强度 − 全市公布数",
    definition="正数表示高于全市平均水平，负数表示低于全市平均水平（两者均取两位小数后相减）",
    formula="rd_intensity − rd_intensity_city",
    order=25,
    planned=True,
)
def rd_intensity_vs_city(scope: Scope, q: Reads):
    own_plan, city_plan = rd_intensity(scope, q), rd_intensity_city(scope, q)

    def build():
        own, city = own_plan(), city_plan()
        value = None if own.value is None or city.value is None else round2(own.value - city.value)
        return Value(
            value,
            status=least_final([own.status, city.status]),
            rows=own.rows,
            columns=own.columns,
            note=own.note if own.note.startswith("数据未齐") else "",
            parts={"本区域（%）": own.value, "全市（%）": city.value},
        )

    return build


# --- high-tech output share ----------------------------------------------------------------------------


@register(
    code="hightech_output_share",
    name="高新技术产业产值占比",
    unit="%",
    caliber="规模以上工业企业；高新技术产业产值按省目录标识",
    definition="规上工业企业高新技术产业产值合计 ÷ 规上工业总产值合计 × 100，保留两位小数",
    formula="Σ 高新技术产业产值(规上) ÷ Σ 工业总产值(规上) × 100",
    order=30,
    planned=True,
    headline=6,
    rate_kind="share",
)
def hightech_output_share(scope: Scope, q: Reads):
    plan = _plan_rows(
        scope,
        q,
        "industrial_output",
        Q(above_size=True),
        ht=("sum", "hightech_output"),
        total=("sum", "industrial_output"),
    )

    def build():
        rows, basis, v = plan()
        return Value(
            percent(v["ht"] or Decimal(0), v["total"]),
            status=_status_of(v["rank"]),
            rows=lambda: rows,
            note=_basis_note(basis, v["last_month"]),
            parts={"高新技术产业产值（万元）": v["ht"], "规上工业总产值（万元）": v["total"]},
            columns=OUTPUT_COLUMNS,
        )

    return build


@register(
    code="hightech_output_share_year_start",
    name="高新技术产业产值占比（年初值）",
    unit="%",
    caliber="上一年度规上工业企业数据（按同一截至日期取数）",
    definition="年初值 = 上一年度全年的高新技术产业产值占比（截至日期所知的最新数据）",
    formula="hightech_output_share(Y−1)",
    order=31,
    planned=True,
    rate_kind="share",
)
def hightech_output_share_year_start(scope: Scope, q: Reads):
    return hightech_output_share(Scope(scope.region, Period(scope.period.year - 1), scope.as_of), q)


@register(
    code="hightech_output_share_change",
    name="高新技术产业产值占比比年初提高",
    unit="个百分点",
    caliber="本期占比与年初值之差（各取两位小数后相减）",
    definition="当前值（本年1—N月累计或本期）− 年初值（上一年度全年），单位为百分点",
    formula="hightech_output_share(Y) − hightech_output_share(Y−1)",
    order=32,
    planned=True,
)
def hightech_output_share_change(scope: Scope, q: Reads):
    now_plan, start_plan = hightech_output_share(scope, q), hightech_output_share_year_start(scope, q)

    def build():
        now, start = now_plan(), start_plan()
        value = None if now.value is None or start.value is None else round2(now.value - start.value)
        return Value(
            value,
            status=least_final([now.status, start.status]),
            rows=now.rows,
            columns=now.columns,
            parts={"当前值（%）": now.value, "年初值（%）": start.value},
        )

    return build


# --- targets -------------------------------------------------------------------------------------------


def target_for(region, year: int, code: str, as_of=None) -> Target | None:
    """The target as known on `as_of` (the current one when None)."""
    if as_of is None:
        return Target.objects.filter(region=region, year=year, indicator=code).first()
    rows = Target.versions.filter(region=region, year=year, indicator=code)
    return versions.known_on(rows, as_of).first()


@register(
    code="rd_total_completion",
    name="研发投入目标完成率",
    unit="%",
    caliber="统计口径R&D经费内部支出对照区科技局年度目标",
    definition="研发投入 ÷ 年度目标（年度目标表中 rd_total 的目标值）× 100，保留两位小数",
    formula="rd_total ÷ Target(rd_total) × 100",
    order=40,
    planned=True,
)
def rd_total_completion(scope: Scope, q: Reads):
    current_plan = rd_total(scope, q)
    targets = versions.known_on(
        Target.versions.filter(region=scope.region, year=scope.period.year, indicator="rd_total"), scope.as_of
    )
    target_pk, target_value = q.first(targets, "pk"), q.first(targets, "value")

    def build():
        current = current_plan()
        value = target_value() if target_pk() is not None else None
        withheld = _incomplete(current)
        note = "" if target_pk() is not None else "未设定年度目标"
        return Value(
            None if withheld else percent(current.value, value),
            status=current.status,
            rows=current.rows,
            columns=current.columns,
            note=withheld + WITHHELD if withheld else note,
            parts={"研发投入（万元）": current.value, "年度目标（万元）": value},
        )

    return build
