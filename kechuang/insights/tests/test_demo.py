"""The demo district shows what the insights module builds: radar entries open and settled, scores compared
with official ones, a firm's own profile, and the forecast."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.insights.selectors import radar, score
from kechuang.statistics.models import SubmissionDeadline

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)


def _client(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_radar_has_open_and_settled_entries_and_scores_to_compare(demo, settings):
    settings.KECHUANG = settings.KECHUANG | {"AS_OF": AS_OF}
    deadline = SubmissionDeadline.objects.get(region__code="370306", year=2020, quarter=None, month=None)
    found = radar.radar_for(deadline, AS_OF)
    assert found.gaps and sorted(e.resolution.get_outcome_display() for e in found.resolved) == [
        "不适用",
        "已说明",
    ]
    assert found.projection.projected > found.projection.reported
    rows = score.scores_for(radar.firms_of(deadline.region), 2019, AS_OF)
    assert sum(r.official is not None for r in rows) == 12
    staff = _client("staff")
    for name in ("insights:radar", "insights:scores", "insights:forecast"):
        assert staff.get(reverse(name)).status_code == 200, name
    page = _client("qiye").get(reverse("insights:mine"))
    assert page.status_code == 200 and "淄博方达电子有限公司" in page.content.decode()
