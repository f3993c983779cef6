"""The insights part of the demo district (周村区 as of 2020-11-30): two firms whose 2020 estimate was re-sent
on 2020-11-28 with 科技人员 0 (the radar's "R&D with no S&T staff" anomaly; fields no figure reads), a few
radar entries settled by staff, so the radar shows open and resolved entries and a projection that moved;
and official scores (marked as demo data) for a handful of firms so the score list shows the comparison.

The entries, scores, profiles and forecast themselves are computed from the other modules' demo records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.core.indicators import Period
from kechuang.insights import services
from kechuang.insights.selectors import radar as radar_selectors
from kechuang.insights.selectors import score as score_selectors
from kechuang.statistics import services as statistics_services
from kechuang.statistics.models import EnterpriseFact, SubmissionDeadline

AS_OF = dt.date(2020, 11, 30)
REASONS = {
    "gap:zero": ("explained", "企业说明：本年度研发项目延至明年实施，本年无R&D经费支出，已留存说明材料"),
    "anomaly:no_st_staff": ("explained", "企业漏填科技人员，经核实为12人，已通知企业在年报中更正"),
}


def build(ctx) -> None:
    staff = ctx.users.get("staff")
    district = ctx.district
    deadline = SubmissionDeadline.objects.filter(region=district, year=2020, quarter=None, month=None).first()
    if staff is None or deadline is None:
        return
    no_staff = EnterpriseFact.objects.filter(
        town__path__startswith=district.path, year=2020, quarter=None, month=None, rd_internal__gt=0
    ).order_by("organisation__name")[:2]
    for fact in no_staff:
        statistics_services.fact_submit(
            actor=staff,
            organisation=fact.organisation,
            period=Period(2020),
            values={"st_staff": 0},
            status=fact.status,
            source=fact.source,
            reported_on=dt.date(2020, 11, 28),
        )
    radar = radar_selectors.radar_for(deadline, AS_OF)
    done = set()
    for entry in radar.open:
        if entry.code in REASONS and entry.code not in done:
            outcome, reason = REASONS[entry.code]
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
            done.add(entry.code)
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
