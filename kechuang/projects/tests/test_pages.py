"""The reserve, outcome, document, team-change and rectification pages: scope, refusals, messages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory
from kechuang.projects import services
from kechuang.projects.models import ChangeRequest, ReserveProject
from kechuang.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _login(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)


def _reserve_post(firm, **extra):
    return {
        "title": "氢能储运中试",
        "organisation": firm.pk,
        "expected_investment": "3000000",
        "maturity": "feasibility",
        "source": "need",
        "year": "2020",
        **extra,
    }


def test_staff_creates_edits_and_moves_a_reserve_project(client, staff, firm):
    _login(client, staff)
    resp = client.post(reverse("projects:reserve_create"), _reserve_post(firm))
    reserve = ReserveProject.objects.get()
    assert resp.status_code == 302 and reserve.status == "idea" and reserve.region == staff.region
    edit = reverse("projects:reserve_edit", args=[reserve.pk])
    resp = client.post(edit, _reserve_post(firm, title="氢能储运装备中试", version=reserve.version))
    reserve.refresh_from_db()
    assert resp.status_code == 302 and reserve.title == "氢能储运装备中试" and reserve.version == 2
    # A form opened before that edit is stale: refused, nothing changed.
    page = client.post(edit, _reserve_post(firm, title="旧标题", version=1)).content.decode()
    assert "已被他人修改" in page
    reserve.refresh_from_db()
    assert reserve.title == "氢能储运装备中试"
    move = reverse("projects:reserve_move", args=[reserve.pk])
    page = client.post(move, {"to": "approved"}).content.decode()
    assert "选择一个有效的选项" in page or "Select a valid choice" in page
    assert client.post(move, {"to": "planned", "reason": "已对接"}).status_code == 302
    assert client.post(move, {"to": "applied"}).status_code == 302
    page = client.post(move, {"to": "approved"}).content.decode()
    assert "须关联立项的计划项目" in page
    project = make_project(staff, unit=firm)
    assert client.post(move, {"to": "approved", "project": project.pk}).status_code == 302
    reserve.refresh_from_db()
    assert reserve.status == "approved" and reserve.project == project
    detail = client.get(reverse("projects:reserve_detail", args=[reserve.pk])).content.decode()
    assert "已申报 → 已立项" in detail and project.number in detail


def test_leader_and_firm_cannot_change_the_reserve(client, staff, leader, enterprise_user, firm):
    reserve = services.reserve_create(
        actor=staff, region=staff.region, title="储备", organisation=firm, expected_investment=1, year=2020
    )
    _login(client, leader)
    assert client.get(reverse("projects:reserve_detail", args=[reserve.pk])).status_code == 200
    assert client.get(reverse("projects:reserve_edit", args=[reserve.pk])).status_code == 404
    assert client.get(reverse("projects:reserve_create")).status_code == 403
    _login(client, enterprise_user)
    assert client.get(reverse("projects:reserve_move", args=[reserve.pk])).status_code == 404


def test_reserve_of_another_district_is_a_404(client, staff, other_district, firm):
    other_staff = UserFactory(staff=True, region=other_district)
    reserve = services.reserve_create(
        actor=staff, region=staff.region, title="储备", organisation=firm, expected_investment=1, year=2020
    )
    _login(client, other_staff)
    assert client.get(reverse("projects:reserve_detail", args=[reserve.pk])).status_code == 404


def test_outcomes_are_recorded_by_staff_only(client, staff, leader):
    project = make_project(staff)
    url = reverse("projects:outcome_add", args=[project.pk])
    _login(client, staff)
    resp = client.post(url, {"kind": "revenue", "description": "新增销售收入", "quantity": "1200000"})
    assert resp.status_code == 302
    outcome = project.outcomes.get()
    assert outcome.kind == "revenue" and outcome.quantity == Decimal("1200000.00")
    _login(client, leader)
    assert client.post(url, {"kind": "patent", "description": "x"}).status_code == 404
    assert project.outcomes.count() == 1


def test_firm_uploads_a_document_and_a_rejected_file_shows_why(client, staff, enterprise_user):
    project = make_project(staff, unit=enterprise_user.organisation)
    url = reverse("projects:document_add", args=[project.pk])
    _login(client, enterprise_user)
    bad = SimpleUploadedFile("任务书.pdf", b"MZ\x90\x00 not a pdf at all")
    page = client.post(url, {"title": "任务书", "file": bad}).content.decode()
    assert "不支持的文件类型" in page and project.documents.count() == 0
    good = SimpleUploadedFile("任务书.pdf", PDF)
    assert client.post(url, {"title": "任务书", "file": good}).status_code == 302
    doc = project.documents.get()
    assert doc.title == "任务书" and doc.attachment.original_name == "任务书.pdf"
    assert "任务书" in client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()


def test_leader_and_other_firms_cannot_upload(client, staff, leader):
    project = make_project(staff)
    outsider = UserFactory(enterprise=True)
    for user in (leader, outsider):
        _login(client, user)
        resp = client.post(
            reverse("projects:document_add", args=[project.pk]),
            {"file": SimpleUploadedFile("a.pdf", PDF)},
        )
        assert resp.status_code == 404
    assert project.documents.count() == 0


def test_team_change_lists_the_team_and_applies_on_approval(client, staff, enterprise_user):
    from kechuang.core.tests.factories import PersonFactory

    project = make_project(
        staff,
        unit=enterprise_user.organisation,
        members=[(PersonFactory(name="王工"), "工艺"), (PersonFactory(name="赵工"), "测试")],
    )
    url = reverse("projects:team_change", args=[project.pk])
    _login(client, enterprise_user)
    page = client.get(url).content.decode()
    assert "王工" in page and "赵工" in page and "测试" in page
    page = client.post(url, {"reason": "调整"}).content.decode()
    assert "请填写新的项目负责人，或新增、移出至少一名成员" in page
    leaving = project.members.get(person__name="赵工")
    resp = client.post(
        url,
        {"reason": "赵工调离", "leader_name": "李总", "add": "孙工 质量控制\n周工", "remove": [leaving.pk]},
    )
    assert resp.status_code == 302
    change = ChangeRequest.objects.get(project=project)
    assert change.kind == "team" and change.status == "pending"
    assert set(project.members.values_list("person__name", flat=True)) == {"王工", "赵工"}
    services.change_request_decide(actor=staff, change=change, approve=True)
    project.refresh_from_db()
    assert project.leader.name == "李总"
    assert dict(project.members.values_list("person__name", "role")) == {
        "王工": "工艺",
        "孙工": "质量控制",
        "周工": "",
    }


def test_team_change_refuses_adding_a_current_member(staff):
    from kechuang.core.tests.factories import PersonFactory

    project = make_project(staff, members=[(PersonFactory(name="王工"), "工艺")])
    with pytest.raises(Exception, match="已是项目成员"):
        services.change_request_submit(
            actor=staff, project=project, kind="team", reason="x", payload={"add": [{"name": "王工"}]}
        )


@pytest.fixture
def finding(staff, enterprise_user):
    make_project(staff, unit=enterprise_user.organisation, name="整改项目")
    campaign = services.campaign_open(
        actor=staff,
        region=staff.region,
        name="2020上半年督查",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 6, 30),
    )
    item = campaign.items.get()
    services.campaign_assign(actor=staff, campaign=campaign, item_ids=[item.pk], inspector=staff)
    return services.finding_add(
        actor=staff, item=item, problem="阶段目标滞后", demand="报送赶进度计划", deadline=dt.date(2020, 7, 31)
    )


def test_firm_reports_rectification_and_staff_closes_it(client, staff, enterprise_user, finding):
    url = reverse("projects:finding_follow_up", args=[finding.pk])
    _login(client, enterprise_user)
    page = client.get(url).content.decode()
    assert "已逾期" in page and "销号" not in page
    assert client.post(url, {"follow_up": "已报送赶进度计划", "close": "on"}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == "open" and "已报送赶进度计划" in finding.follow_up
    _login(client, staff)
    overdue = client.get(reverse("projects:finding_list") + "?state=overdue").content.decode()
    assert "整改项目" in overdue
    assert client.post(url, {"follow_up": "核实完成", "close": "on"}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.closed_at is not None
    overdue = client.get(reverse("projects:finding_list") + "?state=overdue").content.decode()
    assert "整改项目" not in overdue
    closed = client.get(reverse("projects:finding_list") + "?state=closed").content.decode()
    assert "整改项目" in closed


def test_other_firm_and_leader_cannot_follow_up(client, leader, finding):
    url = reverse("projects:finding_follow_up", args=[finding.pk])
    outsider = UserFactory(enterprise=True)
    _login(client, outsider)
    assert client.get(url).status_code == 404
    assert "整改项目" not in client.get(reverse("projects:finding_list") + "?state=all").content.decode()
    _login(client, leader)
    assert client.get(url).status_code == 404
    listed = client.get(reverse("projects:finding_list")).content.decode()
    assert "整改项目" in listed and url not in listed  # no 跟踪 link to a page the leader may not open


def test_who_may_follow_up_gets_the_link(client, staff, enterprise_user, finding):
    url = reverse("projects:finding_follow_up", args=[finding.pk])
    for user in (staff, enterprise_user):
        _login(client, user)
        assert url in client.get(reverse("projects:finding_list") + "?state=all").content.decode()


def test_finding_list_query_count_is_constant(client, staff, finding, django_assert_max_num_queries):
    _login(client, staff)
    url = reverse("projects:finding_list") + "?state=all"
    with django_assert_max_num_queries(12) as ctx:
        client.get(url)
    first = len(ctx.captured_queries)
    for n in range(6):
        services.finding_add(
            actor=staff, item=finding.item, problem=f"问题{n}", demand="整改", deadline=dt.date(2020, 9, 1)
        )
    with django_assert_max_num_queries(first):
        client.get(url)


def test_firm_files_a_milestone_report_with_evidence_and_staff_accepts_it(client, staff, enterprise_user):
    project = make_project(staff, unit=enterprise_user.organisation)
    milestone = services.milestone_add(
        actor=staff,
        project=project,
        title="样机",
        due_on=dt.date(2020, 9, 30),
        deliverable="样机",
        target="测试",
    )
    _login(client, enterprise_user)
    resp = client.post(
        reverse("projects:report_submit", args=[project.pk]),
        {
            "kind": "milestone",
            "milestone": milestone.pk,
            "summary": "样机已完成",
            "spent": "5000",
            "evidence": SimpleUploadedFile("测试报告.pdf", PDF),
        },
    )
    assert resp.status_code == 302
    report = project.reports.get()
    assert report.evidence.get().original_name == "测试报告.pdf"
    assert client.get(reverse("projects:report_review", args=[report.pk])).status_code == 404
    _login(client, staff)
    resp = client.post(reverse("projects:report_review", args=[report.pk]), {"accept": "1", "note": ""})
    assert resp.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "met"


def test_starting_a_started_project_shows_why_and_changes_nothing(client, staff):
    project = make_project(staff)
    services.project_transition(actor=staff, project=project, to="in_progress")
    _login(client, staff)
    resp = client.post(reverse("projects:project_start", args=[project.pk]), follow=True)
    assert "已经是“实施中”状态，无需重复操作" in resp.content.decode()
    assert project.status_changes.count() == 1
