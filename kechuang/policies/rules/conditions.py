"""The library of condition kinds. Each kind checks its parameters (Chinese messages per field), words
itself in plain language and evaluates a firm to 符合 / 不符合 / 数据不足 with its value and what is missing.

Kinds: qualification (资质), fact (统计数据阈值), rd_ratio (研发投入强度), growth (增长率), profile (企业档案),
region (所在区域), industry (行业), prior_awards (已享受奖励与上限).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal

from kechuang.policies.rules import compare
from kechuang.policies.rules.common import (
    MET,
    UNKNOWN,
    UNMET,
    FirmRecord,
    Outcome,
    ParamError,
    num,
    pct,
    to_decimal,
    to_int,
    year_label,
    year_of,
)

# Statistics facts (kechuang.statistics EnterpriseFact, annual rows): label and unit.
FACT_FIELDS = {
    "rd_hnte": ("研发费用", "万元"),
    "rd_internal": ("R&D经费内部支出", "万元"),
    "sales_revenue": ("销售收入", "万元"),
    "operating_revenue": ("营业收入", "万元"),
    "hightech_income": ("高新技术产品（服务）收入", "万元"),
    "industrial_output": ("工业总产值", "万元"),
    "hightech_output": ("高新技术产业产值", "万元"),
    "total_assets": ("资产总额", "万元"),
    "net_assets": ("净资产", "万元"),
    "staff": ("从业人员", "人"),
    "st_staff": ("科技人员", "人"),
}
PROFILE_FIELDS = {  # enterprise profile: label, unit ("" for yes/no)
    "above_size": ("规模以上工业企业", ""),
    "compliance_ok": ("近一年无重大安全、质量事故和严重环境违法", ""),
    "staff_count": ("职工总数", "人"),
    "st_staff_count": ("科技人员数", "人"),
    "ip_class1": ("Ⅰ类知识产权", "件"),
    "ip_class2": ("Ⅱ类知识产权", "件"),
    "years_established": ("成立年限", "年"),
}
QUAL_MODES = {
    "valid": "持有有效",
    "issued_in": "当年新认定（入库）",
    "first_in": "当年首次认定（入库）",
    "not_held": "未持有有效",
}
KIND_LABELS = {
    "qualification": "资质",
    "fact": "统计数据",
    "rd_ratio": "研发投入强度",
    "growth": "增长率",
    "profile": "企业档案",
    "region": "所在区域",
    "industry": "所属行业",
    "prior_awards": "已享受奖励",
    "engine": "认定条件自评",
}
ENGINE_RULES = {"hnte": "高新技术企业认定条件", "tech_sme": "科技型中小企业评价条件"}


def _year_offset(raw, errors) -> int | None:
    return to_int(raw.get("year_offset"), "year_offset", errors, lo=0, hi=5, default=1)


# --------------------------------------------------------------------------------------------------
# Parameter checks
# --------------------------------------------------------------------------------------------------


def check_params(kind: str, raw: Mapping) -> dict:
    """The stored parameters for `kind` from form input, or ParamError with Chinese messages per field."""
    errors: dict[str, str] = {}
    if kind not in KIND_LABELS:
        raise ParamError({"kind": "请选择条件类型。"})
    p: dict = {}
    if kind == "qualification":
        p["qual_kind"] = (raw.get("qual_kind") or "").strip()
        p["qual_name"] = (raw.get("qual_name") or p["qual_kind"]).strip()
        if not p["qual_kind"]:
            errors["qual_kind"] = "请选择资质类型。"
        p["mode"] = raw.get("mode") or "valid"
        if p["mode"] not in QUAL_MODES:
            errors["mode"] = "请选择认定要求。"
        p["year_offset"] = _year_offset(raw, errors)
        on = raw.get("on_date")
        p["on_date"] = on.isoformat() if isinstance(on, dt.date) else (on or "")
    elif kind in ("fact", "growth", "profile"):
        fields = PROFILE_FIELDS if kind == "profile" else FACT_FIELDS
        p["field"] = raw.get("field") or ""
        if p["field"] not in fields:
            errors["field"] = "请选择数据项。"
        if kind != "profile":
            p["year_offset"] = _year_offset(raw, errors)
        if kind == "profile" and fields.get(p["field"], ("", "x"))[1] == "":
            p["op"], p["value"] = "is", bool(raw.get("flag", True))
        else:
            p.update(compare.check_comparison(raw, errors, minimum=None if kind == "growth" else Decimal(0)))
    elif kind == "rd_ratio":
        p["year_offset"] = _year_offset(raw, errors)
        p["denominator"] = raw.get("denominator") or "sales_revenue"
        if p["denominator"] not in ("sales_revenue", "operating_revenue"):
            errors["denominator"] = "分母应为销售收入或营业收入。"
        p.update(compare.check_comparison(raw, errors, minimum=Decimal(0)))
    elif kind in ("region", "industry"):
        codes = [c for c in (raw.get("codes") or []) if c]
        names = list(raw.get("names") or codes)
        if not codes:
            errors["codes"] = "请至少选择一个区域。" if kind == "region" else "请至少选择一个行业。"
        p["codes"], p["names"] = codes, names
    elif kind == "engine":
        p["rule"] = raw.get("rule") or ""
        if p["rule"] not in ENGINE_RULES:
            errors["rule"] = "请选择认定条件。"
    else:  # prior_awards
        p["scope"] = raw.get("scope") or "item"
        if p["scope"] not in ("item", "policy"):
            errors["scope"] = "请选择统计范围。"
        p["max_times"] = to_int(raw.get("max_times"), "max_times", errors, lo=1, hi=99, default=1)
        total = to_decimal(raw.get("max_total"), "max_total", errors, required=False, minimum=Decimal(0))
        p["max_total"] = None if total is None else str(total)
        p["years"] = to_int(raw.get("years"), "years", errors, lo=0, hi=20, default=0)
    if errors:
        raise ParamError(errors)
    return p


# --------------------------------------------------------------------------------------------------
# Plain-language wording
# --------------------------------------------------------------------------------------------------


def describe(kind: str, p: Mapping, on: dt.date) -> str:
    if kind == "qualification":
        when = year_label(on, p.get("year_offset", 1))
        if p["mode"] in ("issued_in", "first_in"):
            return f"{when}{QUAL_MODES[p['mode']]}为{p['qual_name']}"
        day = p.get("on_date") or "评价日"
        return f"{day}{QUAL_MODES[p['mode']]}的{p['qual_name']}资质"
    if kind == "fact":
        name, unit = FACT_FIELDS[p["field"]]
        return f"{year_label(on, p['year_offset'])}{name}{compare.wording(p, unit)}"
    if kind == "rd_ratio":
        den = FACT_FIELDS[p["denominator"]][0]
        return f"{year_label(on, p['year_offset'])}研发费用占{den}比例{compare.wording(p, '%')}"
    if kind == "growth":
        name = FACT_FIELDS[p["field"]][0]
        return f"{year_label(on, p['year_offset'])}{name}同比增长{compare.wording(p, '%')}"
    if kind == "profile":
        name, unit = PROFILE_FIELDS[p["field"]]
        if p["op"] == "is":
            return f"{'是' if p['value'] else '不是'}{name}" if p["field"] == "above_size" else name
        return f"{name}{compare.wording(p, unit)}"
    if kind == "region":
        return f"注册在{'、'.join(p['names'])}"
    if kind == "industry":
        return f"属于{'、'.join(p['names'])}行业"
    if kind == "engine":
        return f"经自评符合{ENGINE_RULES[p['rule']]}"
    what = "本项" if p["scope"] == "item" else "本政策"
    span = f"近{p['years']}年内" if p.get("years") else "累计"
    text = f"{span}享受{what}奖励不超过{p['max_times']}次"
    if p.get("max_total"):
        text += f"、金额不超过{num(Decimal(p['max_total']))}元"
    return text


# --------------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------------


def _fact(firm: FirmRecord, year: int, name: str) -> Decimal | None:
    row = firm.facts.get(year)
    value = None if row is None else row.get(name)
    return None if value is None else Decimal(value)


def _compare(kind, label, p, x: Decimal, shown: str, what: str, unit: str, gap_show=None) -> Outcome:
    rule = compare.wording(p, unit)
    if compare.holds(p, x):
        return Outcome(kind, label, MET, shown, f"{what} {shown}，{rule}")
    side, amount = compare.gap(p, x)
    gap_text = gap_show(side, amount) if gap_show else f"{num(amount)}{unit}"
    missing = f"距离条件还差：{gap_text}" if side == "short" else f"超出上限：{gap_text}"
    return Outcome(kind, label, UNMET, shown, f"{what} {shown}，未达到“{rule}”", missing, amount)


def _unknown(kind, label, missing: str) -> Outcome:
    return Outcome(kind, label, UNKNOWN, "—", f"{missing}，暂无法判断", missing)


def evaluate(kind: str, p: Mapping, firm: FirmRecord, on: dt.date, label: str = "") -> Outcome:
    """`label` is the condition's wording on `on` when the caller has it already (it is the same for every
    firm screened)."""
    label = label or describe(kind, p, on)
    if kind == "qualification":
        return _qualification(p, firm, on, label)
    if kind == "fact":
        year = year_of(on, p["year_offset"])
        name, unit = FACT_FIELDS[p["field"]]
        x = _fact(firm, year, p["field"])
        if x is None:
            return _unknown(kind, label, f"缺少{year}年{name}数据")
        return _compare(kind, label, p, x, f"{num(x)}{unit}", f"{year}年{name}", unit)
    if kind == "rd_ratio":
        return _rd_ratio(p, firm, on, label)
    if kind == "growth":
        return _growth(p, firm, on, label)
    if kind == "profile":
        return _profile(p, firm, on, label)
    if kind in ("region", "industry"):
        have = firm.region_path if kind == "region" else firm.industry
        what = "所在区域" if kind == "region" else "所属行业"
        if not have:
            return _unknown(kind, label, f"缺少{what}信息")
        shown = (firm.town or have) if kind == "region" else have
        hit = any(have.startswith(c) for c in p["codes"])
        if hit:
            return Outcome(kind, label, MET, shown, f"{what}为{shown}，{label}")
        return Outcome(kind, label, UNMET, shown, f"{what}为{shown}，不在政策范围内", f"需{label}")
    if kind == "engine":
        return _engine(p, firm, label)
    return _prior_awards(p, firm, on, label)


def _engine(p, firm: FirmRecord, label: str) -> Outcome:
    """Reuses the official rules engine's verdict; undecided there (missing data, expert score) is 数据不足."""
    name = ENGINE_RULES[p["rule"]]
    if p["rule"] not in firm.engine:
        return _unknown("engine", label, f"缺少{name}自评所需数据")
    eligible, summary = firm.engine[p["rule"]]
    if eligible is None:
        return Outcome("engine", label, UNKNOWN, "待定", summary, summary)
    if eligible:
        return Outcome("engine", label, MET, "符合", summary)
    return Outcome("engine", label, UNMET, "不符合", summary, f"需达到{name}")


