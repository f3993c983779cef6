"""Staff are told when something awaits them: a submitted application, a new objection (issue 24.2)."""

import pytest
from django.utils import timezone

from kechuang.notifications.models import Notification
from kechuang.programmes import services

from .conftest import NOW
from .test_views import _in_publicity

pytestmark = [pytest.mark.django_db]


def test_submitting_tells_the_calls_staff_once(
    application, enterprise_user, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            actor=enterprise_user, application=application, to="submitted", now=NOW
        )
    [note] = Notification.objects.filter(user=staff, kind="programmes.task")
    assert note.title.startswith("新申报待形式审查") and "高企认定申报" in note.title
    assert note.url == f"/programmes/applications/{application.pk}/"
    assert not Notification.objects.filter(user=enterprise_user, kind="programmes.task").exists()
    services.application_check(actor=staff, application=application, result="accept")
    note.refresh_from_db()
    assert note.read_at is not None  # checked: the notice no longer asks


def test_a_new_objection_tells_the_staff(accepted, staff, expert_pool, django_capture_on_commit_callbacks):
    period = _in_publicity(accepted, staff, timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        objection = services.objection_submit(
            publicity=period, name="张三", contact="13800001111", reason="核实知识产权"
        )
    [note] = Notification.objects.filter(user=staff, reason="to_answer")
    assert objection.receipt in note.title and note.body == "核实知识产权"
    services.objection_answer(actor=staff, objection=objection, answer="经核实异议不成立")
    note.refresh_from_db()
    assert note.read_at is not None
