"""One instance, one city, two districts: the second demo district and the data scopes between them."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.core import demo_districts
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import DemoLoad, Organisation, Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.enterprises.models import Qualification
from kechuang.reports import dashboard
from kechuang.statistics.models import EnterpriseFact

AS_OF = dt.date(2020, 11, 30)


@pytest.fixture
def zhangdian(demo):
    return Region.objects.get(code="370303")


def _valid_hnte(region) -> int:
    return (
        Qualification.objects.filter(
            kind__code="hnte",
            organisation__region__path__startswith=region.path,
            valid_from__lte=AS_OF,
            valid_until__gte=AS_OF,
            revoked_on__isnull=True,
        )
        .values("organisation")
        .distinct()
        .count()
    )


def test_the_second_district_is_built_once_with_its_own_towns_staff_and_firms(zhangdian):
    assert Region.objects.filter(parent=zhangdian).count() == 8
    firms = Organisation.objects.filter(kind="enterprise", region__path__startswith=zhangdian.path)
    assert firms.count() == 160
    assert all(code[2:8] == "370303" for code in firms.values_list("credit_code", flat=True))
    assert User.objects.get(username="zd_staff").region == zhangdian
    assert set(DemoLoad.objects.values_list("app_label", flat=True)) >= {"core@370303", "enterprises@370303"}
    assert demo_districts.run_district("370303") == []  # a second run changes nothing
    assert firms.count() == 160


def test_district_staff_see_only_their_own_district(zhangdian, client):
    zd_firm = Organisation.objects.filter(kind="enterprise", region__path__startswith=zhangdian.path).first()
    zc_firm = OrganisationFactory(region=Region.objects.get(code="370306001"))
    client.force_login(User.objects.get(username="zd_staff"))
    assert client.get(reverse("enterprises:firm_detail", args=[zd_firm.pk])).status_code == 200
    assert client.get(reverse("enterprises:firm_detail", args=[zc_firm.pk])).status_code == 404
    listing = client.get(reverse("enterprises:firm_list"), {"q": zc_firm.name}).content.decode()
    assert zc_firm.credit_code not in listing  # the search box echoes the name, not the code
    listing = client.get(reverse("enterprises:firm_list"), {"q": zd_firm.name}).content.decode()
    assert zd_firm.credit_code in listing
    client.force_login(UserFactory(staff=True))  # a 周村区 staff member
    assert client.get(reverse("enterprises:firm_detail", args=[zd_firm.pk])).status_code == 404


def test_city_staff_compare_the_districts_with_figures_computed_from_rows(zhangdian, client):
    city = Region.objects.get(code="370300")
    heads, rows = dashboard.district_comparison(Scope(city, Period(2020), AS_OF))
    row = next(r for r in rows if r["region"]["pk"] == zhangdian.pk)
    cells = dict(zip(heads, row["cells"], strict=True))
    hnte = next(v for k, v in cells.items() if k.startswith("高新技术企业"))
    assert hnte["text"].replace(",", "") == str(_valid_hnte(zhangdian))
    rd_total = sum(
        f.rd_internal
        for f in EnterpriseFact.objects.filter(
            organisation__region__path__startswith=zhangdian.path,
            year=2020,
            month__isnull=True,
            quarter__isnull=True,
        )
    )
    assert rd_total == demo_districts.PLANS["370303"].rd_total[2020]

    client.force_login(UserFactory(city=True))
    page = client.get(
        reverse("reports:dashboard"), {"region": city.pk, "period": "2020", "as_of": "2020-11-30"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "张店区" in html and "周村区" in html


def test_an_unknown_district_is_refused_with_a_message(db):
    with pytest.raises(CommandError, match="没有区划 370399 的演示方案"):
        call_command("demo", "--district", "370399")


def test_demo_refuses_to_run_without_debug_unless_told(settings, db):
    """Issue 25: `kechuang demo` had no production guard (demo accounts share a published password)."""
    settings.DEBUG, settings.TESTING = False, False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("demo")
    assert not User.objects.filter(username="staff").exists()

    from kechuang.core.management.commands.demo import refuse_in_production

    refuse_in_production(True)  # the explicit flag lets it through
    settings.DEBUG = True
    refuse_in_production(False)
