import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from kechuang.core.models import Region
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory
from kechuang.notifications.models import Notification
from kechuang.projects import rules, selectors, services
from kechuang.projects.models import CampaignItem, MilestoneWarning, Project
from kechuang.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db


def _end(project, day, to="terminated"):
    services.project_transition(actor=None, project=project, to="in_progress")
    return services.project_transition(actor=None, project=project, to=to, on=day)


def test_campaign_includes_exactly_projects_active_in_period_at_all_levels(staff):
    start, end = dt.date(2020, 1, 1), dt.date(2020, 6, 30)
    inside = {
        make_project(staff, name="期内开始", starts_on=dt.date(2020, 6, 30), level="national"),
        make_project(staff, name="早已开始", starts_on=dt.date(2018, 3, 1), level="province"),
        make_project(staff, name="期初当日终止", starts_on=dt.date(2019, 1, 1), level="city"),
        make_project(staff, name="逾期未结项", starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2019, 6, 30)),
    }
    _end(next(p for p in inside if p.name == "期初当日终止"), start)
    outside = [
        make_project(staff, name="期后开始", starts_on=dt.date(2020, 7, 1)),
        make_project(staff, name="期前终止", starts_on=dt.date(2019, 1, 1)),
        make_project(staff, name="期前结题", starts_on=dt.date(2018, 1, 1)),
    ]
    _end(outside[1], dt.date(2019, 12, 31))
    _end(outside[2], dt.date(2019, 12, 31), to="concluded")
    campaign = services.campaign_open(
        actor=staff, region=staff.region, name="2020上半年", period_start=start, period_end=end
    )
    assert set(campaign.items.values_list("project__name", flat=True)) == {p.name for p in inside}


def test_active_rule_matches_boundaries():
    s, e = dt.date(2020, 1, 1), dt.date(2020, 6, 30)
    assert rules.active_in_period(starts_on=e, ended_on=None, period_start=s, period_end=e)
    assert not rules.active_in_period(
        starts_on=e + dt.timedelta(days=1), ended_on=None, period_start=s, period_end=e
    )
    assert rules.active_in_period(starts_on=dt.date(2019, 1, 1), ended_on=s, period_start=s, period_end=e)
    assert not rules.active_in_period(
        starts_on=dt.date(2019, 1, 1), ended_on=s - dt.timedelta(days=1), period_start=s, period_end=e
    )


def test_coverage_lists_uninspected_and_late_registered_projects_and_blocks_close(staff):
    p1 = make_project(staff, name="甲")
    campaign = services.campaign_open(
        actor=staff,
        region=staff.region,
        name="督查",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 6, 30),
    )
    late = make_project(staff, name="补登项目", starts_on=dt.date(2020, 3, 1))
    cov = selectors.campaign_coverage(campaign)
    assert cov["in_scope"] == 2 and cov["inspected"] == 0
    assert {p.pk for p in cov["missing"]} == {p1.pk, late.pk}
    with pytest.raises(ValidationError, match="覆盖率须达到100%"):
        services.campaign_close(actor=staff, campaign=campaign)
    assert services.campaign_sync(actor=staff, campaign=campaign) == 1
    services.campaign_assign(
        actor=staff,
        campaign=campaign,
        item_ids=list(campaign.items.values_list("pk", flat=True)),
        inspector=staff,
    )
    for item in campaign.items.all():
        services.item_inspect(actor=staff, item=item, progress="on_track", funds_spent="0")
    assert selectors.campaign_coverage(campaign)["percent"] == Decimal("100.00")
    assert services.campaign_close(actor=staff, campaign=campaign).status == "closed"


def test_overdue_counts_working_days_and_escalation_fires_once(staff, leader, calendar_2020_2027):
    firm_user = UserFactory(enterprise=True)
    project = make_project(staff, unit=firm_user.organisation)
    # Due Wed 2020-09-30; the National Day holiday (Oct 1-8) is not counted; Sat Oct 10 is a 调休 workday.
    services.milestone_add(
        actor=staff,
        project=project,
        title="样机",
        due_on=dt.date(2020, 9, 30),
        deliverable="样机1台",
        target="通过测试",
    )
    assert services.warn_overdue(as_of=dt.date(2020, 10, 8)) == {"warning": 0, "escalation": 0}
    assert services.warn_overdue(as_of=dt.date(2020, 10, 9)) == {"warning": 1, "escalation": 0}
    # 9 Oct (Fri) 1, 10 Oct (调休 Sat) 2, 12–16 Oct 3–7, 19–21 Oct 8–10.
    assert services.warn_overdue(as_of=dt.date(2020, 10, 20)) == {"warning": 0, "escalation": 0}
    assert services.warn_overdue(as_of=dt.date(2020, 10, 21)) == {"warning": 0, "escalation": 1}
    assert services.warn_overdue(as_of=dt.date(2020, 10, 21)) == {"warning": 0, "escalation": 0}
    assert services.warn_overdue(as_of=dt.date(2020, 11, 30)) == {"warning": 0, "escalation": 0}
    assert MilestoneWarning.objects.count() == 2
    assert Notification.objects.filter(user=leader, kind="project_warning").count() == 1
    # One notice per person and milestone: the escalation updated the warning (unread again), no second one.
    [note] = Notification.objects.filter(user=firm_user, kind="project_warning")
    assert note.title.startswith("【升级】阶段目标逾期10个工作日") and note.read_at is None
    assert Notification.objects.filter(user=staff, kind="project_warning").count() == 1


