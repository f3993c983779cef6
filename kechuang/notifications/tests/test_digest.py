"""Digests instead of repeats: one notice per (recipient, object, reason), enforced by the database; one
digest of overdue items per person and day, sent under the scheduler's slot lock."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from kechuang.core import scheduling
from kechuang.core.tests.factories import UserFactory
from kechuang.notifications import services
from kechuang.notifications.models import Notification
from kechuang.projects import services as projects
from kechuang.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db


def test_the_same_object_and_reason_is_one_notice_per_recipient(staff, leader):
    first = services.notify(users=[staff], kind="system", title="待审核", about="demo:1", reason="to_check")
    again = services.notify(
        users=[staff, leader], kind="system", title="待审核", about="demo:1", reason="to_check"
    )
    assert len(first) == 1 and [n.user for n in again] == [leader]  # the repeat added nothing for staff
    services.mark_read(user=staff, notification=first[0])
    other_reason = services.notify(
        users=[staff], kind="system", title="待复核", about="demo:1", reason="approve"
    )
    assert len(other_reason) == 1
    changed = services.notify(
        users=[staff], kind="system", title="【升级】待审核", about="demo:1", reason="to_check"
    )
    assert [n.pk for n in changed] == [first[0].pk]
    first[0].refresh_from_db()
    assert first[0].title == "【升级】待审核" and first[0].read_at is None
    assert Notification.objects.filter(user=staff).count() == 2


def test_the_database_refuses_a_second_notice_for_the_same_object_and_reason(staff):
    services.notify(users=[staff], kind="system", title="a", about="demo:2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            user=staff, kind="system", title="b", object_key="demo:2", reason="system"
        )
    # Notices about nothing in particular are not limited.
    services.notify(users=[staff], kind="system", title="c")
    services.notify(users=[staff], kind="system", title="c")
    assert Notification.objects.filter(user=staff, object_key="").count() == 2


def _overdue_report(staff, settings):
    """A firm's progress report submitted on 2020-10-09 and still not reviewed: overdue for its staff after
    the 10 working days of `projects.report_review` (the to-do list)."""
    firm_user = UserFactory(enterprise=True)
    project = make_project(staff, unit=firm_user.organisation, name="智能传感器研发")
    milestone = projects.milestone_add(
        actor=staff,
        project=project,
        title="样机",
        due_on=dt.date(2020, 12, 30),
        deliverable="样机",
        target="测试",
    )
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 10, 9)}
    projects.report_submit(
        actor=firm_user, project=project, kind="milestone", milestone=milestone, summary="完成"
    )
    return firm_user


def test_daily_digest_is_sent_once_a_day_under_the_scheduler_lock(staff, calendar_2020_2027, settings):
    firm_user = _overdue_report(staff, settings)
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 11, 30)}
    job = next(j for j in scheduling.all_jobs() if j.name == "notification-digest")
    morning = timezone.make_aware(dt.datetime(2020, 11, 30, 7, 45))
    assert scheduling.run_due(morning, jobs=(job,), host="a") == ["notification-digest"]
    assert scheduling.run_due(morning + dt.timedelta(hours=3), jobs=(job,), host="b") == []  # slot taken
    call_command("notifications", "digest", "--as-of", "2020-11-30")  # by hand: keyed by the day, no repeat
    [digest] = Notification.objects.filter(user=staff, kind="digest")
    assert digest.title == "每日逾期事项汇总（2020-11-30）：1项"
    assert "进展报告待审核：" in digest.body and "智能传感器研发" in digest.body
    assert not Notification.objects.filter(user=firm_user, kind="digest").exists()
    call_command("notifications", "digest", "--as-of", "2020-12-01")
    assert Notification.objects.filter(user=staff, kind="digest").count() == 2


def test_nobody_gets_a_digest_without_overdue_items(staff, calendar_2020_2027, settings):
    _overdue_report(staff, settings)
    call_command("notifications", "digest", "--as-of", "2020-10-12")  # within the 10 working days
    assert not Notification.objects.filter(kind="digest").exists()
