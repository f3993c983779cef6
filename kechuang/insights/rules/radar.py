"""The 应统尽统 radar as pure rules: which firms with R&D signs lack an R&D return (or report zero), which
returns look anomalous, and what the district total would be if the open gaps were reported.

Only a firm in the period's R&D return population (联网直报/一套表: a 规模以上工业企业 by its returns, a firm
that reported R&D the year before, or an industrial firm whose revenue reaches the 规上 line and so should be
in it) owes the return: its silence or zero is a gap, estimated and added to the projection. A firm outside
it with R&D signs is a cultivation lead (规下企业，有研发迹象), listed apart and never projected.

Money is Decimal in 万元 (the statistics forms' unit). Thresholds are module constants, shown on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SIGNALS = {
    "hnte": "有效期内高新技术企业",
    "tech_sme": "科技型中小企业（入库有效）",
    "project": "承担有财政资助的科技计划项目",
    "deduction": "研发费用加计扣除额大于0",
    "platform": "建有研发平台",
    "voucher": "使用创新券购买研发服务",
}
GAPS = {"missing": "未报送本期研发数据", "zero": "本期研发经费报0"}
LEADS = {"below_size": "规下企业，有研发迹象"}
ANOMALIES = {
    "share": "研发经费占营业收入比例过高",
    "jump": "研发经费较上年同期突增",
    "drop": "研发经费较上年同期骤降",
    "no_st_staff": "有研发经费但无科技人员",
    "estimate": "预计数与快报/年报相差较大",
}
OUTCOMES = {"reported": "已报送", "explained": "已说明", "not_applicable": "不适用"}

RD_SHARE_MAX = Decimal("0.30")  # R&D above 30% of operating revenue is rare outside pure R&D firms
JUMP_FACTOR = Decimal(3)  # ×3 up or ÷3 down against the same period a year before
MIN_PRIOR = Decimal(10)  # 万元: below this a year-on-year ratio says nothing
ESTIMATE_GAP = Decimal("0.30")  # the estimate off by more than 30% of the 快报/年报 figure
ABOVE_SIZE_REVENUE = Decimal(2000)  # 万元: 规模以上工业企业 = 年主营业务收入 2000 万元及以上（2011年起）
INDUSTRIAL_SECTIONS = frozenset("BCD")  # 采矿业，制造业，电力、热力、燃气及水生产和供应业
PEER_MIN = 3  # reporting firms of an industry needed before their median R&D intensity estimates a gap
TWO = Decimal("0.01")


def _r(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def _pct(ratio: Decimal) -> str:
    return f"{_r(ratio * 100)}%"


@dataclass(frozen=True)
class Evidence:
    """One record behind a signal or an anomaly: what it says and where to see it."""

    kind: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class FirmPeriod:
    """One firm's figures for the period (None: not reported), and what the radar compares them with."""

    organisation_id: int
    name: str
    reported: bool = False
    rd: Decimal | None = None
    revenue: Decimal | None = None
    st_staff: int | None = None
    status_label: str = ""
    fact_url: str = ""
    prior_rd: Decimal | None = None
    prior_url: str = ""
    estimate_rd: Decimal | None = (
        None  # the first 预计 version of this period's return, when a later one is 快报/年报
    )
    # the year's quarterly (else monthly) 快报/年报 R&D summed, for an annual 预计: (sum, label, complete year)
    parts_rd: Decimal | None = None
    parts_label: str = ""
    parts_complete: bool = False
    parts_evidence: tuple = ()  # the returns summed, each an Evidence
    is_estimate: bool = False  # the period's current version is a 预计
    deduction: Decimal | None = None  # the latest 加计扣除 amount (this or the year before)
    hnte_rd: Decimal | None = None  # R&D expense of the last accounting year, HNTE 口径
    above_size: bool | None = (
        None  # the 规上 flag of its latest return this year (else last year); None: none
    )
    above_size_basis: str = ""  # which return says so, e.g. "2020年10月快报"
    industrial: bool = False  # industry section B, C or D (the 规上工业 line applies)
    latest_revenue: Decimal | None = (
        None  # operating revenue of this period's annual return, else last year's
    )
    revenue_basis: str = ""
    peer_ratio: Decimal | None = None  # median R&D ÷ revenue of the industry's reporting firms this period
    peer_label: str = ""  # e.g. "制造业12家已报企业"


@dataclass
class Entry:
    organisation_id: int
    name: str
    code: str  # "gap:missing", "anomaly:jump" …
    title: str
    explanation: str
    evidence: list[Evidence] = field(default_factory=list)
    estimate: Decimal | None = None  # gaps: the R&D the firm would likely report
    estimate_basis: str = ""
    resolution: object = None  # the RadarResolution settling it, if any

    @property
    def kind(self) -> str:
        return self.code.split(":", 1)[0]

    @property
    def key(self) -> str:
        return f"{self.organisation_id}|{self.code}"


