"""中期检查 and 验收/结题: expert panels drawn with the programmes rules (recusal), and conclusions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core.models import Organisation
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, PersonFactory
from kechuang.programmes import rules as draw_rules
from kechuang.programmes import services as programme_services
from kechuang.programmes.models import Expert
from kechuang.projects import services
from kechuang.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return OrganisationFactory(name="合作大学", kind=Organisation.Kind.UNIVERSITY)


@pytest.fixture
def project(staff, partner):
    p = make_project(staff, partners=[partner], fiscal="100000")
    services.project_transition(actor=staff, project=p, to="in_progress")
    services.disbursement_create(actor=staff, project=p, amount="80000", paid_on=dt.date(2020, 5, 1))
    return p


@pytest.fixture
def pool(staff, district, project, partner):
    """6 technical and 2 finance experts; one technical works for the undertaking unit, one finance
    expert declared a conflict with the partner university."""

    def expert(category, employer=None, conflicts=()):
        return programme_services.expert_create(
            actor=staff,
            person=PersonFactory(organisation=employer or OrganisationFactory()),
            category=category,
            region=district,
            employer=employer,
            conflicts=conflicts,
        )

    experts = [expert(Expert.Category.TECHNICAL) for _ in range(5)]
    employed = expert(Expert.Category.TECHNICAL, employer=project.undertaking_unit)
    conflicted = expert(Expert.Category.FINANCE, conflicts=[partner])
    finance = expert(Expert.Category.FINANCE)
    return {"all": [*experts, employed, conflicted, finance], "employed": employed, "conflicted": conflicted}


def test_panel_never_includes_experts_of_the_unit_or_a_partner(staff, project, pool):
    for n in range(4):
        review = services.review_draw(actor=staff, project=project, kind="midterm", seed=f"seed-{n}")
        chosen = set(review.experts.values_list("pk", flat=True))
        assert len(chosen) == 5
        assert pool["employed"].pk not in chosen and pool["conflicted"].pk not in chosen
        assert Expert.objects.filter(pk__in=chosen, category="finance").count() >= 1
        ok, _ = draw_rules.verify_draw(review.draw_record)
        assert ok and review.draw_hash == review.draw_record["hash"]
        services.review_conclude(actor=staff, review=review, conclusion="passed", opinion="进度正常")


def test_second_open_review_of_the_same_kind_is_refused(staff, project, pool):
    services.review_draw(actor=staff, project=project, kind="midterm", seed="a")
    with pytest.raises(ValidationError, match="未出结论"):
        services.review_draw(actor=staff, project=project, kind="midterm", seed="b")


def test_review_needs_a_project_in_progress(staff, pool):
    fresh = make_project(staff)
    with pytest.raises(ValidationError, match="实施中"):
        services.review_draw(actor=staff, project=fresh, kind="midterm")


def test_midterm_cannot_conclude_a_project(staff, project, pool):
    review = services.review_draw(actor=staff, project=project, kind="midterm", seed="a")
    with pytest.raises(ValidationError, match="中期检查的结论只能是通过或不通过"):
        services.review_conclude(actor=staff, review=review, conclusion="concluded", opinion="x")
    services.review_conclude(actor=staff, review=review, conclusion="failed", opinion="进度滞后")
    project.refresh_from_db()
    assert project.status == "in_progress"


def test_acceptance_requires_statement_within_disbursed_and_ends_the_project(staff, project, pool):
    review = services.review_draw(actor=staff, project=project, kind="acceptance", seed="a")
    with pytest.raises(ValidationError, match="决算"):
        services.review_conclude(actor=staff, review=review, conclusion="passed", opinion="达标")
    with pytest.raises(ValidationError, match="不能超过已拨付"):
        services.review_conclude(
            actor=staff,
            review=review,
            conclusion="passed",
            opinion="达标",
            fiscal_spent="80000.01",
            self_spent="0",
        )
    services.review_conclude(
        actor=staff,
        review=review,
        conclusion="concluded",
        opinion="部分指标未完成，同意结题",
        fiscal_spent="75000",
        self_spent="300000",
        on=dt.date(2020, 11, 20),
    )
    project.refresh_from_db()
    review.refresh_from_db()
    assert project.status == "concluded" and project.ended_on == dt.date(2020, 11, 20)
    assert review.fiscal_spent == Decimal("75000.00") and review.conclusion == "concluded"
    with pytest.raises(ValidationError, match="已有结论"):
        services.review_conclude(
            actor=staff, review=review, conclusion="passed", opinion="x", fiscal_spent=0, self_spent=0
        )


def test_firm_and_leader_cannot_draw_or_conclude(staff, leader, enterprise_user, pool, partner):
    project = make_project(staff, unit=enterprise_user.organisation, partners=[partner])
    services.project_transition(actor=staff, project=project, to="in_progress")
    for actor in (leader, enterprise_user):
        with pytest.raises(ValidationError):
            services.review_draw(actor=actor, project=project, kind="midterm")
    review = services.review_draw(actor=staff, project=project, kind="midterm", seed="a")
    with pytest.raises(ValidationError):
        services.review_conclude(actor=leader, review=review, conclusion="passed", opinion="x")


def test_review_pages_draw_and_conclude(client, staff, leader, project, pool):
    client.login(username=staff.username, password=TEST_PASSWORD)
    resp = client.post(reverse("projects:review_draw", args=[project.pk]), {"kind": "acceptance"})
    assert resp.status_code == 302
    review = project.reviews.get()
    url = reverse("projects:review_conclude", args=[review.pk])
    page = client.post(url, {"conclusion": "passed", "opinion": "达标"}).content.decode()
    assert "验收/结题须填写财政资金和自筹资金决算" in page
    resp = client.post(
        url, {"conclusion": "passed", "opinion": "达标", "fiscal_spent": "80000", "self_spent": "1"}
    )
    assert resp.status_code == 302
    project.refresh_from_db()
    assert project.status == "accepted"
    detail = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "验收通过" in detail and "达标" in detail
    client.login(username=leader.username, password=TEST_PASSWORD)
    assert client.get(url).status_code == 404
    assert client.get(reverse("projects:review_draw", args=[project.pk])).status_code == 404
