import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.indicators import Period, Scope, compute
from kechuang.policies.models import Award, AwardBatch, Match, Policy, Simulation
from kechuang.vouchers.ledger import ledger_check

pytestmark = pytest.mark.django_db


def test_demo_shows_policies_matches_a_paid_batch_and_a_simulation(demo, district):
    active = set(Policy.objects.filter(status="active").values_list("name", flat=True))
    assert {"高新技术企业认定奖励", "科技型中小企业入库奖励", "研发投入后补助", "科技创新券"} <= active
    assert Match.objects.filter(verdict="eligible").exists() and Match.objects.filter(verdict="near").exists()
    assert Match.objects.filter(item__key="hnte-cultivate").exclude(verdict="ineligible").exists()
    voucher = Match.objects.filter(item__key="voucher", verdict="eligible").first()  # 科技型中小企业 or 高企
    assert voucher is not None and voucher.explanation["parts"][0]["label"].startswith("满足其一：")
    paid = AwardBatch.objects.get(item__key="hnte-first", period=2019)
    assert paid.status == "paid" and paid.awards.filter(status=Award.Status.PAID).count() >= 10
    shown = AwardBatch.objects.get(item__key="tech-sme-entry", period=2020)
    assert shown.status == "publicity" and shown.objections.count() == 1
    sim = Simulation.objects.get(policy__code="rd-subsidy", policy__status="draft")
    counts = [row["eligible"] for row in sim.result["sweep"]]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert ledger_check().ok
    # The seed reply's 2020 figure (251万元) is untouched: the demo pays its batch in 2019.
    scope = Scope(district, Period(2020), dt.date(2020, 11, 30))
    assert compute("vouchers_and_funds_paid", scope).value == Decimal("2510000")
