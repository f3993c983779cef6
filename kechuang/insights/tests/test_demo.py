"""The demo district shows what the insights module builds: radar entries open and settled, scores compared
with official ones, a firm's own profile, and the forecast."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.insights.rules import radar as rules
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
    entries = found.open + found.resolved
    # a handful of real gaps among the 规上 firms that owe the return; the 规下 firms with R&D signs are leads
    gaps = [e for e in entries if e.kind == "gap"]
    assert 5 <= len(gaps) <= 15 and all(
        "规模以上" in e.explanation or "上年同期报送" in e.explanation for e in gaps
    )
    assert found.leads and all(e.estimate is None for e in found.leads)
    assert found.projection.open_gap == sum(e.estimate or 0 for e in found.gaps)
    # each gap adds an estimate from the firm's own history: the projection stays near the reported figure
    p = found.projection
    assert p.intensity == Decimal("2.76") and p.intensity < p.projected_intensity < Decimal("3.50")
    signals = {ev.kind for e in entries if e.kind == "gap" for ev in e.evidence} - {"fact"}
    assert signals == set(rules.SIGNALS)  # every R&D sign shows at least once
    anomalies = {e.code.split(":")[1]: e for e in found.anomalies}
    assert set(anomalies) == set(rules.ANOMALIES)  # and every anomaly kind
    assert "快报累计" in next(e for e in found.anomalies if e.code == "anomaly:estimate").explanation
    assert all(ev.url for e in found.anomalies for ev in e.evidence)
    # the revisions that plant them moved R&D between firms: the district total is still the seed reply's
    assert found.projection.reported == Decimal("63700.00")
    rows = score.scores_for(radar.firms_of(deadline.region), 2019, AS_OF)
    assert sum(r.official is not None for r in rows) == 12
    staff = _client("staff")
    for name in ("insights:radar", "insights:scores", "insights:forecast"):
        assert staff.get(reverse(name)).status_code == 200, name
    page = _client("qiye").get(reverse("insights:mine"))
    assert page.status_code == 200 and "淄博方达电子有限公司" in page.content.decode()


def test_the_demo_firms_have_score_figures_from_an_import_and_the_firm_user_its_own(demo, settings):
    from kechuang.insights.models import FirmYearFact

    settings.KECHUANG = settings.KECHUANG | {"AS_OF": AS_OF}
    rows = FirmYearFact.objects.filter(
        year=2019, organisation__region__path__startswith="370000/370300/370306/"
    )
    assert rows.filter(source="import").count() >= 30
    own = rows.get(organisation__name="淄博方达电子有限公司")
    assert own.source == "firm"
    parts = {p.indicator.code: p for p in score.score_of(own.organisation, 2019, AS_OF).parts}
    assert not parts["pct"].missing and not parts["postgrad_share"].missing
    page = _client("qiye").get(reverse("insights:firm_year", args=[own.organisation_id, 2019]))
    assert page.status_code == 200 and "企业自报" in page.content.decode()