def test_warn_command_is_idempotent(staff, calendar_2020_2027):
    from django.core.management import call_command

    project = make_project(staff)
    services.milestone_add(
        actor=staff, project=project, title="A", due_on=dt.date(2020, 6, 1), deliverable="d", target="t"
    )
    call_command("projects", "warn", "--as-of", "2020-11-30")
    call_command("projects", "warn", "--as-of", "2020-11-30")
    assert MilestoneWarning.objects.count() == 2


def test_disbursement_cannot_exceed_fiscal_budget(staff):
    project = make_project(staff, fiscal="100000")
    services.disbursement_create(actor=staff, project=project, amount="60000", paid_on=dt.date(2020, 5, 1))
    with pytest.raises(ValidationError, match="超过尚未拨付"):
        services.disbursement_create(
            actor=staff, project=project, amount="40000.01", paid_on=dt.date(2020, 6, 1)
        )
    project.refresh_from_db()
    assert project.fiscal_remaining == Decimal("40000.00") and project.disbursements.count() == 1


def test_firm_cannot_disburse(staff, enterprise_user):
    project = make_project(staff, unit=enterprise_user.organisation)
    with pytest.raises(ValidationError):
        services.disbursement_create(
            actor=enterprise_user, project=project, amount="1", paid_on=dt.date(2020, 5, 1)
        )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_disbursements_never_exceed_budget():
    staff = UserFactory(staff=True)
    project = make_project(staff, fiscal="100000")
    results, barrier = [], threading.Barrier(2)

    def pay():
        barrier.wait()
        try:
            services.disbursement_create(
                actor=staff, project=project, amount="70000", paid_on=dt.date(2020, 5, 1)
            )
            results.append("ok")
        except ValidationError:
            results.append("refused")
        except Exception as exc:  # SQLite may report the competing writer as locked
            results.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    project.refresh_from_db()
    assert results.count("ok") == 1
    assert project.fiscal_remaining == Decimal("30000.00")
    assert project.disbursements.count() == 1


