"""Matching runs write only the verdicts that changed (the run says when the rest were confirmed), and the
per-item tally the staff card and the policy page read stays equal to the verdicts it counts."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.policies import selectors, tally
from kechuang.policies.models import Match, MatchRun, MatchTally
from kechuang.policies.services.matching import match_firms, run_match

from .conftest import TODAY, firm_with, rd_policy

D = Decimal
pytestmark = pytest.mark.django_db
TABLE = Match._meta.db_table


def _writes(queries) -> list[str]:
    """Statements that insert or update verdict rows (the run's removal of retired versions' verdicts is a
    DELETE, of none here: the rows' versions below show nothing was touched)."""
    out = []
    for q in queries:
        sql = re.sub(r"^\d+ times: ", "", q["sql"].lstrip())  # an executemany, as Django logs it
        head = sql.split("SELECT")[0]
        if sql.split(" ", 1)[0].upper() in ("INSERT", "UPDATE") and f'"{TABLE}"' in head:
            out.append(sql)
    return out


def _xmin() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id, xmin::text FROM "{TABLE}"')  # noqa: S608 - the model's table
        return dict(cursor.fetchall())


def _grouped() -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for m in Match.objects.values("item_id", "verdict"):
        out.setdefault(m["item_id"], {}).setdefault(m["verdict"], 0)
        out[m["item_id"]][m["verdict"]] += 1
    return out


def test_a_second_run_over_unchanged_records_writes_no_verdict(staff, district, town):
    for rd in (45, 28, 5):
        firm_with(town, rd=rd, sales=1000)
    firm_with(town, rd=0, sales=0, year=2015)  # no facts for the year: 数据不足
    _, item = rd_policy(staff, district)
    first = run_match(on=TODAY)
    assert first["written"] == 4
    rows = {m.pk: (m.run_id, m.since) for m in Match.objects.all()}
    xmin = _xmin() if connection.vendor == "postgresql" else None
    later = TODAY + dt.timedelta(days=1)
    with CaptureQueriesContext(connection) as queries:
        second = run_match(on=later)
    assert _writes(queries.captured_queries) == []
    assert second["written"] == 0 and second["eligible"] == first["eligible"] == 1
    assert {m.pk: (m.run_id, m.since) for m in Match.objects.all()} == rows
    if xmin is not None:  # no new row version either
        assert _xmin() == xmin
    # The date shown is the second run's: it covered every firm of the region and found them unchanged.
    run = MatchRun.objects.latest("pk")
    assert run.as_of == later and run.finished_at and run.firms == 4 and run.written == 0
    shown = selectors.dated(Match.objects.select_related("organisation__region", "run"))
    assert {m.as_of for m in shown} == {later} and {m.since for m in shown} == {TODAY}


def test_a_changed_firm_alone_is_rewritten_and_dated_by_its_run(staff, district, town):
    from kechuang.statistics.models import EnterpriseFact

    near = firm_with(town, rd=28, sales=1000)
    steady = firm_with(town, rd=45, sales=1000)
    _, item = rd_policy(staff, district)
    run_match(on=TODAY)
    before = Match.objects.get(organisation=steady, item=item)
    # The near firm's 2019 R&D is corrected.
    later = TODAY + dt.timedelta(days=2)
    EnterpriseFact.objects.filter(organisation=near, year=2019).update(rd_hnte=D(50))
    with CaptureQueriesContext(connection) as queries:
        result = match_firms(organisation_ids=[near.pk, steady.pk], on=later)
    assert len(_writes(queries.captured_queries)) == 1  # one upsert statement, of one row
    run = MatchRun.objects.latest("pk")
    assert run.scope == MatchRun.Scope.FIRMS and run.written == 1 and result["eligible"] == 2
    changed = Match.objects.get(organisation=near, item=item)
    assert changed.verdict == "eligible" and changed.run_id == run.pk and changed.since == later
    kept = Match.objects.get(organisation=steady, item=item)
    assert (kept.run_id, kept.since) == (before.run_id, before.since)
    # A run over some firms confirms only what it wrote: the steady verdict is still dated by the nightly run.
    dated = {m.organisation_id: m.as_of for m in selectors.dated(Match.objects.select_related("run"))}
    assert dated == {near.pk: later, steady.pk: TODAY}


def test_tally_equals_the_verdicts_after_a_run_a_change_and_a_move(staff, district, town, other_district):
    from kechuang.statistics.models import EnterpriseFact

    firms = [firm_with(town, rd=rd, sales=1000) for rd in (45, 50, 28, 5, 1)]
    _, item = rd_policy(staff, district)
    run_match(on=TODAY)
    assert tally.verify() == []
    assert selectors.items_with_counts(staff, item.policy)[0].counts == _grouped()[item.pk]
    assert _grouped()[item.pk] == {"eligible": 2, "near": 3}
    # A firm's R&D rises (eligible now), another moves to another town of the district.
    EnterpriseFact.objects.filter(organisation=firms[3], year=2019).update(rd_hnte=D(60))
    other_town = Region.objects.filter(parent=district).exclude(pk=town.pk).first() or district
    firms[4].region = other_town
    firms[4].save(update_fields=["region"])
    match_firms(organisation_ids=[firms[3].pk, firms[4].pk], on=TODAY)
    assert tally.verify() == []
    assert _grouped()[item.pk] == {"eligible": 3, "near": 2}
    card = {p["pk"]: p for p in selectors.item_counts(staff)}[item.pk]
    assert (card["eligible"], card["near"], card["ineligible"]) == (3, 2, 0)
    moved = MatchTally.objects.get(item=item, region=other_town, verdict="near")
    assert moved.n == 1
    # Tampering is found and the rebuild repairs it.
    MatchTally.objects.filter(item=item, region=town, verdict="eligible").update(n=99)
    assert len(tally.verify()) == 1
    tally.rebuild()
    assert tally.verify() == []


def test_a_wider_policy_is_counted_per_user_region(staff, district, town, other_district):
    """A city policy: each district's staff count only their own firms; the city's staff count both."""
    city = district.parent
    firm_with(town, rd=45, sales=1000)
    OrganisationFactory(region=other_district)  # 数据不足 there
    _, item = rd_policy(UserFactory(staff=True, region=city), city)
    run_match(on=TODAY)
    mine = {p["pk"]: p for p in selectors.item_counts(staff)}[item.pk]
    assert (mine["eligible"], mine["unknown"]) == (1, 0)
    theirs = {p["pk"]: p for p in selectors.item_counts(UserFactory(staff=True, region=other_district))}
    assert (theirs[item.pk]["eligible"], theirs[item.pk]["unknown"]) == (0, 1)
    both = {p["pk"]: p for p in selectors.item_counts(UserFactory(staff=True, region=city))}
    assert (both[item.pk]["eligible"], both[item.pk]["unknown"]) == (1, 1)


def _card_queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("core:home"))  # warm: sessions, menus
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    return len(queries.captured_queries)


def test_staff_card_and_policy_page_queries_do_not_grow_with_the_firms(client, staff, district, town):
    policy, _ = rd_policy(staff, district)
    firm_with(town, rd=45, sales=1000)
    run_match(on=TODAY)
    home = _card_queries(client, staff)
    page = reverse("policies:policy_detail", args=[policy.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(page)
    for rd in range(1, 40):
        firm_with(town, rd=rd, sales=1000)
    run_match(on=TODAY)
    assert _card_queries(client, staff) == home
    with CaptureQueriesContext(connection) as large:
        html = client.get(page).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    counts = _grouped()[policy.items.get().pk]
    assert counts["eligible"] == 1 and sum(counts.values()) == 40
    shown = f"符合 {counts['eligible']} · 接近 {counts.get('near', 0)} · 不符合 {counts.get('ineligible', 0)}"
    assert shown in html
    # Neither reads the verdicts' table to count them.
    assert not any(f'"{TABLE}"' in q["sql"] and "COUNT" in q["sql"] for q in large.captured_queries)
