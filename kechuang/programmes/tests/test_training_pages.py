"""培训与宣讲 as a routine job on pages: staff plan a training, invite firms by list, the invited firm has it on
its 我的待办 until it registers, attendance is ticked (on a phone too) and "firms trained" counts it."""

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.core import dates, todos
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.programmes import selectors
from kechuang.programmes.models import Training

pytestmark = pytest.mark.django_db


def _keys(user):
    return {c.kind.key: c.total for c in todos.counts(user)}


def _plan(client, staff, held_on):
    client.force_login(staff)
    response = client.post(
        reverse("programmes:training_create"),
        {
            "title": "研发费用加计扣除政策宣讲会",
            "topic": "研发费用加计扣除",
            "held_on": held_on,
            "mode": "offline",
            "place": "区科技局三楼会议室",
        },
    )
    training = Training.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "programmes:training_detail", args=[training.pk]
    )
    assert training.region == staff.region and training.created_by == staff
    return training


def test_staff_plan_invite_and_the_firm_registers_from_its_todo(
    client, staff, enterprise_user, other_district
):
    held_on = (dates.today() + dt.timedelta(days=20)).isoformat()
    training = _plan(client, staff, held_on)
    url = reverse("programmes:training_detail", args=[training.pk])
    foreign = OrganisationFactory(region=other_district, name="张店某公司")

    page = client.post(
        url, {"invite_lines": f"{enterprise_user.organisation.name}\n{foreign.name}\n"}, follow=True
    )
    assert "张店某公司" in page.content.decode() and "单位库中没有该单位" in page.content.decode()
    assert not training.participants.exists()  # nothing half-saved

    client.post(url, {"invite_lines": enterprise_user.organisation.credit_code})
    assert training.participants.filter(invited=True).count() == 1
    assert _keys(enterprise_user).get("programmes.training_register") == 1

    client.force_login(enterprise_user)
    assert client.post(url, {"attendee_name": "李娜"}).status_code == 302
    assert "programmes.training_register" not in _keys(enterprise_user)


def test_attendance_ticked_counts_as_firms_trained(client, staff, enterprise_user):
    training = _plan(client, staff, "2020-11-20")
    url = reverse("programmes:training_detail", args=[training.pk])
    client.post(url, {"invite_lines": enterprise_user.organisation.name})
    client.post(url, {"ticked": "1", "attended": [str(enterprise_user.organisation_id)]})
    [row] = selectors.firms_trained(staff.region, 2020)
    assert row["training__topic"] == "研发费用加计扣除" and row["firms"] == 1


def test_leaders_read_trainings_but_do_not_plan_or_change_them(client, staff, leader):
    training = _plan(client, staff, "2020-11-20")
    client.force_login(leader)
    assert client.get(reverse("programmes:training_create")).status_code == 403
    assert "新建培训" not in client.get(reverse("programmes:training_list")).content.decode()
    page = client.get(reverse("programmes:training_detail", args=[training.pk])).content.decode()
    assert "邀请企业" not in page and "保存签到" not in page
    assert (
        client.post(
            reverse("programmes:training_detail", args=[training.pk]), {"invite_lines": "x"}
        ).status_code
        == 404
    )


def test_a_training_without_a_title_is_refused_with_a_message(client, staff):
    client.force_login(staff)
    page = client.post(
        reverse("programmes:training_create"), {"topic": "高企", "held_on": "2020-11-20", "mode": "offline"}
    )
    assert page.status_code == 200 and "title" in page.context["form"].errors
    assert not Training.objects.exists()
