import datetime as dt

import pytest

from kechuang.core.indicators import Period, Scope, compute
from kechuang.core.models import Organisation
from kechuang.enterprises import selectors
from kechuang.enterprises.models import Qualification

pytestmark = pytest.mark.django_db
D = dt.date(2020, 11, 30)


def test_demo_matches_the_seed_reply_as_of_2020_11_30(demo, district):
    scope = Scope(district, Period(2020), D)
    assert compute("hnte_count", scope).value == 47
    assert compute("tech_sme_count", scope).value == 89
    pool = (
        Qualification.objects.valid_on(D)
        .of_kind("city_hnte_pool")
        .values_list("organisation__name", flat=True)
    )
    assert {"淄博金宇钢构有限公司", "山东隆之智信息科技有限公司"} <= set(pool)
    assert selectors.firms_in_region(district).count() >= 190
    expiring = selectors.hnte_expiring(selectors.firms_in_region(district), as_of=D)
    assert expiring.exists() and all(q.valid_until.year == 2021 for q in expiring)
    assert Qualification.objects.filter(kind__code="hnte", revoked_on__isnull=False).count() == 3
    ups, downs = selectors.ladder_movers(
        selectors.firms_in_region(district), start=dt.date(2019, 12, 31), end=D
    )
    assert ups and downs
    fangda = Organisation.objects.get(name="淄博方达电子有限公司")
    assert fangda.qualifications.valid_on(D).of_kind("hnte").exists()
    candidates = selectors.pipeline_candidates(selectors.firms_in_region(district), kind="tech_sme", as_of=D)
    assert any(c.assessment.tech_sme.eligible for c in candidates)
