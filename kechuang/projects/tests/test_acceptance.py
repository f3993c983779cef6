"""验收 with the milestone check: the firm applies only with every milestone of its 任务书 met (then it is
on staff's 我的待办), and an acceptance panel cannot pass a project while a milestone is open."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core import todos
from kechuang.core.tests.factories import UserFactory
from kechuang.projects import services
from kechuang.projects.models import ProjectReview
from kechuang.projects.tests.factories import make_project

from .test_reviews import partner, pool  # noqa: F401 - the expert pool fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm_user():
    return UserFactory(enterprise=True)


@pytest.fixture
def project(staff, firm_user, partner):  # noqa: F811
    p = make_project(staff, unit=firm_user.organisation, partners=[partner], fiscal="100000")
    services.project_transition(actor=staff, project=p, to="in_progress")
    services.disbursement_create(actor=staff, project=p, amount="80000", paid_on=dt.date(2020, 5, 1))
    services.milestone_add(
        actor=staff,
        project=p,
        title="样机试制",
        due_on=dt.date(2020, 9, 30),
        deliverable="样机1台",
        target="通过测试",
    )
    return p


def _meet_all(staff, firm_user, project):
    for milestone in project.milestones.all():
        report = services.report_submit(
            actor=firm_user, project=project, kind="milestone", milestone=milestone, summary="样机已完成测试"
        )
        services.report_review(actor=staff, report=report, accept=True)


def _kinds(user):
    return {c.kind.key for c in todos.counts(user)}


def test_the_firm_applies_only_with_every_milestone_met(client, staff, firm_user, project):
    client.force_login(firm_user)
    url = reverse("projects:acceptance_apply", args=[project.pk])
    summary = "任务书目标全部完成，样机通过第三方检测，资金按预算使用。"
    page = client.post(url, {"summary": summary}).content.decode()
    assert "任务书还有1个阶段目标未完成（样机试制）" in page
    project.refresh_from_db()
    assert project.acceptance_requested_on is None and "projects.acceptance_organise" not in _kinds(staff)

    _meet_all(staff, firm_user, project)
    assert client.post(url, {"summary": summary}).status_code == 302
    project.refresh_from_db()
    assert project.acceptance_requested_on and project.acceptance_summary == summary
    assert "projects.acceptance_organise" in _kinds(staff)
    assert "已于" in client.post(url, {"summary": summary}).content.decode()  # once


def test_staff_and_other_firms_cannot_apply(client, staff, project):
    client.force_login(UserFactory(enterprise=True))
    assert client.get(reverse("projects:acceptance_apply", args=[project.pk])).status_code == 404
    with pytest.raises(ValidationError, match="只有承担单位"):
        services.acceptance_apply(actor=staff, project=project, summary="任务书目标全部完成，申请验收。")


def test_acceptance_does_not_pass_with_a_milestone_open(staff, firm_user, project, pool):  # noqa: F811
    review = services.review_draw(actor=staff, project=project, kind="acceptance", seed="a")
    money = {"fiscal_spent": "70000", "self_spent": "0"}
    with pytest.raises(ValidationError, match="阶段目标未完成"):
        services.review_conclude(actor=staff, review=review, conclusion="passed", opinion="达标", **money)
    review.refresh_from_db()
    assert review.conclusion == ""
    _meet_all(staff, firm_user, project)
    services.review_conclude(actor=staff, review=review, conclusion="passed", opinion="达标", **money)
    project.refresh_from_db()
    assert project.status == "accepted" and review.kind == ProjectReview.Kind.ACCEPTANCE
