import datetime as dt

import pytest

from kechuang.accounts.models import User
from kechuang.agritech import selectors
from kechuang.agritech.models import Commissioner, Pairing, ServiceLog, Station
from kechuang.core.models import Region

pytestmark = pytest.mark.django_db


def test_demo_district_has_15_key_villages_all_covered_on_the_seed_date(demo, district):
    tepaiyuan = User.objects.get(username="tepaiyuan")

    towns = Region.objects.filter(parent=district)
    assert all(8 <= t.children.count() <= 12 for t in towns) and towns.count() == 10
    cov = selectors.coverage(district, dt.date(2020, 11, 30))
    assert len(cov.villages) == 15 and cov.complete
    assert Commissioner.objects.filter(person=tepaiyuan.person).exists()
    assert selectors.pairings_for(tepaiyuan).filter(status=Pairing.Status.ACTIVE).exists()
    assert ServiceLog.objects.filter(date__year=2020).count() > 300
    assert Station.objects.get(level=Station.Level.PROVINCIAL).visits.count() == 3


def test_demo_commissioner_works_on_the_phone(demo, client):
    from django.urls import reverse

    logs = ServiceLog.objects.filter(pairing__commissioner__name="马春生")
    assert logs.filter(latitude__isnull=False).count() == 4
    assert logs.filter(confirmed_at__isnull=False).count() == 2
    card = Pairing.objects.filter(commissioner__name="马春生", card_published=True).first()
    page = client.get(reverse("agritech:public_card", args=[card.card_token])).content.decode()
    assert 'href="tel:0533-6418825"' in page