def population(firm: FirmPeriod) -> str:
    """Why the firm is in the period's R&D return population (a Chinese clause), or "" when it is not."""
    if firm.above_size:
        return f"{firm.above_size_basis}标为规模以上工业企业"
    if firm.prior_rd:
        return f"上年同期报送R&D经费内部支出 {_r(firm.prior_rd)} 万元"
    if firm.industrial and firm.latest_revenue and firm.latest_revenue >= ABOVE_SIZE_REVENUE:
        return (
            f"工业企业，{firm.revenue_basis}营业收入 {_r(firm.latest_revenue)} 万元，"
            f"达到规模以上标准（{ABOVE_SIZE_REVENUE} 万元），应纳入联网直报"
        )
    return ""


def _outside(firm: FirmPeriod) -> str:
    if firm.above_size is None:
        return "无统计报表"
    if not firm.industrial:
        return f"{firm.above_size_basis}未标为规模以上，非工业企业"
    return f"{firm.above_size_basis}未标为规模以上，营业收入未达 {ABOVE_SIZE_REVENUE} 万元"


def gap_estimate(firm: FirmPeriod) -> tuple[Decimal | None, str]:
    """The R&D a silent firm would likely report, and from what: its own history first (last year's return,
    its 加计扣除-口径 R&D, its HNTE-口径 R&D expense), else its peers (the median R&D intensity of its
    industry's reporting firms × its revenue)."""
    if firm.prior_rd:
        return _r(firm.prior_rd), f"按上年同期报送的R&D经费内部支出 {_r(firm.prior_rd)} 万元估算"
    if firm.deduction:
        return _r(firm.deduction), f"按研发费用加计扣除额 {_r(firm.deduction)} 万元估算"
    if firm.hnte_rd:
        return _r(firm.hnte_rd), f"按上一会计年度研发费用（高企口径）{_r(firm.hnte_rd)} 万元估算"
    if firm.peer_ratio and firm.latest_revenue:
        return _r(firm.latest_revenue * firm.peer_ratio), (
            f"按{firm.peer_label}R&D经费占营业收入的中位数 {_pct(firm.peer_ratio)} × "
            f"本企业{firm.revenue_basis}营业收入 {_r(firm.latest_revenue)} 万元估算"
        )
    return None, "无可用于估算的数据，不计入测算"


def gap_entry(firm: FirmPeriod, signals: list[Evidence], period_label: str) -> Entry | None:
    """A firm with R&D signs that did not report the period, or reported zero R&D: a gap when it is in the
    period's R&D return population, else a cultivation lead (no estimate, not projected)."""
    if not signals:
        return None
    if firm.reported and firm.rd:
        return None
    signs = "、".join(dict.fromkeys(SIGNALS[s.kind] for s in signals))
    evidence = list(signals)
    if firm.fact_url:
        evidence.append(Evidence("fact", f"{period_label}统计数据", firm.fact_url))
    within = population(firm)
    if not within:
        return Entry(
            firm.organisation_id,
            firm.name,
            "lead:below_size",
            LEADS["below_size"],
            f"该企业{signs}，有开展研发活动的迹象，但不在{period_label}研发统计调查范围（{_outside(firm)}）。"
            "列为培育储备线索：达到规上标准后纳入联网直报；不计入测算。",
            evidence,
        )
    code = "zero" if firm.reported else "missing"
    what = (
        f"{period_label}统计报表填报R&D经费内部支出为0（{firm.status_label}）"
        if firm.reported
        else f"尚未报送{period_label}研发投入数据"
    )
    estimate, basis = gap_estimate(firm)
    return Entry(
        firm.organisation_id,
        firm.name,
        f"gap:{code}",
        GAPS[code],
        f"该企业{signs}，有开展研发活动的迹象，但{what}。应报送：{within}。{basis}。",
        evidence,
        estimate,
        basis,
    )


