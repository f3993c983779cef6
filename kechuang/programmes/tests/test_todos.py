"""The programme engine's kinds in the one to-do list (core.todos): a task is its record still waiting, so it
disappears when the record is done; counting and listing take the same number of queries for 1 or many tasks;
another district's staff and another firm never see it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.core import todos
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.programmes import services
from kechuang.programmes.models import Application
from kechuang.reports import snapshots

from .conftest import COMPLETE, NOW

S = Application.Status


def _counts(user, **kw) -> dict[str, tuple[int, int]]:
    return {c.kind.key: (c.total, c.overdue) for c in todos.counts(user, **kw)}


def _submit(app, user):
    return services.application_transition(actor=user, application=app, to=S.SUBMITTED, now=NOW)


def _firm_application(call, title: str):
    firm_user = UserFactory(enterprise=True, organisation=OrganisationFactory(region=call.region))
    app = services.application_create(
        actor=firm_user,
        call=call,
        organisation=firm_user.organisation,
        title=title,
        field_code="A01",
        now=NOW,
    )
    app = services.application_save_draft(actor=firm_user, application=app, data=COMPLETE, expected_version=1)
    return _submit(app, firm_user)


@pytest.mark.django_db
def test_a_draft_is_the_firms_task_and_once_submitted_the_staffs_until_checked(
    application, enterprise_user, staff, calendar_2020_2027
):
    assert _counts(enterprise_user) == {"programmes.submit": (1, 0)}
    assert "programmes.check" not in _counts(staff)

    _submit(application, enterprise_user)
    assert "programmes.submit" not in _counts(enterprise_user)
    assert _counts(staff)["programmes.check"][0] == 1

    services.application_check(actor=staff, application=application, result="accept", now=NOW)
    assert "programmes.check" not in _counts(staff)
    assert _counts(staff)["programmes.draw"][0] == 1  # the next step is the next task


@pytest.mark.django_db
def test_overdue_counts_working_days_from_submission(application, enterprise_user, staff, calendar_2020_2027):
    _submit(application, enterprise_user)  # Sunday 2020-05-10: 5 working days end on Friday 2020-05-15
    assert _counts(staff, today=dt.date(2020, 5, 15))["programmes.check"] == (1, 0)
    assert _counts(staff, today=dt.date(2020, 5, 16))["programmes.check"] == (1, 1)
    [task] = todos.tasks(staff, todos.kind_by_key("programmes.check"), today=dt.date(2020, 5, 18))
    assert task.due == dt.date(2020, 5, 15) and task.overdue
    assert task.url == reverse("programmes:application_detail", args=[application.pk])


@pytest.mark.django_db
def test_another_districts_staff_and_another_firm_see_nothing(
    application, enterprise_user, other_district, calendar_2020_2027
):
    _submit(application, enterprise_user)
    zd_staff = UserFactory(staff=True, region=other_district)
    other_firm = UserFactory(
        enterprise=True, organisation=OrganisationFactory(region=application.call.region)
    )
    assert _counts(zd_staff) == {} and _counts(other_firm) == {}
    kind = todos.kind_by_key("programmes.check")
    assert todos.tasks(zd_staff, kind) == []


@pytest.mark.django_db
def test_counting_and_listing_take_the_same_queries_for_one_task_or_many(
    client, application, enterprise_user, staff, calendar_2020_2027
):
    _submit(application, enterprise_user)

    def measure():
        from django.core.cache import cache

        cache.clear()  # the home page's figures card is cached until the data change: measure it cold each time
        snapshots.forget()  # and the kept figures (reports.snapshots)
        with CaptureQueriesContext(connection) as counting:
            todos.counts(staff)
        client.force_login(staff)
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("core:todo")).status_code == 200
        with CaptureQueriesContext(connection) as home:
            assert client.get(reverse("core:home")).status_code == 200
        return len(counting), len(page), len(home)

    measure()  # warm the per-process caches (content types, templates)
    one = measure()
    for n in range(4):
        _firm_application(application.call, f"第{n}份申报")
    assert _counts(staff)["programmes.check"][0] == 5
    assert measure() == one
    visible = len(todos.kinds_for(staff))
    assert one[0] <= 3 * visible  # per kind: one aggregate, and the calendar once per time limit


@pytest.mark.django_db
def test_the_todo_pages_list_the_tasks_and_refuse_a_kind_the_user_does_not_have(
    client, application, enterprise_user, staff, calendar_2020_2027
):
    _submit(application, enterprise_user)
    client.force_login(staff)
    home = client.get(reverse("core:home")).content.decode()
    assert "待形式审查" in home and 'data-todo-kind="programmes.check"' in home
    page = client.get(reverse("core:todo_kind", args=["programmes.check"])).content.decode()
    assert "高企认定申报" in page and "共 1 项" in page
    client.force_login(enterprise_user)
    assert client.get(reverse("core:todo_kind", args=["programmes.check"])).status_code == 404
    assert client.get(reverse("core:todo_kind", args=["no.such"])).status_code == 404
    assert "没有待办事项" in client.get(reverse("core:home")).content.decode()
