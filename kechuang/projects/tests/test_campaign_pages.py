"""督查 campaigns as a routine job on pages: 指派督查人 names the projects, late projects are taken in, a
project that cannot be inspected is an exception with its reason, and closing needs 100% or every gap
explained; the inspector's to-do empties as they inspect."""

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.core import todos
from kechuang.core.tests.factories import UserFactory
from kechuang.projects import services
from kechuang.projects.models import SupervisionCampaign
from kechuang.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db


def _campaign(staff):
    return services.campaign_open(
        actor=staff,
        region=staff.region,
        name="2020年上半年督查",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 6, 30),
    )


def test_the_assign_page_names_each_project_and_its_firm(client, staff):
    project = make_project(staff, name="智能传感器研发")
    campaign = _campaign(staff)
    client.force_login(staff)
    page = client.get(reverse("projects:campaign_assign", args=[campaign.pk])).content.decode()
    assert f"{project.number} 智能传感器研发（{project.undertaking_unit.name}）· 未指派" in page
    assert 'class="kc-checks"' in page and f"项目{project.pk}" not in page


def test_late_projects_exceptions_with_reasons_and_closing(client, staff):
    inspected = make_project(staff, name="甲项目")
    stopped = make_project(staff, name="乙项目")
    campaign = _campaign(staff)
    late = make_project(staff, name="迟登记项目", starts_on=dt.date(2020, 3, 1))
    client.force_login(staff)
    detail = reverse("projects:campaign_detail", args=[campaign.pk])

    page = client.post(reverse("projects:campaign_close", args=[campaign.pk]), follow=True).content.decode()
    assert "覆盖率须达到100%" in page and "请先纳入迟登记项目" in page
    client.post(reverse("projects:campaign_sync", args=[campaign.pk]))
    assert campaign.items.filter(project=late).exists()

    items = {i.project_id: i for i in campaign.items.all()}
    services.campaign_assign(
        actor=staff, campaign=campaign, item_ids=[i.pk for i in items.values()], inspector=staff
    )
    assert {c.kind.key: c.total for c in todos.counts(staff)}["projects.inspect"] == 3
    for project in (inspected, late):
        services.item_inspect(actor=staff, item=items[project.pk], progress="on_track", funds_spent="0")
    assert {c.kind.key: c.total for c in todos.counts(staff)}["projects.inspect"] == 1

    excuse = reverse("projects:item_excuse", args=[items[stopped.pk].pk])
    assert "至少4个字" in client.post(excuse, {"reason": "无"}).content.decode()
    client.post(excuse, {"reason": "项目已于2019年底终止，承担单位停产"})
    page = client.get(detail).content.decode()
    assert "例外" in page and "项目已于2019年底终止，承担单位停产" in page
    assert "projects.inspect" not in {c.kind.key for c in todos.counts(staff)}  # an exception is no task

    client.post(reverse("projects:campaign_close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == SupervisionCampaign.Status.CLOSED
    assert "projects.inspect" not in {c.kind.key for c in todos.counts(staff)}


def test_only_the_districts_staff_take_in_late_projects_explain_or_close(
    client, staff, leader, other_district
):
    make_project(staff, name="甲项目")
    campaign = _campaign(staff)
    item = campaign.items.get()
    for user in (leader, UserFactory(staff=True, region=other_district)):
        client.force_login(user)
        assert client.post(reverse("projects:campaign_close", args=[campaign.pk])).status_code == 404
        assert client.post(reverse("projects:campaign_sync", args=[campaign.pk])).status_code == 404
        assert (
            client.post(reverse("projects:item_excuse", args=[item.pk]), {"reason": "不想督查了"}).status_code
            == 404
        )
    item.refresh_from_db()
    assert item.exception_reason == "" and SupervisionCampaign.objects.get().status == "open"