def test_firm_sees_only_its_own_projects(client, staff, enterprise_user):
    own = make_project(staff, unit=enterprise_user.organisation, name="本企业项目")
    other = make_project(staff, name="他企业项目")
    client.login(username=enterprise_user.username, password=TEST_PASSWORD)
    page = client.get(reverse("projects:project_list")).content.decode()
    assert "本企业项目" in page and "他企业项目" not in page
    assert client.get(reverse("projects:project_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("projects:project_detail", args=[other.pk])).status_code == 404


def test_only_assigned_inspector_may_inspect(client, staff):
    make_project(staff)
    campaign = services.campaign_open(
        actor=staff,
        region=staff.region,
        name="督查",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 6, 30),
    )
    item = campaign.items.get()
    inspector, other = UserFactory(staff=True), UserFactory(staff=True)
    services.campaign_assign(actor=staff, campaign=campaign, item_ids=[item.pk], inspector=inspector)
    with pytest.raises(ValidationError):
        services.item_inspect(actor=other, item=item, progress="on_track", funds_spent="0")
    client.login(username=other.username, password=TEST_PASSWORD)
    assert client.get(reverse("projects:item_inspect", args=[item.pk])).status_code == 404
    client.login(username=inspector.username, password=TEST_PASSWORD)
    assert client.get(reverse("projects:item_inspect", args=[item.pk])).status_code == 200


def test_leader_is_read_only(client, staff, leader):
    project = make_project(staff)
    client.login(username=leader.username, password=TEST_PASSWORD)
    assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 200
    assert client.get(reverse("projects:disbursement_add", args=[project.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.campaign_open(
            actor=leader,
            region=leader.region,
            name="x",
            period_start=dt.date(2020, 1, 1),
            period_end=dt.date(2020, 6, 30),
        )


def test_project_list_and_campaign_page_query_counts_are_constant(
    client, staff, django_assert_max_num_queries
):
    for n in range(3):
        make_project(staff, name=f"项目{n}")
    campaign = services.campaign_open(
        actor=staff,
        region=staff.region,
        name="督查",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 6, 30),
    )
    client.login(username=staff.username, password=TEST_PASSWORD)

    def count(url):
        from django.db import connection as conn
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(conn) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    small = (
        count(reverse("projects:project_list")),
        count(reverse("projects:campaign_detail", args=[campaign.pk])),
    )
    for n in range(12):
        make_project(staff, name=f"新项目{n}")
    services.campaign_sync(actor=staff, campaign=campaign)
    with django_assert_max_num_queries(small[0]):
        client.get(reverse("projects:project_list"))
    with django_assert_max_num_queries(small[1]):
        client.get(reverse("projects:campaign_detail", args=[campaign.pk]))
    assert CampaignItem.objects.filter(campaign=campaign).count() == 15


def test_budget_change_below_disbursed_is_refused(staff):
    project = make_project(staff, fiscal="100000")
    services.disbursement_create(actor=staff, project=project, amount="50000", paid_on=dt.date(2020, 5, 1))
    with pytest.raises(ValidationError, match="少于已拨付"):
        services.change_request_submit(
            actor=staff, project=project, kind="budget", reason="调减", payload={"fiscal_district": "40000"}
        )
    change = services.change_request_submit(
        actor=staff, project=project, kind="budget", reason="调增", payload={"fiscal_district": "120000"}
    )
    services.change_request_decide(actor=staff, change=change, approve=True)
    project.refresh_from_db()
    assert project.fiscal_remaining == Decimal("70000.00") and change.before["fiscal_district"] == "100000.00"


def test_public_list_shows_district_projects_only(client, staff):
    make_project(staff, name="区级公开项目")
    make_project(staff, name="省级项目", level="province")
    page = client.get(reverse("projects:public_list")).content.decode()
    assert "区级公开项目" in page and "省级项目" not in page
    assert Project.objects.count() == 2 and Region.objects.filter(code="370306").exists()


def test_project_list_reads_the_same_queries_at_10_and_200_rows_and_no_deferred_field(client, staff):
    from django.test.utils import CaptureQueriesContext

    for n in range(12):
        make_project(staff, name=f"分页项目{n}")
    client.force_login(staff)
    counts = {}
    for size in (10, 200):
        url = reverse("projects:project_list") + f"?per_page={size}"
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url).content.decode()
        counts[size] = len(ctx)
        # one query for the rows (with the unit), none per row for a deferred column
        rows = [q["sql"] for q in ctx.captured_queries if 'FROM "projects_project"' in q["sql"]]
        assert len(rows) == 2 and "COUNT(*)" in rows[0]
    assert counts[10] == counts[200], counts
    assert page.count("分页项目") == 12 and "共 12 条" in page


# The project list's rows as the template rendered them before they were built in Python.
def test_project_list_rows_show_escaped_names_labels_dates_and_unpaid_funds(client, staff):
    from kechuang.core.tests.factories import OrganisationFactory

    hydrogen = make_project(
        staff, name='氢能<储运> & "中试"', unit=OrganisationFactory(name="金宇<钢构>"), level="city"
    )
    make_project(staff, name="区级项目", fiscal="123456.78", starts_on=dt.date(2020, 3, 9))
    client.force_login(staff)
    page = client.get(reverse("projects:project_list") + "?sort=number").content.decode()
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert rows.count("<tr>") == 2
    assert "氢能&lt;储运&gt; &amp; &quot;中试&quot;" in rows and "金宇&lt;钢构&gt;" in rows
    assert f'href="{reverse("projects:project_detail", args=[hydrogen.pk])}"' in rows
    assert "市级" in rows and "2020年3月9日" in rows and "123456.78" in rows


def test_public_list_serves_the_deployments_home_region_and_refuses_an_unknown_one(client, staff, settings):
    make_project(staff, name="周村公开项目")
    settings.KECHUANG = {**settings.KECHUANG, "HOME_REGION_CODE": "370303"}  # a 张店区 deployment
    page = client.get(reverse("projects:public_list")).content.decode()
    assert "张店区" in page and "周村公开项目" not in page
    page = client.get(reverse("projects:public_list") + "?region=370306").content.decode()
    assert "周村公开项目" in page
    assert client.get(reverse("projects:public_list") + "?region=999999").status_code == 404
