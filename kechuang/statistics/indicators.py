"""The statistics figures (DESIGN.md convention 10). Definitions are in docs/statistics.md.

Status of a figure: the LEAST final status among the rows (and regional facts) it is computed from,
ordered 预计 estimate < 快报 preliminary < 年报 final — one estimated row makes the whole figure 预计.
Percentages are rounded to two decimals, half up; money is 万元 (reports format 亿元).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from kechuang.core.indicators import Period, Scope, Status, Value, register
from kechuang.statistics import selectors
from kechuang.statistics.models import STATUS_RANK, Target

TWO = Decimal("0.01")


def round2(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def percent(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return round2(Decimal(numerator) * 100 / Decimal(denominator))


def to_yi(wan: Decimal | None) -> Decimal | None:
    """万元 → 亿元, two decimals."""
    return None if wan is None else round2(Decimal(wan) / 10000)


def least_final(statuses) -> str:
    statuses = [s for s in statuses if s]
    if not statuses:
        return Status.ESTIMATE
    return min(statuses, key=lambda s: STATUS_RANK.get(s, 0))


def _statuses(rows) -> list[str]:
    return list(rows.order_by().values_list("status", flat=True).distinct())


def _basis_note(basis: str, rows) -> str:
    if basis != "months":
        return ""
    last = rows.order_by("-month").values_list("month", flat=True).first()
    return f"1—{last}月累计（无该期报表，按月度数据累计）" if last else ""


def _shifted(scope: Scope, years: int) -> Scope:
    p = scope.period
    return Scope(scope.region, Period(p.year + years, quarter=p.quarter, month=p.month), scope.as_of)


# --- R&D ---------------------------------------------------------------------------------------------


@register(
    code="rd_firm_count",
    name="有研发项目的企业数",
    unit="家",
    caliber="统计报表“有研发项目”企业（按统计期所在镇街计入）",
    definition="统计期内填报有研发项目的企业户数",
    formula="count(distinct 企业 where 有研发项目)",
    order=20,
)
def rd_firm_count(scope: Scope) -> Value:
    rows, basis = selectors.period_rows(scope, "has_rd_projects", Q(has_rd_projects=True))
    count = rows.order_by().values("organisation_id").distinct().count()
    return Value(count, status=least_final(_statuses(rows)), rows=lambda: rows, note=_basis_note(basis, rows))


def _rd_sum(scope: Scope):
    rows, basis = selectors.period_rows(scope, "rd_internal")
    agg = rows.order_by().aggregate(total=Sum("rd_internal"), firms=Count("organisation", distinct=True))
    return rows, basis, agg["total"], agg["firms"]


@register(
    code="rd_total",
    name="研发投入（R&D经费内部支出）",
    unit="万元",
    caliber="统计口径R&D经费内部支出（不含高企口径研发费用、加计扣除额）",
    definition="区域内企业R&D经费内部支出合计；报告中按亿元（÷10000，保留两位小数）表述",
    formula="Σ R&D经费内部支出",
    order=21,
)
def rd_total(scope: Scope) -> Value:
    rows, basis, total, firms = _rd_sum(scope)
    total = round2(total)
    return Value(
        total,
        status=least_final(_statuses(rows)),
        rows=lambda: rows,
        note=_basis_note(basis, rows),
        parts={"亿元": to_yi(total), "企业数": firms},
    )


@register(
    code="rd_total_yoy",
    name="研发投入同比增长",
    unit="%",
    caliber="统计口径R&D经费内部支出，上年同期按同一截至日期取数",
    definition="(本期研发投入 − 上年同期研发投入) ÷ 上年同期研发投入 × 100，保留两位小数",
    formula="(rd_total(Y) − rd_total(Y−1)) ÷ rd_total(Y−1) × 100",
    order=22,
)
def rd_total_yoy(scope: Scope) -> Value:
    current, previous = rd_total(scope), rd_total(_shifted(scope, -1))
    value = None
    if current.value is not None and previous.value:
        value = percent(current.value - previous.value, previous.value)
    return Value(
        value,
        status=least_final([current.status, previous.status]),
        rows=current.rows,
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
)
def rd_intensity(scope: Scope) -> Value:
    rows, _basis, total, _firms = _rd_sum(scope)
    gdp = selectors.region_fact(scope.region, scope.period, scope.as_of)
    gdp_value = gdp.gdp if gdp else None
    statuses = _statuses(rows) + ([gdp.status] if gdp else [])
    note = "" if gdp_value else "缺少该期地区生产总值，无法计算"
    return Value(
        percent(total, gdp_value),
        status=least_final(statuses),
        rows=lambda: rows,
        note=note,
        parts={"R&D经费内部支出（万元）": round2(total), "地区生产总值（万元）": gdp_value},
    )


@register(
    code="rd_intensity_city",
    name="全市研发经费投入强度（公布数）",
    unit="%",
    caliber="所在市公布的R&D经费投入强度",
    definition="区域所在市同期公布的R&D经费投入强度，用于“高于全市平均水平”的比较",
    formula="RegionFact(市).R&D经费投入强度",
    order=24,
)
def rd_intensity_city(scope: Scope) -> Value:
    city = selectors.city_of(scope.region)
    fact = selectors.region_fact(city, scope.period, scope.as_of) if city else None
    from kechuang.statistics.models import RegionFact

    rows = (
        RegionFact.objects.filter(pk=fact.pk).select_related("region") if fact else RegionFact.objects.none()
    )
    return Value(
        fact.rd_intensity_published if fact else None,
        status=fact.status if fact else Status.ESTIMATE,
        rows=lambda: rows,
        note="" if fact else "缺少所在市该期公布数",
        parts={"市": city.name if city else None},
    )


@register(
    code="rd_intensity_vs_city",
    name="研发经费投入强度与全市比较",
    unit="个百分点",
    caliber="本区域研发经费投入强度 − 全市公布数",
    definition="正数表示高于全市平均水平，负数表示低于全市平均水平（两者均取两位小数后相减）",
    formula="rd_intensity − rd_intensity_city",
    order=25,
)
def rd_intensity_vs_city(scope: Scope) -> Value:
    own, city = rd_intensity(scope), rd_intensity_city(scope)
    value = None if own.value is None or city.value is None else round2(own.value - city.value)
    return Value(
        value,
        status=least_final([own.status, city.status]),
        rows=own.rows,
        parts={"本区域（%）": own.value, "全市（%）": city.value},
    )


# --- high-tech output share ----------------------------------------------------------------------------


@register(
    code="hightech_output_share",
    name="高新技术产业产值占比",
    unit="%",
    caliber="规模以上工业企业；高新技术产业产值按省目录标识",
    definition="规上工业企业高新技术产业产值合计 ÷ 规上工业总产值合计 × 100，保留两位小数",
    formula="Σ 高新技术产业产值(规上) ÷ Σ 工业总产值(规上) × 100",
    order=30,
)
def hightech_output_share(scope: Scope) -> Value:
    rows, basis = selectors.period_rows(scope, "industrial_output", Q(above_size=True))
    agg = rows.order_by().aggregate(ht=Sum("hightech_output"), total=Sum("industrial_output"))
    return Value(
        percent(agg["ht"] or Decimal(0), agg["total"]),
        status=least_final(_statuses(rows)),
        rows=lambda: rows,
        note=_basis_note(basis, rows),
        parts={"高新技术产业产值（万元）": agg["ht"], "规上工业总产值（万元）": agg["total"]},
    )


@register(
    code="hightech_output_share_year_start",
    name="高新技术产业产值占比（年初值）",
    unit="%",
    caliber="上一年度规上工业企业数据（按同一截至日期取数）",
    definition="年初值 = 上一年度全年的高新技术产业产值占比（截至日期所知的最新数据）",
    formula="hightech_output_share(Y−1)",
    order=31,
)
def hightech_output_share_year_start(scope: Scope) -> Value:
    return hightech_output_share(Scope(scope.region, Period(scope.period.year - 1), scope.as_of))


@register(
    code="hightech_output_share_change",
    name="高新技术产业产值占比比年初提高",
    unit="个百分点",
    caliber="本期占比与年初值之差（各取两位小数后相减）",
    definition="当前值（本年1—N月累计或本期）− 年初值（上一年度全年），单位为百分点",
    formula="hightech_output_share(Y) − hightech_output_share(Y−1)",
    order=32,
)
def hightech_output_share_change(scope: Scope) -> Value:
    now, start = hightech_output_share(scope), hightech_output_share_year_start(scope)
    value = None if now.value is None or start.value is None else round2(now.value - start.value)
    return Value(
        value,
        status=least_final([now.status, start.status]),
        rows=now.rows,
        parts={"当前值（%）": now.value, "年初值（%）": start.value},
    )


# --- targets -------------------------------------------------------------------------------------------


def target_for(region, year: int, code: str) -> Target | None:
    return Target.objects.filter(region=region, year=year, indicator=code).first()


@register(
    code="rd_total_completion",
    name="研发投入目标完成率",
    unit="%",
    caliber="统计口径R&D经费内部支出对照区科技局年度目标",
    definition="研发投入 ÷ 年度目标（年度目标表中 rd_total 的目标值）× 100，保留两位小数",
    formula="rd_total ÷ Target(rd_total) × 100",
    order=40,
)
def rd_total_completion(scope: Scope) -> Value:
    current = rd_total(scope)
    target = target_for(scope.region, scope.period.year, "rd_total")
    return Value(
        percent(current.value, target.value if target else None),
        status=current.status,
        rows=current.rows,
        note="" if target else "未设定年度目标",
        parts={"研发投入（万元）": current.value, "年度目标（万元）": target.value if target else None},
    )
