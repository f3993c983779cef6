"""The demo on its business date (KECHUANG_AS_OF=2020-11-30): every module keeps the same "today" (issue 24).

Before, programmes read the real date: firms saw no open call, every objection was refused, projects were
numbered by the real year, and the scheduler expired the demo's vouchers by the real date.
"""

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.core import dates, scheduling
from kechuang.programmes import selectors, services
from kechuang.programmes.models import PublicityPeriod
from kechuang.vouchers.models import Voucher

pytestmark = pytest.mark.django_db

DEMO_DAY = dt.date(2020, 11, 30)


@pytest.fixture
def demo_clock(settings):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": DEMO_DAY}


def test_demo_lives_on_its_business_date(demo, demo_clock):
    assert dates.today() == DEMO_DAY
    # firms see the calls open on the demo's day
    assert selectors.open_calls().exists()

    # a citizen can object to a 公示 running on that day
    running = PublicityPeriod.objects.filter(starts_on__lte=DEMO_DAY, ends_on__gte=DEMO_DAY).first()
    objection = services.objection_submit(
        publicity=running,
        name="王明",
        contact="13800000000",
        reason="申报材料中的合作协议未见双方盖章，请核实。",
    )
    assert timezone.localdate(objection.submitted_at) == DEMO_DAY

    # the scheduler, run at a real 2026 moment, expires only what ended before the demo's day
    live_after = set(
        Voucher.objects.filter(valid_until__gte=DEMO_DAY)
        .exclude(status=Voucher.Status.EXPIRED)
        .values_list("pk", flat=True)
    )
    job = scheduling.Job("voucher-expiry", "vouchers", ("expire",), daily_at=dt.time(1, 0))
    scheduling.run_due(timezone.make_aware(dt.datetime(2026, 12, 7, 9, 0)), jobs=(job,))
    still = set(
        Voucher.objects.filter(pk__in=live_after)
        .exclude(status=Voucher.Status.EXPIRED)
        .values_list("pk", flat=True)
    )
    assert live_after and still == live_after


def test_demo_round_with_declined_expert_replacement_and_proxy_score(demo, demo_clock):
    from kechuang.programmes import replacement
    from kechuang.programmes.models import DrawReplacement, Expert, ReviewAssignment

    link = DrawReplacement.objects.select_related("draw", "replaced").get(reason="declined")
    draw = link.draw
    assert replacement.verify_chain(draw.record, [link.record])[0]
    assert link.replaced.response == "declined" and link.replaced.expert.invited_at
    assert ReviewAssignment.objects.filter(application=draw.application, entered_by__isnull=False).exists()
    # the demo's business day is before the replacement's deadline: the lazy check replaces nobody
    assert services.expire_overdue() == 0
    assert Expert.objects.filter(invited_at__isnull=False, person__accounts__last_login__isnull=True).exists()
