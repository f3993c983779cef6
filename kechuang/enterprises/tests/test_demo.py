import datetime as dt
import random

import pytest

from kechuang.core import services
from kechuang.core.demo import SEED_FIRMS, DemoContext
from kechuang.core.indicators import Period, Scope, compute
from kechuang.core.models import DictItem, Region
from kechuang.core.tests.factories import UserFactory
from kechuang.enterprises import demo, selectors
from kechuang.enterprises.models import Qualification

pytestmark = pytest.mark.django_db
D = dt.date(2020, 11, 30)


@pytest.fixture
def built(district):
    """The core demo's named firms (as core's part creates them), then this module's part."""
    ctx = DemoContext(
        rng=random.Random(370306),
        district=district,
        towns=list(Region.objects.filter(parent=district).order_by("code")),
    )
    ctx.system = UserFactory(sysadmin=True)
    industries = {i.code: i for i in DictItem.objects.filter(dict_type__code="industry")}
    for name, town, section, established in SEED_FIRMS:
        ctx.orgs[name] = services.organisation_create(
            actor=ctx.system,
            name=name,
            credit_code=ctx.credit_code(),
            region=Region.objects.get(code=town),
            established_on=dt.date.fromisoformat(established),
            industry=industries[section],
        )
    demo.build(ctx)
    return ctx


def test_demo_matches_the_seed_reply_as_of_2020_11_30(built, district):
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
    assert built.orgs["淄博方达电子有限公司"].qualifications.valid_on(D).of_kind("hnte").exists()
    candidates = selectors.pipeline_candidates(selectors.firms_in_region(district), kind="tech_sme", as_of=D)
    assert any(c.assessment.tech_sme.eligible for c in candidates)
