"""The insights part of the demo district (周村区 as of 2020-11-30): a few radar entries settled by staff, so
the radar shows open and resolved entries and a projection that moved; and official scores (marked as demo
data) for a handful of firms so the score list shows the comparison. The statistics facts are the statistics
demo's, untouched (its figures are the seed reply's): with them the 2020 radar lists gaps (firms with R&D
signs reporting zero) and no anomaly.

The entries, scores, profiles and forecast themselves are computed from the other modules' demo records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.insights import services
from kechuang.insights.selectors import radar as radar_selectors
from kechuang.insights.selectors import score as score_selectors
from kechuang.statistics.models import SubmissionDeadline

AS_OF = dt.date(2020, 11, 30)
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