def _qualification(p, firm: FirmRecord, on: dt.date, label: str) -> Outcome:
    records = [q for q in firm.qualifications if q.kind == p["qual_kind"]]
    name = p["qual_name"]
    if p["mode"] in ("valid", "not_held"):
        day = dt.date.fromisoformat(p["on_date"]) if p.get("on_date") else on
        valid = [q for q in records if q.valid_on(day)]
        held = bool(valid)
        shown = (
            f"持有（{valid[0].number or '有效'}，至{valid[0].valid_until:%Y-%m-%d}）" if held else "未持有"
        )
        ok = held if p["mode"] == "valid" else not held
        explanation = f"{_day(day)}{shown}{name}资质"
        if ok:
            return Outcome("qualification", label, MET, shown, explanation)
        need = f"需取得{name}资质" if p["mode"] == "valid" else f"已持有{name}资质，不属于本项扶持对象"
        return Outcome("qualification", label, UNMET, shown, explanation, need)
    year = year_of(on, p.get("year_offset", 1))
    new = [q for q in records if q.valid_from.year == year and (q.revoked_on is None or q.revoked_on > on)]
    earlier = [q for q in records if q.valid_from.year < year]
    if new and not (p["mode"] == "first_in" and earlier):
        shown = f"{year}年认定（{new[0].number or '有效'}）"
        return Outcome("qualification", label, MET, shown, f"{shown}为{name}")
    if new:
        shown = f"{year}年认定，{earlier[0].valid_from.year}年已曾认定"
        return Outcome("qualification", label, UNMET, shown, f"{shown}，不属于首次认定", "需为首次认定")
    return Outcome(
        "qualification", label, UNMET, "未认定", f"{year}年未认定为{name}", f"需于{year}年认定为{name}"
    )