def anomaly_entries(firm: FirmPeriod, period_label: str, *, has_gap: bool = False) -> list[Entry]:
    """The anomalies of a reported return: each with the figures that trigger it. A drop of a firm already
    listed as a gap (reported zero) is that gap, listed once."""
    if not firm.reported:
        return []
    out = []
    rd = firm.rd or Decimal(0)
    here = [Evidence("fact", f"{period_label}统计数据", firm.fact_url)] if firm.fact_url else []

    def add(code: str, text: str, extra: list[Evidence] | None = None):
        out.append(
            Entry(
                firm.organisation_id,
                firm.name,
                f"anomaly:{code}",
                ANOMALIES[code],
                text,
                here + (extra or []),
            )
        )

    if rd > 0 and firm.revenue and rd / firm.revenue > RD_SHARE_MAX:
        add(
            "share",
            f"R&D经费内部支出 {_r(rd)} 万元，占营业收入 {_r(firm.revenue)} 万元的 {_pct(rd / firm.revenue)}，"
            f"高于核查阈值 {_pct(RD_SHARE_MAX)}。请核实口径（是否误填为高企口径或含生产成本）。",
        )
    prior = firm.prior_rd
    before = [Evidence("fact", "上年同期统计数据", firm.prior_url)] if firm.prior_url else []
    if prior and prior > 0 and rd >= MIN_PRIOR and rd >= prior * JUMP_FACTOR:
        add(
            "jump",
            f"R&D经费内部支出 {_r(rd)} 万元，是上年同期 {_r(prior)} 万元的 {_r(rd / prior)} 倍"
            f"（核查阈值 {JUMP_FACTOR} 倍）。",
            before,
        )
    if prior and prior >= MIN_PRIOR and rd * JUMP_FACTOR <= prior and not has_gap:
        add(
            "drop",
            f"R&D经费内部支出 {_r(rd)} 万元，上年同期为 {_r(prior)} 万元，降至不足三分之一"
            f"（核查阈值 {JUMP_FACTOR} 倍）。",
            before,
        )
    if rd > 0 and not firm.st_staff:
        add("no_st_staff", f"填报R&D经费内部支出 {_r(rd)} 万元，但科技人员填报为{firm.st_staff or 0}人。")
    est = firm.estimate_rd
    if est is not None and rd > 0 and abs(rd - est) / rd > ESTIMATE_GAP:
        add(
            "estimate",
            f"预计数 {_r(est)} 万元，{firm.status_label} {_r(rd)} 万元，相差 {_pct(abs(rd - est) / rd)}"
            f"（核查阈值 {_pct(ESTIMATE_GAP)}）。",
        )
    elif firm.is_estimate and rd > 0 and firm.parts_rd:
        text = estimate_vs_parts(rd, firm.parts_rd, firm.parts_label, firm.parts_complete)
        if text:
            add("estimate", text, list(firm.parts_evidence))
    return out


def estimate_vs_parts(estimate: Decimal, parts: Decimal, label: str, complete: bool) -> str:
    """An annual 预计 against the year's 快报 summed: over a whole year, off by more than the threshold of the
    sum; over part of it, already lower than the sum by more than the threshold. "" when consistent."""
    gap = (parts - estimate) / parts
    if complete and abs(gap) > ESTIMATE_GAP:
        return (
            f"年度预计数 {_r(estimate)} 万元，{label} {_r(parts)} 万元，相差 {_pct(abs(gap))}"
            f"（核查阈值 {_pct(ESTIMATE_GAP)}）。"
        )
    if not complete and gap > ESTIMATE_GAP:
        return (
            f"年度预计数 {_r(estimate)} 万元，比已报送的{label} {_r(parts)} 万元还低 {_pct(gap)}"
            f"（核查阈值 {_pct(ESTIMATE_GAP)}）：全年数不应少于已报的部分。"
        )
    return ""


@dataclass(frozen=True)
class Projection:
    """The district's R&D total and intensity as reported, and as projected when the open gaps report."""

    reported: Decimal | None
    open_gap: Decimal
    projected: Decimal | None
    gdp: Decimal | None
    intensity: Decimal | None
    projected_intensity: Decimal | None
    city_intensity: Decimal | None
    target_total: Decimal | None
    target_intensity: Decimal | None

    @property
    def vs_city(self) -> Decimal | None:
        if self.projected_intensity is None or self.city_intensity is None:
            return None
        return _r(self.projected_intensity - self.city_intensity)

    @property
    def target_completion(self) -> Decimal | None:
        if self.projected is None or not self.target_total:
            return None
        return _r(self.projected * 100 / self.target_total)


def project(
    *,
    reported: Decimal | None,
    open_estimates: list[Decimal | None],
    gdp: Decimal | None,
    city_intensity: Decimal | None,
    target_total: Decimal | None,
    target_intensity: Decimal | None,
) -> Projection:
    gap = sum((e for e in open_estimates if e), Decimal(0))
    projected = None if reported is None else _r(reported + gap)

    def intensity(total):
        return None if total is None or not gdp else _r(total * 100 / gdp)

    return Projection(
        _r(reported),
        _r(gap),
        projected,
        gdp,
        intensity(reported),
        intensity(projected),
        city_intensity,
        target_total,
        target_intensity,
    )
