"""Issue 25: configuration one district uses cannot be changed by another. Programme types, summary
templates and the voucher provider registry belong to one bureau (other bureaus get 404); the working-day
calendar is the instance's (its system administrator changes it, `test_permissions.py`)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.core.rules import outermost_paths
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.programmes import services as programme_services
from kechuang.reports import services as report_services
from kechuang.reports.seed import ensure_seed_template
from kechuang.vouchers import services as voucher_services

pytestmark = pytest.mark.django_db
TYPE = {"name": "高企认定", "applicant_kind": "enterprise", "outcome_kind": "qualification"}


@pytest.fixture
def zd_staff(other_district):
    return UserFactory(staff=True, region=other_district)


def test_outermost_paths_keep_one_owner_per_unrelated_region():
    paths = ["1/2/3/", "1/2/3/4/", "1/2/5/", "1/2/3/"]
    assert outermost_paths(paths) == ["1/2/3/", "1/2/5/"]
    assert outermost_paths(["1/2/", "1/2/3/"]) == ["1/2/"]


# --- programme types ---------------------------------------------------------------------------------------
def test_another_districts_staff_cannot_see_or_change_a_programme_type(client, staff, zd_staff):
    ptype = programme_services.programme_type_create(actor=staff, code="hnte", **TYPE)
    assert ptype.region == staff.region
    client.force_login(zd_staff)
    url = reverse("programmes:programme_type_edit", args=[ptype.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"code": "hnte", "name": "改", "version": 1}).status_code == 404
    assert "高企认定" not in client.get(reverse("programmes:config_list")).content.decode()
    with pytest.raises(ValidationError, match="无权修改"):
        programme_services.programme_type_update(actor=zd_staff, ptype=ptype, expected_version=1, name="改")
    ptype.refresh_from_db()
    assert ptype.name == "高企认定"


def test_each_bureau_has_its_own_type_with_the_same_code(staff, zd_staff):
    mine = programme_services.programme_type_create(actor=staff, code="hnte", **TYPE)
    theirs = programme_services.programme_type_create(actor=zd_staff, code="hnte", **TYPE)
    assert mine.pk != theirs.pk and theirs.region.code == "370303"


def test_a_programme_uses_types_of_its_own_bureau_or_one_above(staff, zd_staff, district, other_district):
    zhoucun_type = programme_services.programme_type_create(actor=staff, code="hnte", **TYPE)
    city = Region.objects.get(code="370300")
    city_type = programme_services.programme_type_create(
        actor=UserFactory(city=True), code="city-pool", **TYPE
    )
    assert city_type.region == city
    fields = {"name": "项目", "level": "district", "form_schema": [], "scoring_sheet": [], "review_rules": {}}
    with pytest.raises(ValidationError, match="只能使用本区或上级科技局"):
        programme_services.programme_create(
            actor=zd_staff, type=zhoucun_type, code="zd-1", region=other_district, **fields
        )
    programme = programme_services.programme_create(
        actor=staff, type=city_type, code="zc-1", region=district, **fields
    )
    assert programme.type == city_type
    with pytest.raises(ValidationError, match="无权修改"):  # the city's type is the city's to change
        programme_services.programme_type_update(actor=staff, ptype=city_type, expected_version=1, name="改")


# --- summary templates ----------------------------------------------------------------------------------
def test_another_districts_staff_cannot_change_a_summary_template(client, district, zd_staff):
    zhoucun = ensure_seed_template(district)
    client.force_login(zd_staff)
    assert client.get(reverse("reports:template_edit", args=[zhoucun.pk])).status_code == 404
    assert client.post(reverse("reports:template_edit", args=[zhoucun.pk]), {}).status_code == 404
    listed = client.get(reverse("reports:template_list"))
    assert listed.status_code == 200
    own = ensure_seed_template(zd_staff.region)
    assert own.pk != zhoucun.pk and own.signature == "张店区科学技术局"
    assert [t.pk for t in listed.context["templates"]] == [own.pk]
    zhoucun.refresh_from_db()
    assert zhoucun.signature == "周村区科学技术局"


def test_a_draft_uses_a_template_serving_its_region(district, zd_staff, other_district):
    zhoucun = ensure_seed_template(district)
    scope = Scope(other_district, Period(2020), dt.date(2020, 11, 30))
    with pytest.raises(ValidationError, match="只能使用本区或上级科技局"):
        report_services.draft_generate(actor=zd_staff, template=zhoucun, scope=scope)


# --- voucher providers ------------------------------------------------------------------------------------
def _provider(actor):
    return voucher_services.provider_register(actor=actor, organisation=OrganisationFactory())


def test_another_districts_staff_cannot_blacklist_a_provider(client, staff, zd_staff):
    provider = voucher_services.provider_vet(
        actor=staff, provider=_provider(staff), approve=True, on=dt.date(2020, 3, 1)
    )
    client.force_login(zd_staff)
    assert client.get(reverse("vouchers:provider_detail", args=[provider.pk])).status_code == 404
    url = reverse("vouchers:provider_action", args=[provider.pk, "blacklist"])
    assert client.post(url, {"reason": "外区列入黑名单"}).status_code == 404
    assert provider.pk not in [
        p.pk for p in client.get(reverse("vouchers:provider_list")).context["providers"]
    ]
    with pytest.raises(ValidationError):  # the service asks the policy too (staff of the provider's bureau)
        voucher_services.provider_blacklist(
            actor=zd_staff, provider=provider, reason="x", on=dt.date(2020, 4, 1)
        )
    provider.refresh_from_db()
    assert provider.status == "approved"


def test_the_same_organisation_is_registered_with_each_bureau_separately(staff, zd_staff):
    provider = _provider(staff)
    theirs = voucher_services.provider_register(actor=zd_staff, organisation=provider.organisation)
    assert theirs.region.code == "370303" and provider.region.code == "370306"
    with pytest.raises(ValidationError, match="已登记"):
        voucher_services.provider_register(actor=staff, organisation=provider.organisation)


def test_a_contract_needs_a_provider_of_the_programmes_registry(staff, zd_staff):
    from kechuang.vouchers.tests.conftest import ISSUE_DAY, D, issued_voucher, make_programme

    programme = make_programme(staff)
    voucher = issued_voucher(staff, programme)
    elsewhere = voucher_services.provider_register(actor=zd_staff, organisation=OrganisationFactory())
    elsewhere = voucher_services.provider_vet(actor=zd_staff, provider=elsewhere, approve=True, on=ISSUE_DAY)
    with pytest.raises(ValidationError, match="未在本项目所在地科技局的服务机构库中登记"):
        voucher_services.voucher_contract(
            actor=staff, voucher=voucher, provider=elsewhere, contract_amount=D("1000"), signed_on=ISSUE_DAY
        )


def test_outermost_paths_can_keep_the_order_of_first_use():
    assert outermost_paths(["1/2/5/", "1/2/3/4/", "1/2/3/"], keep_order=True) == ["1/2/5/", "1/2/3/"]
