"""The insights part of the demo district (周村区 as of 2020-11-30).

- Revised 2020 returns that the 应统尽统 radar should catch, one of each anomaly kind (R&D above 30% of revenue,
  a jump and a drop against 2019, R&D without S&T staff, an estimate below the months already reported),
  each with its story; amounts moved between firms so the district total stays the seed reply's 6.37亿元.
- A few radar entries settled by staff, so the radar shows open and resolved entries and a projection that moved.
- The firms' 2019 score figures no other module holds (`FirmYearFact`: most imported by staff, 淄博方达电子 its
  own report), and official scores (marked as demo data) for a handful of firms so the score list compares.

The entries, scores, profiles and forecast themselves are computed from the other modules' demo records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.core import versions
from kechuang.core.indicators import Period
from kechuang.insights import services
from kechuang.insights.models import FirmYearFact
from kechuang.insights.selectors import radar as radar_selectors
from kechuang.insights.selectors import score as score_selectors
from kechuang.statistics import services as stats
from kechuang.statistics.models import EnterpriseFact, FactSource, SubmissionDeadline

AS_OF = dt.date(2020, 11, 30)
REVISED_ON = dt.date(2020, 11, 24)  # revised estimates, the day before the 2020 estimates were due
OWN_FIRM = "淄博方达电子有限公司"  # the demo firm user's: its own profile stays unremarkable
REASONS = [  # the first open gaps of the radar, settled in turn
    ("explained", "企业说明：本年度研发项目延至明年实施，本年无R&D经费支出，已留存说明材料"),
    ("not_applicable", "企业本年主营转为贸易，已不开展研发活动，资质到期后不再续期"),
]


def build(ctx) -> None:
    staff = ctx.users.get("staff")
    district = ctx.district
    deadline = SubmissionDeadline.objects.filter(region=district, year=2020, quarter=None, month=None).first()
    if staff is None or deadline is None:
        return
    _plant_anomalies(staff, district)
    _firm_years(ctx, staff, district)
    radar = radar_selectors.radar_for(deadline, AS_OF)
    for entry, (outcome, reason) in zip(radar.gaps, REASONS, strict=False):
        firm = radar_selectors.firms_of(district).get(pk=entry.organisation_id)
        services.radar_resolve(
            actor=staff,
            deadline=deadline,
            organisation=firm,
            code=entry.code,
            outcome=outcome,
            reason=reason,
            on=dt.date(2020, 11, 27),
        )
    # official scores to compare with: this platform's own score ± a few points, labelled as demo data
    rows = score_selectors.scores_for(radar_selectors.firms_of(district), 2019, AS_OF)[:12]
    offsets = [Decimal(ctx.rng.randint(-60, 60)) / 10 for _ in rows]
    services.official_scores_import(
        actor=staff,
        region=district,
        year=2019,
        source="演示数据（模拟省级公布积分）",
        rows=[
            (r.organisation.credit_code, str(max(Decimal(0), r.score.total + o)))
            for r, o in zip(rows, offsets, strict=True)
        ],
    )


def _revise(staff, fact, period=None, **values):
    return stats.fact_submit(
        actor=staff,
        organisation=fact.organisation,
        period=period or Period(2020),
        values=values,
        status=fact.status,
        source=FactSource.STAFF_IMPORT,
        reported_on=REVISED_ON,
    )


def _known(district, **period):
    rows = EnterpriseFact.versions.filter(organisation__region__path__startswith=district.path, **period)
    return versions.known_on(rows, AS_OF).select_related("organisation")


def _plant_anomalies(staff, district) -> None:
    """One 2020 return of each anomaly kind. The R&D moved into or out of a firm goes to or comes from the
    district's largest R&D firm, so the district's total (and the seed reply's figures) stay as they are."""
    now = sorted(
        (f for f in _known(district, year=2020, quarter=None, month=None) if f.rd_internal),
        key=lambda f: (-f.rd_internal, f.organisation.name),
    )
    before = {f.organisation_id: f.rd_internal for f in _known(district, year=2019, quarter=None, month=None)}
    biggest, pool = now[0], [f for f in now[1:] if f.organisation.name != OWN_FIRM]
    with_prior = [f for f in pool if (before.get(f.organisation_id) or 0) >= 20]
    jump, drop = with_prior[-1], with_prior[0]  # the smallest goes up, the largest falls
    share, no_staff, estimate = [f for f in pool if f not in (jump, drop)][:3]
    moved = Decimal(0)
    # a firm that booked a new pilot line as R&D: three and a half times last year's
    raised = (before[jump.organisation_id] * Decimal("3.5")).quantize(Decimal("0.01"))
    moved += raised - jump.rd_internal
    _revise(staff, jump, rd_internal=raised, rd_hnte=(raised * Decimal("0.93")).quantize(Decimal("0.01")))
    # a firm whose research centre moved to the parent company: a quarter of last year's
    lowered = (before[drop.organisation_id] / 4).quantize(Decimal("0.01"))
    moved += lowered - drop.rd_internal
    _revise(staff, drop, rd_internal=lowered, rd_hnte=(lowered * Decimal("0.93")).quantize(Decimal("0.01")))
    _revise(staff, biggest, rd_internal=biggest.rd_internal - moved)
    # a design house that filed only its service revenue: R&D is 45% of what it reported
    _revise(staff, share, operating_revenue=(share.rd_internal / Decimal("0.45")).quantize(Decimal("0.01")))
    # S&T staff left blank as 0 on the revised form
    _revise(staff, no_staff, st_staff=0)
    # September's 快报 carries a R&D equipment purchase the annual estimate forgot
    months = {
        f.month: f for f in _known(district, organisation=estimate.organisation, year=2020, quarter=None)
    }
    months.pop(None, None)
    so_far = sum(f.rd_internal or 0 for f in months.values())
    extra = (estimate.rd_internal * Decimal("1.6") - so_far).quantize(Decimal("0.01"))
    september = months[9]
    _revise(staff, september, Period(2020, month=9), rd_internal=september.rd_internal + extra)


def _firm_years(ctx, staff, district) -> None:
    """The 2019 score figures of the firms that reported R&D: imported by staff in May 2020 for four firms in
    five (the rest stay 缺数据); the demo firm user's own firm reported them itself."""
    rng = ctx.rng
    facts = sorted(
        (f for f in _known(district, year=2019, quarter=None, month=None) if f.rd_internal),
        key=lambda f: f.organisation.name,
    )
    for f in facts:
        own = f.organisation.name == OWN_FIRM
        if not own and rng.random() < 0.2:
            continue
        revenue = f.operating_revenue or Decimal(0)
        values = {
            "invention_applications": rng.choice([0, 1, 1, 2, 3, 4, 6]),
            "pct_applications": rng.choice([0, 0, 0, 0, 1, 2]),
            "tech_contract_turnover": Decimal(rng.choice([0, 0, 15, 40, 80, 160])),
            "postgrad_staff": max(0, (f.staff or 0) * rng.randint(1, 12) // 100),
            "net_profit": (revenue * Decimal(rng.randint(-3, 14)) / 100).quantize(Decimal("0.01")),
            "equity_financing": Decimal(rng.choice([0, 0, 0, 0, 500, 2000])),
        }
        services.firm_year_set(
            actor=ctx.users.get("qiye") if own and ctx.users.get("qiye") else staff,
            organisation=f.organisation,
            year=2019,
            values=values,
            source=FirmYearFact.Source.FIRM if own else FirmYearFact.Source.IMPORT,
            reported_on=dt.date(2020, 5, 20),
        )
