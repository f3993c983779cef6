import datetime as dt

import pytest

from kechuang.core.indicators import Period, Scope, compute
from kechuang.core.tests.factories import OrganisationFactory, UserFactory

from .factories import QualificationFactory

pytestmark = pytest.mark.django_db
D = dt.date(2020, 11, 30)


def test_api_lists_only_the_enterprise_users_own_firm(client, enterprise_user):
    OrganisationFactory()
    client.force_login(enterprise_user)
    items = client.get("/api/enterprises/firms").json()["items"]
    assert [i["id"] for i in items] == [enterprise_user.organisation_id]


def test_api_firm_detail_and_qualifications_for_staff(client, staff):
    q = QualificationFactory()
    client.force_login(staff)
    firm = client.get(f"/api/enterprises/firms/{q.organisation_id}?date=2020-11-30").json()
    assert firm["tier"] == 3 and firm["qualifications"] == ["hnte"]
    quals = client.get("/api/enterprises/qualifications?valid_on=2020-11-30").json()["items"]
    assert [(x["number"], x["valid_on_date"]) for x in quals] == [(q.number, True)]


def test_api_hides_other_firms_qualifications_from_enterprise_user(client, enterprise_user):
    QualificationFactory()
    mine = QualificationFactory(organisation=enterprise_user.organisation)
    client.force_login(enterprise_user)
    quals = client.get("/api/enterprises/qualifications").json()["items"]
    assert [x["id"] for x in quals] == [mine.pk]


def test_api_denies_experts_everything(client):
    q = QualificationFactory()
    client.force_login(UserFactory(expert=True))
    assert client.get("/api/enterprises/firms").json()["items"] == []
    assert client.get(f"/api/enterprises/firms/{q.organisation_id}").status_code == 404
    assert client.get("/api/enterprises/qualifications").json()["items"] == []


def test_hnte_count_for_a_past_date_with_drilldown_rows(district):
    QualificationFactory(valid_from=dt.date(2018, 11, 30))
    QualificationFactory(valid_from=dt.date(2017, 10, 16))  # expired 2020-10-15
    QualificationFactory(valid_from=dt.date(2019, 11, 28), status="revoked", revoked_on=dt.date(2020, 9, 1))
    now = compute("hnte_count", Scope(district, Period(2020), D))
    assert now.value == 1 and now.rows().count() == 1
    assert compute("hnte_count", Scope(district, Period(2019), dt.date(2019, 12, 31))).value == 3


def test_tech_sme_count_counts_registrations_of_the_period_year(district):
    QualificationFactory(tech_sme=True)
    QualificationFactory(tech_sme=True, number="2019370306A0000001", valid_from=dt.date(2019, 5, 1))
    assert compute("tech_sme_count", Scope(district, Period(2020), D)).value == 1
    assert compute("tech_sme_count", Scope(district, Period(2019), D)).value == 1


def test_ladder_and_expiring_indicators(district, other_district):
    QualificationFactory(valid_from=dt.date(2018, 11, 30))
    QualificationFactory(tech_sme=True)
    QualificationFactory(
        organisation=OrganisationFactory(region=other_district), valid_from=dt.date(2018, 11, 30)
    )
    ladder = compute("ladder_tier_counts", Scope(district, Period(2020), D))
    assert ladder.value == 2 and ladder.parts["高新技术企业"] == 1
    assert compute("hnte_expiring_12m", Scope(district, Period(2020), D)).value == 1


def test_api_firm_rows_equal_the_validated_detail_conversion_and_queries_do_not_grow(
    client, staff, django_assert_num_queries, django_assert_max_num_queries
):
    from kechuang.api.testing import assert_served_like
    from kechuang.enterprises import api as enterprises_api
    from kechuang.enterprises import selectors

    def add(n):
        for i in range(n):
            org = OrganisationFactory(name=f"企业<{i}>&")
            QualificationFactory(organisation=org)
            if i % 2:
                QualificationFactory(organisation=org, tech_sme=True)
        OrganisationFactory()  # no qualification: tier 0
        OrganisationFactory(region=None)  # no town: outside the staff's scope

    client.force_login(staff)
    url = "/api/enterprises/firms?date=2020-11-30"
    add(2)
    client.get(url + "&limit=100")  # the session's first request reads more
    with django_assert_max_num_queries(12) as small:
        client.get(url + "&limit=100")
    add(6)
    with django_assert_num_queries(len(small.captured_queries)):
        items = client.get(url + "&limit=100").json()["items"]
    # two page sizes, each with rows after it (so each counts): the same queries
    for limit in (2, 5):
        with django_assert_num_queries(len(small.captured_queries) + 1):
            assert len(client.get(f"{url}&limit={limit}").json()["items"]) == limit
    expected = selectors.firms_for(staff, as_of=D).order_by("name", "pk")
    assert len(items) == len(expected) >= 8
    assert any(i["qualifications"] == ["hnte", "tech_sme"] for i in items)
    assert_served_like(items, enterprises_api.FirmOut, [enterprises_api._firm_out(o) for o in expected])
    for tier in (0, 3):
        filtered = client.get(f"{url}&limit=100&tier={tier}").json()["items"]
        assert filtered and {i["tier"] for i in filtered} == {tier}
        assert filtered == [i for i in items if i["tier"] == tier]