@functools.lru_cache(maxsize=256)
def _day(day: dt.date) -> str:
    return f"{day:%Y年%m月%d日}"


def _rd_ratio(p, firm, on, label) -> Outcome:
    year = year_of(on, p["year_offset"])
    den_name = FACT_FIELDS[p["denominator"]][0]
    rd, den = _fact(firm, year, "rd_hnte"), _fact(firm, year, p["denominator"])
    gaps = [n for n, v in (("研发费用", rd), (den_name, den)) if v is None]
    if gaps:
        return _unknown("rd_ratio", label, f"缺少{year}年{'、'.join(gaps)}数据")
    if den <= 0:
        return _unknown("rd_ratio", label, f"{year}年{den_name}为0，无法计算研发费用占比")
    ratio = rd / den
    shown = pct(ratio)

    def money_gap(side, amount):  # percentage points → 研发费用 in 万元 at the same denominator
        return f"研发费用 {num(amount / 100 * den)}万元" if side == "short" else f"{num(amount)}个百分点"

    p100 = {**p}  # compare in percent, as entered
    return _compare("rd_ratio", label, p100, ratio * 100, shown, f"{year}年研发费用占比", "%", money_gap)


def _growth(p, firm, on, label) -> Outcome:
    year = year_of(on, p["year_offset"])
    name, unit = FACT_FIELDS[p["field"]]
    now, before = _fact(firm, year, p["field"]), _fact(firm, year - 1, p["field"])
    gaps = [f"{y}年{name}" for y, v in ((year - 1, before), (year, now)) if v is None]
    if gaps:
        return _unknown("growth", label, f"缺少{'、'.join(gaps)}数据")
    if before <= 0:
        return _unknown("growth", label, f"{year - 1}年{name}为0，无法计算增长率")
    rate = (now - before) / before * 100

    def money_gap(side, amount):
        return f"{name} {num(amount / 100 * before)}{unit}" if side == "short" else f"{num(amount)}个百分点"

    return _compare("growth", label, p, rate, f"{num(rate)}%", f"{year}年{name}同比增长", "%", money_gap)


