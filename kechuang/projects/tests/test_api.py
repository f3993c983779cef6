import datetime as dt
from decimal import Decimal

import pytest

from kechuang.accounts import services as account_services
from kechuang.core.tests.factories import UserFactory
from kechuang.projects import services
from kechuang.projects.models import ProgressReport
from kechuang.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db


def _api(client, user):
    _, key = account_services.api_token_create(actor=user, user=user, name="测试")
    headers = {"Authorization": f"Bearer {key}"}

    class Api:
        def get(self, path):
            return client.get(f"/api/projects{path}", headers=headers)

        def post(self, path, data):
            return client.post(f"/api/projects{path}", data, content_type="application/json", headers=headers)

    return Api()


@pytest.fixture
def own(staff, enterprise_user):
    project = make_project(staff, unit=enterprise_user.organisation, name="本企业项目")
    services.milestone_add(
        actor=staff,
        project=project,
        title="样机",
        due_on=dt.date(2020, 9, 30),
        deliverable="样机",
        target="测试",
    )
    return project


def test_firm_lists_and_reads_only_its_own_projects(client, staff, enterprise_user, own):
    other = make_project(staff, name="他企业项目")
    api = _api(client, enterprise_user)
    items = api.get("/projects").json()["items"]
    assert [i["name"] for i in items] == ["本企业项目"]
    detail = api.get(f"/projects/{own.pk}").json()
    assert detail["milestones"][0]["title"] == "样机" and detail["fiscal_total"] == "100000.00"
    assert api.get(f"/projects/{own.pk}/milestones").json()[0]["deliverable"] == "样机"
    assert api.get(f"/projects/{other.pk}").status_code == 404
    assert api.get(f"/projects/{other.pk}/milestones").status_code == 404


def test_staff_of_another_district_sees_nothing(client, own, other_district):
    api = _api(client, UserFactory(staff=True, region=other_district))
    assert api.get("/projects").json()["items"] == []
    assert api.get(f"/projects/{own.pk}").status_code == 404


def test_firm_submits_a_milestone_report(client, enterprise_user, own):
    api = _api(client, enterprise_user)
    milestone = own.milestones.get()
    resp = api.post(
        f"/projects/{own.pk}/reports",
        {"kind": "milestone", "summary": "样机完成", "spent": "12000.50", "milestone_id": milestone.pk},
    )
    assert resp.status_code == 201, resp.content
    report = ProgressReport.objects.get()
    assert report.milestone == milestone and str(report.spent) == "12000.50"
    assert resp.json()["status"] == "submitted"


def test_report_is_refused_with_a_chinese_message_and_nothing_saved(client, enterprise_user, own):
    api = _api(client, enterprise_user)
    resp = api.post(f"/projects/{own.pk}/reports", {"kind": "milestone", "summary": "缺阶段目标"})
    assert resp.status_code == 422 and "须选择对应的阶段目标" in resp.json()["error"]["message"]
    assert ProgressReport.objects.count() == 0


def test_staff_and_other_firms_cannot_file_reports(client, staff, own):
    milestone = own.milestones.get()
    for user in (staff, UserFactory(enterprise=True)):
        resp = _api(client, user).post(
            f"/projects/{own.pk}/reports",
            {"kind": "milestone", "summary": "x", "milestone_id": milestone.pk},
        )
        assert resp.status_code == 404
    assert ProgressReport.objects.count() == 0


def test_milestone_of_another_project_is_a_404(client, staff, enterprise_user, own):
    other = make_project(staff, unit=enterprise_user.organisation)
    foreign = services.milestone_add(
        actor=staff, project=other, title="B", due_on=dt.date(2020, 9, 30), deliverable="d", target="t"
    )
    resp = _api(client, enterprise_user).post(
        f"/projects/{own.pk}/reports", {"kind": "milestone", "summary": "x", "milestone_id": foreign.pk}
    )
    assert resp.status_code == 404 and ProgressReport.objects.count() == 0


def test_list_rows_equal_the_validated_detail_conversion_and_queries_do_not_grow(
    client, staff, django_assert_num_queries, django_assert_max_num_queries
):
    from kechuang.api.testing import assert_served_like
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.projects import api as projects_api
    from kechuang.projects.models import Project

    def add(n):
        for i in range(n):
            level = ("district", "city")[i % 2]
            project = make_project(staff, unit=OrganisationFactory(), name=f"项目<{i}>", level=level)
            Project.objects.filter(pk=project.pk).update(  # cents and the top of max_digits=14 too
                fiscal_city=Project.objects.get(pk=project.pk).fiscal_city + i + Decimal("0.29"),
                fiscal_remaining=Decimal(i * 100) + Decimal("0.07"),
                self_raised=Decimal("999999999999.99") - i,
            )

    api = _api(client, staff)
    add(2)
    api.get("/projects")  # token lookups settle
    with django_assert_max_num_queries(12) as small:
        api.get("/projects")
    add(5)
    with django_assert_num_queries(len(small.captured_queries)):
        items = api.get("/projects?limit=50").json()["items"]
    for limit in (2, 5):  # two page sizes, each with rows after it (so each counts): the same queries
        with django_assert_num_queries(len(small.captured_queries) + 1):
            assert len(api.get(f"/projects?limit={limit}").json()["items"]) == limit
    expected = Project.objects.select_related("undertaking_unit").order_by("-year", "number")
    assert len(items) == 7
    assert_served_like(items, projects_api.ProjectOut, [projects_api._out(p) for p in expected])


def test_list_pages_are_validated_against_the_item_schema(client, staff, monkeypatch):
    """A page built from rows goes through the schema like any response (ADR 0014): fields the schema does
    not declare are dropped, values take the declared types, and a row missing a field is refused."""
    from kechuang.projects import api as projects_api

    make_project(staff, name="校验项目")
    built = projects_api._page

    def loose(page):
        return [{**row, "year": str(row["year"]), "internal": "不应出现"} for row in built(page)]

    monkeypatch.setattr(projects_api, "_page", loose)
    api = _api(client, staff)
    item = api.get("/projects").json()["items"][0]
    assert "internal" not in item and isinstance(item["year"], int)

    monkeypatch.setattr(projects_api, "_page", lambda page: [{"id": r["id"]} for r in page])
    with pytest.raises(Exception, match="validation error"):  # pydantic, raised through Ninja
        api.get("/projects")