def test_firm_api_count_is_capped_and_paging_to_the_count_reads_every_firm(client, staff, monkeypatch):
    """Over the cap the count stops (`count_exact` false) yet always points past the page when more rows
    follow; `exact_count=true` counts them all (ADR 0009)."""
    from kechuang.api import paging
    from kechuang.enterprises import selectors

    for i in range(9):
        OrganisationFactory(name=f"企业{i:02}")
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    client.force_login(staff)
    total = len(selectors.firms_for(staff, as_of=D))
    assert total >= 9

    first = client.get("/api/enterprises/firms?limit=2").json()
    assert (first["count"], first["count_exact"]) == (4, False)  # at least 4
    exact = client.get("/api/enterprises/firms?limit=2&exact_count=true").json()
    assert (exact["count"], exact["count_exact"]) == (total, True)
    past_cap = client.get("/api/enterprises/firms?limit=2&offset=4").json()
    assert (past_cap["count"], past_cap["count_exact"]) == (7, False)  # the row after the page
    last = client.get(f"/api/enterprises/firms?limit=3&offset={total - 2}").json()
    assert (last["count"], last["count_exact"], len(last["items"])) == (total, True, 2)

    seen, offset, count = [], 0, 1
    while offset < count:  # a client paging until offset >= count
        page = client.get(f"/api/enterprises/firms?limit=3&offset={offset}").json()
        seen += [i["id"] for i in page["items"]]
        offset, count = offset + 3, page["count"]
    assert seen == [o.pk for o in selectors.firms_for(staff, as_of=D).order_by("name", "pk")]


def test_capped_count_is_in_the_openapi_document(client, staff):
    client.force_login(staff)
    schema = client.get("/api/openapi.json").json()
    paged = schema["components"]["schemas"]["PagedFirmOut"]
    assert {"items", "count", "count_exact"} <= set(paged["required"])
    params = {p["name"] for p in schema["paths"]["/api/enterprises/firms"]["get"]["parameters"]}
    assert {"limit", "offset", "exact_count"} <= params


def test_paging_window_is_bounded_with_a_clear_error(client, staff):
    client.force_login(staff)
    response = client.get("/api/enterprises/firms?offset=9223372036854775806")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "请求数据无效。"
    assert client.get("/api/enterprises/firms?offset=1000000000&limit=1000000000").status_code == 200


def test_holder_counts_agree_between_narrowed_and_unnarrowed_scopes(district, other_district):
    """A district narrows the qualifications to its firms, a city or the province does not (a plan choice,
    `indicators._holding`): the same firms either way. The ladder too: its tier subquery runs for holders
    only, every other firm is tier 0."""
    from kechuang.enterprises import selectors
    from kechuang.enterprises.models import QualificationKind

    def place(region):  # a town of the region where the test data has one
        return region.children.first() or region

    for region in (district, other_district):
        for i in range(3):
            org = OrganisationFactory(region=place(region))
            QualificationFactory(organisation=org)
            if i:
                QualificationFactory(organisation=org, tech_sme=True)
    zero = QualificationKind.objects.create(
        code="tier0", name="未上梯次的资质", tier=0, issuing_level="municipal"
    )
    QualificationFactory(organisation=OrganisationFactory(region=place(district)), kind=zero)
    OrganisationFactory(region=place(other_district))  # no qualification
    city, province = district.parent, district.parent.parent
    ladders = [compute("ladder_tier_counts", Scope(r, Period(2020), D)) for r in (district, other_district)]
    for wide in (city, province):
        ladder = compute("ladder_tier_counts", Scope(wide, Period(2020), D))
        assert ladder.parts == {k: sum(v.parts[k] for v in ladders) for k in ladder.parts}
        assert ladder.value == sum(v.value for v in ladders) == 6
        assert {o.pk for o in ladder.rows()} == {o.pk for v in ladders for o in v.rows()}
    assert ladders[0].parts["未入梯次"] >= 1  # the tier-0 holder and firms without any qualification
    for region, ladder in zip((district, other_district), ladders, strict=True):  # as the ladder page counts
        page = selectors.ladder_counts(selectors.firms_in_region(region), D)
        assert ladder.parts == {c.label: c.count for c in page}
    firms_of = {r: selectors.firms_in_region(r).count() for r in (district, other_district)}
    assert [sum(v.parts.values()) for v in ladders] == [firms_of[district], firms_of[other_district]]
    for code in ("hnte_count", "tech_sme_count"):
        per_district = [compute(code, Scope(r, Period(2020), D)) for r in (district, other_district)]
        for wide in (city, province):
            value = compute(code, Scope(wide, Period(2020), D))
            assert value.value == sum(v.value for v in per_district) > 0
            assert {o.pk for o in value.rows()} == {o.pk for v in per_district for o in v.rows()}