def _profile(p, firm, on, label) -> Outcome:
    name, unit = PROFILE_FIELDS[p["field"]]
    if p["field"] == "years_established":
        if firm.established_on is None:
            return _unknown("profile", label, "缺少成立日期")
        days = (on - firm.established_on).days
        x = Decimal(days) / Decimal("365.25")
        return _compare("profile", label, p, x.quantize(Decimal("0.01")), f"{num(x)}年", name, unit)
    if firm.profile is None or firm.profile.get(p["field"]) is None:
        return _unknown("profile", label, f"缺少{name}信息（企业档案未填写）")
    value = firm.profile[p["field"]]
    if p["op"] == "is":
        shown = "是" if value else "否"
        if bool(value) == bool(p["value"]):
            return Outcome("profile", label, MET, shown, f"{name}：{shown}")
        return Outcome("profile", label, UNMET, shown, f"{name}：{shown}", f"需{label}")
    x = Decimal(value)
    return _compare("profile", label, p, x, f"{num(x)}{unit}", name, unit)


def _prior_awards(p, firm, on, label) -> Outcome:
    if not firm.awards:  # most firms: nothing received yet
        return Outcome("prior_awards", label, MET, "未享受过", f"未享受过，{label}")
    key = p.get("key", "")
    since = on.year - p["years"] if p.get("years") else None
    mine = [
        a
        for a in firm.awards
        if (a.item_key == key if p["scope"] == "item" else a.policy_code == key)
        and (since is None or a.period > since)
    ]
    times, total = len(mine), sum((a.amount for a in mine), Decimal(0))
    shown = f"已享受{times}次，合计{num(total)}元" if times else "未享受过"
    over_times = times >= p["max_times"]
    over_total = p.get("max_total") is not None and total >= Decimal(p["max_total"])
    if not (over_times or over_total):
        return Outcome("prior_awards", label, MET, shown, f"{shown}，{label}")
    return Outcome("prior_awards", label, UNMET, shown, f"{shown}，已达上限", "已达到享受次数或金额上限")
