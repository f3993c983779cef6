import pytest
from django.urls import reverse
from django.utils.html import escape

from kechuang.core.models import AuditEvent
from kechuang.enterprises.tests.factories import ProfileFactory, YearFactory
from kechuang.programmes import services
from kechuang.programmes.models import Programme
from kechuang.programmes.services import TransitionRefused

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _use_check(application, key: str, *, blocks: bool = False) -> None:
    Programme.objects.filter(pk=application.call.programme_id).update(
        eligibility_check=key, eligibility_blocks=blocks
    )
    application.call.programme.refresh_from_db()


def _weak_firm(org):
    ProfileFactory(organisation=org, ip_class1=0, ip_class2=0)
    YearFactory(organisation=org, year=2019, staff=100, st_staff=1, rnd_expense=0, rnd_domestic=0)


def test_submission_stores_the_pre_check_result_without_blocking_by_default(application, enterprise_user):
    _weak_firm(enterprise_user.organisation)
    _use_check(application, "tech_sme")
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.eligibility["check"] == "tech_sme"
    assert application.eligibility["eligible"] is False
    assert application.eligibility["as_of"] == "2020-05-10"
    failed = [c for c in application.eligibility["criteria"] if c["passed"] is False]
    assert failed and all(c["value"] for c in failed)


def test_programme_that_requires_eligibility_refuses_a_failing_firm_and_audits_it(
    application, enterprise_user
):
    _weak_firm(enterprise_user.organisation)
    _use_check(application, "tech_sme", blocks=True)
    with pytest.raises(TransitionRefused, match="预审符合科技型中小企业评价条件后方可提交"):
        services.application_transition(
            actor=enterprise_user, application=application, to="submitted", now=NOW
        )
    application.refresh_from_db()
    assert application.status == "draft" and application.eligibility == {}
    assert AuditEvent.objects.filter(action="application.transition_refused").exists()


def test_programme_that_requires_eligibility_lets_an_eligible_firm_submit(application, enterprise_user):
    ProfileFactory(organisation=enterprise_user.organisation)
    YearFactory(organisation=enterprise_user.organisation, year=2019)
    _use_check(application, "tech_sme", blocks=True)
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    application.refresh_from_db()
    assert application.status == "submitted" and application.eligibility["eligible"] is True


def test_programme_without_pre_check_stores_nothing(application, enterprise_user):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    application.refresh_from_db()
    assert application.eligibility == {}


def test_application_pages_show_criteria_numbers_and_missing_data(client, application, enterprise_user):
    _use_check(application, "hnte")  # the firm has no profile or financial data at all
    client.force_login(enterprise_user)
    for name in ("application_detail", "application_edit"):
        page = client.get(reverse(f"programmes:{name}", args=[application.pk])).content.decode()
        assert "资格预审：高新技术企业认定条件" in page
        assert "缺少数据：" in page and "近三个会计年度财务数据" in page
        assert "预审结果供参考，不影响提交" in page


def test_staff_see_the_result_stored_at_submission(client, application, enterprise_user, staff):
    ProfileFactory(organisation=enterprise_user.organisation)
    YearFactory(organisation=enterprise_user.organisation, year=2019)
    _use_check(application, "tech_sme")
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    client.force_login(staff)
    page = client.get(reverse("programmes:application_detail", args=[application.pk])).content.decode()
    assert "符合科技型中小企业评价条件" in page and "提交时的结果，预审日 2020-05-10" in page
    application.refresh_from_db()
    for criterion in application.eligibility["criteria"]:
        assert escape(criterion["name"]) in page  # every criterion is listed with its verdict and figures


def test_unknown_pre_check_key_cannot_be_saved(application):
    programme = application.call.programme
    programme.eligibility_check = "bogus"
    with pytest.raises(Exception, match="bogus"):
        programme.full_clean()
