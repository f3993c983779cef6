import datetime as dt
import random

import pytest

from kechuang.agritech import demo, selectors
from kechuang.agritech.models import Commissioner, Pairing, ServiceLog, Station
from kechuang.core.demo import DemoContext
from kechuang.core.models import Organisation, Region
from kechuang.core.tests.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_district_has_15_key_villages_all_covered_on_the_seed_date(district):
    tepaiyuan = UserFactory(commissioner=True, username="tepaiyuan", person=PersonFactory(name="马春生"))
    ctx = DemoContext(
        rng=random.Random(370306),
        district=district,
        towns=list(Region.objects.filter(parent=district).order_by("code")),
        users={"staff_agri": UserFactory(staff=True, username="staff_agri", display_name="张丽华")},
        orgs={
            name: OrganisationFactory(name=name, kind=Organisation.Kind.UNIVERSITY, region=district.parent)
            for name in ("山东理工大学", "淄博职业学院")
        },
        people={"马春生": tepaiyuan.person},
    )
    demo.build(ctx)

    towns = Region.objects.filter(parent=district)
    assert all(8 <= t.children.count() <= 12 for t in towns) and towns.count() == 10
    cov = selectors.coverage(district, dt.date(2020, 11, 30))
    assert len(cov.villages) == 15 and cov.complete
    assert Commissioner.objects.filter(person=tepaiyuan.person).exists()
    assert selectors.pairings_for(tepaiyuan).filter(status=Pairing.Status.ACTIVE).exists()
    assert ServiceLog.objects.filter(date__year=2020).count() > 300
    assert Station.objects.get(level=Station.Level.PROVINCIAL).visits.count() == 3
