import datetime as dt

import pytest

from kechuang.agritech import selectors
from kechuang.agritech.models import GuidanceAssignment, Pairing
from kechuang.agritech.tests.factories import PairingFactory, VillageFlagFactory, village
from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2020, 11, 30)


def test_active_pairing_covers_key_village(district, key_village):
    PairingFactory(village=key_village)
    cov = selectors.coverage(district, DAY)
    assert cov.covered == [key_village] and cov.complete and cov.rate == 100


def test_pairing_ended_before_the_date_does_not_count(district, key_village):
    PairingFactory(village=key_village, status=Pairing.Status.TERMINATED, ended_on=dt.date(2020, 6, 30))
    cov = selectors.coverage(district, DAY)
    assert cov.gaps == [key_village] and not cov.complete and cov.rate == 0
    # ...but it did count on a day before it ended
    assert selectors.coverage(district, dt.date(2020, 6, 1)).complete


def test_pairing_whose_term_ran_out_does_not_count(district, key_village):
    PairingFactory(village=key_village, term_end=dt.date(2020, 10, 31))
    assert selectors.coverage(district, DAY).gaps == [key_village]


def test_proposed_pairing_not_yet_accepted_does_not_count(district, key_village):
    PairingFactory(village=key_village, status=Pairing.Status.PROPOSED, accepted_on=None)
    assert selectors.coverage(district, DAY).gaps == [key_village]


def test_village_flagged_key_only_in_another_year_does_not_count(district):
    v = village("370306102903", "张家营村", town="370306102")
    VillageFlagFactory(village=v, year=2019)
    PairingFactory(village=v)
    cov = selectors.coverage(district, DAY)
    assert cov.villages == [] and cov.rate is None and not cov.complete
    assert selectors.coverage(district, dt.date(2019, 6, 1)).villages == [v]


def test_guidance_person_in_force_covers_the_village(district, key_village):
    GuidanceAssignment.objects.create(
        village=key_village, person=PersonFactory(), start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)
    )
    assert selectors.coverage(district, DAY).complete
    assert selectors.coverage(district, dt.date(2021, 1, 5)).villages == []  # flag is for 2020 only


def test_gaps_are_listed_by_name(district, key_village, other_village):
    VillageFlagFactory(village=other_village, year=2020)
    PairingFactory(village=key_village)
    cov = selectors.coverage(district, DAY)
    assert cov.gaps == [other_village] and cov.rate == 50


def test_indicators_match_coverage_and_drill_down(district, key_village, other_village):
    VillageFlagFactory(village=other_village, year=2020)
    PairingFactory(village=key_village)
    scope = Scope(district, Period(2020), DAY)
    assert indicators.compute("key_village_count", scope).value == 2
    covered = indicators.compute("key_village_covered", scope)
    assert covered.value == 1 and list(covered.rows()) == [key_village]
    rate = indicators.compute("key_village_coverage_rate", scope)
    assert rate.value == 50 and rate.rows() == [other_village]
    assert indicators.compute("commissioner_count", scope).value == 1


def test_overview_by_town_counts_gaps(district, key_village, other_village):
    VillageFlagFactory(village=other_village, year=2020)
    PairingFactory(village=key_village)
    rows = {r["town"].code: r for r in selectors.town_overview(district, DAY)}
    assert rows["370306100"]["covered"] == 1 and rows["370306100"]["gaps"] == 0
    assert rows["370306101"]["key"] == 1 and rows["370306101"]["gaps"] == 1
