import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.models import AuditEvent
from kechuang.core.services import StaleObject
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.enterprises import services
from kechuang.enterprises.models import EnterpriseProfile, EnterpriseYear, Qualification

from .factories import QualificationFactory, kind

pytestmark = pytest.mark.django_db


def test_hnte_certificate_is_valid_three_years_from_issue(staff, firm):
    q = services.qualification_record(
        actor=staff,
        organisation=firm,
        kind=kind("hnte"),
        number="GR202037005133",
        valid_from=dt.date(2020, 8, 17),
    )
    assert q.valid_until == dt.date(2023, 8, 16)
    assert AuditEvent.objects.filter(action="enterprise.qualification_record", object_id=str(q.pk)).exists()


def test_tech_sme_registration_is_valid_until_the_end_of_its_year(staff, firm):
    q = services.qualification_record(
        actor=staff,
        organisation=firm,
        kind=kind("tech_sme"),
        number="2020370306A0000123",
        valid_from=dt.date(2020, 4, 3),
    )
    assert q.valid_until == dt.date(2020, 12, 31)


@pytest.mark.parametrize("number", ["GR20203700513", "GX202037005133", "2020370306B0000123"])
def test_badly_shaped_certificate_number_is_refused_in_chinese(staff, firm, number):
    code = "tech_sme" if number.startswith("2020") else "hnte"
    with pytest.raises(ValidationError) as err:
        services.qualification_record(
            actor=staff, organisation=firm, kind=kind(code), number=number, valid_from=dt.date(2020, 1, 1)
        )
    assert "编号格式" in str(err.value)
    assert not Qualification.objects.exists()


def test_full_width_certificate_number_is_normalised(staff, firm):
    q = services.qualification_record(
        actor=staff,
        organisation=firm,
        kind=kind("hnte"),
        number=" ＧＲ２０２０３７００５１３３ ",
        valid_from=dt.date(2020, 8, 17),
    )
    assert q.number == "GR202037005133"


def test_same_certificate_number_cannot_be_recorded_twice(staff, firm):
    services.qualification_record(
        actor=staff,
        organisation=firm,
        kind=kind("hnte"),
        number="GR202037005133",
        valid_from=dt.date(2020, 8, 17),
    )
    with pytest.raises(ValidationError, match="已登记"):
        services.qualification_record(
            actor=staff,
            organisation=OrganisationFactory(),
            kind=kind("hnte"),
            number="GR202037005133",
            valid_from=dt.date(2020, 8, 17),
        )
    assert Qualification.objects.count() == 1


def test_hnte_without_number_is_refused(staff, firm):
    with pytest.raises(ValidationError, match="请填写高新技术企业"):
        services.qualification_record(
            actor=staff, organisation=firm, kind=kind("hnte"), valid_from=dt.date(2020, 1, 1)
        )


def test_revocation_needs_a_reason_and_happens_once(staff):
    q = QualificationFactory()
    with pytest.raises(ValidationError, match="撤销原因"):
        services.qualification_revoke(
            actor=staff, qualification=q, revoked_on=dt.date(2020, 6, 1), reason=" "
        )
    services.qualification_revoke(
        actor=staff, qualification=q, revoked_on=dt.date(2020, 6, 1), reason="未报年报"
    )
    q.refresh_from_db()
    assert q.status == Qualification.Status.REVOKED and q.revoke_reason == "未报年报"
    with pytest.raises(ValidationError, match="不能重复撤销"):
        services.qualification_revoke(
            actor=staff, qualification=q, revoked_on=dt.date(2020, 7, 1), reason="再次"
        )
    assert AuditEvent.objects.filter(action="enterprise.qualification_revoke").count() == 1


def test_revocation_before_validity_start_is_refused(staff):
    q = QualificationFactory()
    with pytest.raises(ValidationError, match="不能早于"):
        services.qualification_revoke(
            actor=staff, qualification=q, revoked_on=dt.date(2019, 1, 1), reason="x"
        )


def test_valid_on_date_answers_for_past_dates_including_revocations():
    q = QualificationFactory(valid_from=dt.date(2017, 10, 16))  # valid to 2020-10-15
    revoked = QualificationFactory(
        valid_from=dt.date(2018, 11, 30), status="revoked", revoked_on=dt.date(2020, 6, 15)
    )
    valid = Qualification.objects.valid_on
    assert set(valid(dt.date(2017, 10, 15))) == set()
    assert set(valid(dt.date(2017, 10, 16))) == {q}
    assert set(valid(dt.date(2020, 6, 14))) == {q, revoked}
    assert set(valid(dt.date(2020, 6, 15))) == {q}  # revoked on that day: no longer held
    assert set(valid(dt.date(2020, 10, 15))) == {q}
    assert set(valid(dt.date(2020, 10, 16))) == set()
    assert revoked.is_valid_on(dt.date(2020, 6, 14)) and not revoked.is_valid_on(dt.date(2020, 6, 15))


def test_second_profile_save_with_old_version_is_refused_and_changes_nothing(staff, firm):
    first = services.profile_update(actor=staff, organisation=firm, expected_version=1, staff_count=50)
    assert first.version == 2
    with pytest.raises(StaleObject, match="已被他人修改"):
        services.profile_update(actor=staff, organisation=firm, expected_version=1, staff_count=80)
    assert EnterpriseProfile.objects.get(organisation=firm).staff_count == 50


def test_profile_refuses_more_st_staff_than_staff(staff, firm):
    with pytest.raises(ValidationError, match="科技人员数不能大于职工总数"):
        services.profile_update(actor=staff, organisation=firm, staff_count=10, st_staff_count=20)
    assert not EnterpriseProfile.objects.filter(organisation=firm, staff_count=10).exists()


def test_year_save_upserts_and_audits(enterprise_user, firm):
    services.enterprise_year_save(actor=enterprise_user, organisation=firm, year=2019, sales_revenue=100)
    services.enterprise_year_save(actor=enterprise_user, organisation=firm, year=2019, sales_revenue=200)
    assert EnterpriseYear.objects.get(organisation=firm, year=2019).sales_revenue == 200
    assert list(
        AuditEvent.objects.filter(action__startswith="enterprise.year")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["enterprise.year_create", "enterprise.year_update"]


def test_year_refuses_domestic_rnd_above_total(staff, firm):
    with pytest.raises(ValidationError, match="境内研发费用"):
        services.enterprise_year_save(
            actor=staff, organisation=firm, year=2019, rnd_expense=10, rnd_domestic=20
        )
    assert not EnterpriseYear.objects.exists()


def test_qualifications_are_only_for_enterprises(staff):
    university = OrganisationFactory(kind="university")
    with pytest.raises(ValidationError, match="只有企业"):
        services.qualification_record(
            actor=staff, organisation=university, kind=kind("city_hnte_pool"), valid_from=dt.date(2020, 1, 1)
        )
