"""The insights API (issue 29): the radar, a firm's score with its parts and facts, the district's scores and
the forecast, as known on `as_of`; the same policies as the pages."""

import datetime as dt
from decimal import Decimal as D

import pytest

from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.insights import services
from kechuang.insights.tests.seed import AS_OF, Y2019, Y2020, fact, seed_radar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _as_of(settings):
    settings.KECHUANG = settings.KECHUANG | {"AS_OF": AS_OF}


def test_the_radar_lists_entries_with_evidence_and_resolving_one_moves_the_projection(client):
    staff = UserFactory(staff=True)
    world = seed_radar(staff)
    client.force_login(staff)
    body = client.get("/api/insights/radar", {"deadline": world["deadline"].pk}).json()
    codes = sorted(e["code"] for e in body["open"])
    assert codes.count("gap:missing") == 4 and "anomaly:estimate" in codes and body["period"] == "2020"
    hnte = next(e for e in body["open"] if e["name"] == "雷达hnte有限公司")
    assert hnte["estimate"] == "120.00" and all(ev["url"] for ev in hnte["evidence"])
    assert body["projection"]["projected"] == "485.00"
    services.radar_resolve(
        actor=staff,
        deadline=world["deadline"],
        organisation=world["firms"]["hnte"],
        code="gap:missing",
        outcome="reported",
        reason="已补报",
        on=AS_OF,
    )
    after = client.get("/api/insights/radar").json()  # the default period is the same annual one
    assert after["projection"]["projected"] == "365.00"
    assert [(e["name"], e["resolution"]["outcome_label"]) for e in after["resolved"]] == [
        ("雷达hnte有限公司", "已报送")
    ]
    client.force_login(UserFactory(enterprise=True))
    assert client.get("/api/insights/radar").status_code == 403


def test_a_firms_score_has_its_parts_with_facts_and_reads_as_of_a_date(client):
    staff = UserFactory(staff=True)
    firm = OrganisationFactory(name="接口积分有限公司")
    fact(staff, firm, Y2019, rd_internal=D(250), operating_revenue=D(4000), on=dt.date(2020, 5, 1))
    fact(staff, firm, Y2020, rd_internal=D(300), operating_revenue=D(5000), on=dt.date(2020, 6, 1))
    client.force_login(UserFactory(enterprise=True, organisation=firm))
    url = f"/api/insights/firms/{firm.pk}/score"
    body = client.get(url, {"year": 2020}).json()
    parts = {p["code"]: p for p in body["parts"]}
    assert len(parts) == 18 and body["scheme"] == "torch-1.0"
    assert parts["rd_amount"]["points"] == "5.00" and parts["rd_amount"]["facts"][0]["value"] == "300.00"
    assert parts["pct"]["missing"] and parts["pct"]["points"] is None
    assert D(body["total"]) == sum(D(p["points"] or 0) for p in body["parts"])
    before = client.get(url, {"year": 2020, "as_of": "2020-05-31"}).json()  # the 2020 return came in June
    assert {p["code"]: p["points"] for p in before["parts"]}["rd_amount"] is None
    assert client.get(url, {"as_of": "2020-12-01"}).status_code == 422  # after today
    assert client.get(url, {"year": 2021}).status_code == 422
    other = OrganisationFactory()
    assert client.get(f"/api/insights/firms/{other.pk}/score").status_code == 404


def test_scores_and_the_forecast_are_the_regions_bureaus(client):
    staff = UserFactory(staff=True)
    strong = OrganisationFactory(name="接口强企有限公司")
    fact(staff, strong, Y2019, rd_internal=D(900), operating_revenue=D(9000))
    services.official_scores_import(
        actor=staff, region=staff.region, year=2019, source="某省", rows=[(strong.credit_code, "30")]
    )
    client.force_login(UserFactory(leader=True))
    rows = client.get("/api/insights/scores", {"year": 2019}).json()
    top = rows[0]
    assert top["name"] == "接口强企有限公司" and top["rank_district"] == 1
    assert D(top["official_gap"]) == D(30) - D(top["total"])
    forecast = client.get("/api/insights/forecast").json()
    assert forecast["as_of"] == "2020-11-30" and forecast["limit"] == 500
    client.force_login(UserFactory(enterprise=True, organisation=strong))
    assert client.get("/api/insights/scores").status_code == 403
    assert client.get("/api/insights/forecast").status_code == 403
