import datetime as dt

import pytest
from django.urls import reverse

from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.programmes import services
from kechuang.programmes.models import Objection

from .conftest import COMPLETE, NOW, expert_user

pytestmark = [pytest.mark.django_db]


def test_applicant_sees_only_own_applications(client, application, call):
    other = UserFactory(enterprise=True)
    client.force_login(other)
    assert client.get(reverse("programmes:application_detail", args=[application.pk])).status_code == 404
    page = client.get(reverse("programmes:my_applications"))
    assert application.title not in page.content.decode()


def test_applicant_sees_own_application_and_its_messages(client, application, enterprise_user):
    client.force_login(enterprise_user)
    page = client.get(reverse("programmes:application_detail", args=[application.pk]))
    assert page.status_code == 200 and "提交申报" in page.content.decode()


def test_expert_sees_only_drawn_applications(client, accepted, staff, expert_pool):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    drawn = set(accepted.assignments.values_list("expert_id", flat=True))
    outsider = next(e for e in expert_pool if e.pk not in drawn)
    insider = next(e for e in expert_pool if e.pk in drawn)
    client.force_login(expert_user(outsider))
    assert client.get(reverse("programmes:application_detail", args=[accepted.pk])).status_code == 404
    assignment = accepted.assignments.first()
    assert client.get(reverse("programmes:review_score", args=[assignment.pk])).status_code == 404
    client.force_login(expert_user(insider))
    assert client.get(reverse("programmes:application_detail", args=[accepted.pk])).status_code == 200


def test_expert_does_not_see_other_experts_scores_unless_programme_allows(
    client, accepted, staff, expert_pool
):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    first, second = list(accepted.assignments.select_related("expert__person"))[:2]
    services.score_submit(
        actor=expert_user(first.expert),
        application=accepted,
        points={"ip": 29, "transfer": 1, "org": 1, "growth": 1},
        comments={"ip": "第一位专家的意见"},
    )
    client.force_login(expert_user(second.expert))
    page = client.get(reverse("programmes:application_detail", args=[accepted.pk])).content.decode()
    assert "第一位专家的意见" not in page
    programme = accepted.call.programme
    programme.review_rules = {**programme.review_rules, "show_other_scores": True}
    programme.save()
    page = client.get(reverse("programmes:application_detail", args=[accepted.pk])).content.decode()
    assert "第一位专家的意见" in page


def test_expert_does_not_see_the_average_of_all_scores_unless_programme_allows(
    client, accepted, staff, expert_pool
):
    """Issue 25: the page hid the other experts' scores but showed their average."""
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    first, second = list(accepted.assignments.select_related("expert__person"))[:2]
    for assignment, ip in ((first, 29), (second, 10)):
        services.score_submit(
            actor=expert_user(assignment.expert),
            application=accepted,
            points={"ip": ip, "transfer": 1, "org": 1, "growth": 1},
            comments={},
        )
    client.force_login(expert_user(second.expert))
    page = client.get(reverse("programmes:application_detail", args=[accepted.pk])).content.decode()
    assert "评分" in page and "平均分" not in page and "22.50" not in page
    programme = accepted.call.programme
    programme.review_rules = {**programme.review_rules, "show_other_scores": True}
    programme.save()
    page = client.get(reverse("programmes:application_detail", args=[accepted.pk])).content.decode()
    assert "平均分 22.50" in page
    client.force_login(staff)
    assert (
        "平均分 22.50"
        in client.get(reverse("programmes:application_detail", args=[accepted.pk])).content.decode()
    )


def test_staff_of_other_district_gets_404(client, application):
    from kechuang.core.models import Region

    outsider = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    client.force_login(outsider)
    assert client.get(reverse("programmes:application_detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("programmes:call_detail", args=[application.call_id])).status_code == 404


def test_applicant_submit_through_page_and_edit_after_submit_is_refused(
    client, application, enterprise_user, call, monkeypatch
):
    client.force_login(enterprise_user)
    client.post(reverse("programmes:application_action", args=[application.pk, "submit"]))
    application.refresh_from_db()
    assert application.status == "submitted"
    assert client.get(reverse("programmes:application_edit", args=[application.pk])).status_code == 200
    response = client.post(
        reverse("programmes:application_edit", args=[application.pk]),
        {"title": "改", "version": application.version, "f_revenue": "1"},
        follow=True,
    )
    assert "只有草稿或退回修改" in response.content.decode()
    application.refresh_from_db()
    assert application.title != "改"


def test_autosave_via_htmx_saves_draft(client, call, enterprise_user):
    client.force_login(enterprise_user)
    client.post(reverse("programmes:application_create", args=[call.pk]))
    app = call.applications.get()
    response = client.post(
        reverse("programmes:application_edit", args=[app.pk]),
        {"title": "方达电子高企申报", "version": app.version, "f_revenue": "1200000.50", "f_field": "A01"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "自动保存" in response.content.decode()
    app.refresh_from_db()
    assert app.data == {"revenue": "1200000.50", "field": "A01"} and app.title == "方达电子高企申报"


def test_call_list_query_count(client, staff, call, django_assert_max_num_queries):
    for i in range(5):
        services.call_create(
            actor=staff,
            programme=call.programme,
            name=f"第{i}批",
            opens_at=call.opens_at,
            closes_at=call.closes_at,
            region=call.region,
        )
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("programmes:call_list")).status_code == 200


def test_call_detail_query_count_does_not_grow_with_applications(
    client, staff, call, django_assert_max_num_queries
):
    for _ in range(8):
        user = UserFactory(enterprise=True, organisation=OrganisationFactory())
        app = services.application_create(
            actor=user, call=call, organisation=user.organisation, title="t", now=NOW
        )
        app = services.application_save_draft(actor=user, application=app, data=COMPLETE, expected_version=1)
        services.application_transition(actor=user, application=app, to="submitted", now=NOW)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("programmes:call_detail", args=[call.pk])).status_code == 200


def _in_publicity(accepted, staff, starts_on):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    for a in accepted.assignments.all():
        services.score_submit(
            actor=expert_user(a.expert),
            application=accepted,
            points={"ip": 20, "transfer": 20, "org": 10, "growth": 10},
        )
    return services.publicity_open(
        actor=staff, call=accepted.call, applications=[accepted], starts_on=starts_on
    )


def test_public_sees_publicity_and_can_object_by_real_name(client, accepted, staff, expert_pool):
    from django.utils import timezone

    period = _in_publicity(accepted, staff, timezone.localdate())
    page = client.get(reverse("programmes:public_publicity_list"))
    assert period.title in page.content.decode()
    url = reverse("programmes:public_publicity_detail", args=[period.pk])
    bad = client.post(url, {"name": "张", "contact": "abc", "reason": "短"})
    assert bad.status_code == 200 and not Objection.objects.exists()
    client.post(
        url,
        {
            "name": "张三",
            "contact": "13800001111",
            "reason": "该企业知识产权存在权属争议，请核实。",
            "application": accepted.pk,
        },
    )
    objection = Objection.objects.get()
    assert objection.application == accepted and objection.status == "open"


def test_public_objection_form_requires_csrf(accepted, staff, expert_pool):
    from django.test import Client
    from django.utils import timezone

    period = _in_publicity(accepted, staff, timezone.localdate())
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("programmes:public_publicity_detail", args=[period.pk]),
        {"name": "张三", "contact": "13800001111", "reason": "x" * 20},
    )
    assert response.status_code == 403


def test_public_cannot_see_staff_pages(client, call):
    assert client.get(reverse("programmes:call_detail", args=[call.pk])).status_code == 302
    assert client.get(reverse("programmes:call_list")).status_code == 302


def test_staff_answers_objection_from_task_list(client, accepted, staff, expert_pool):
    from django.utils import timezone

    period = _in_publicity(accepted, staff, timezone.localdate())
    objection = services.objection_submit(
        publicity=period, name="张三", contact="13800001111", reason="核实知识产权"
    )
    client.force_login(staff)
    assert "核实知识产权" in client.get(reverse("programmes:my_tasks")).content.decode()
    client.post(reverse("programmes:objection_answer", args=[objection.pk]), {"answer": "经核实异议不成立"})
    objection.refresh_from_db()
    assert objection.status == "answered" and objection.answered_by == staff


def test_enterprise_cannot_answer_objection(client, accepted, staff, expert_pool, enterprise_user):
    from django.utils import timezone

    period = _in_publicity(accepted, staff, timezone.localdate())
    objection = services.objection_submit(
        publicity=period, name="张三", contact="13800001111", reason="核实知识产权"
    )
    client.force_login(enterprise_user)
    assert (
        client.post(reverse("programmes:objection_answer", args=[objection.pk]), {"answer": "x"}).status_code
        == 404
    )


def test_firms_trained_counts_distinct_firms_per_topic_and_year(staff, district):
    from kechuang.programmes.selectors import firms_trained

    firms = [OrganisationFactory() for _ in range(3)]
    t1 = services.training_create(
        actor=staff,
        title="高企认定政策线上培训",
        topic="高企认定",
        held_on=dt.date(2020, 4, 20),
        region=district,
    )
    t2 = services.training_create(
        actor=staff, title="高企认定第二场", topic="高企认定", held_on=dt.date(2020, 5, 20), region=district
    )
    services.training_mark_attendance(actor=staff, training=t1, organisation_ids=[f.pk for f in firms])
    services.training_import_attendance(actor=staff, training=t2, lines=[firms[0].name, firms[1].credit_code])
    assert list(firms_trained(district, 2020)) == [
        {"training__topic": "高企认定", "training__held_on__year": 2020, "firms": 3}
    ]


def test_attendance_import_with_unknown_firm_changes_nothing(staff, district):
    from django.core.exceptions import ValidationError

    t = services.training_create(
        actor=staff, title="培训", topic="高企认定", held_on=dt.date(2020, 4, 20), region=district
    )
    firm = OrganisationFactory()
    with pytest.raises(ValidationError, match="第2行"):
        services.training_import_attendance(actor=staff, training=t, lines=[firm.name, "不存在的公司"])
    assert not t.participants.exists()


def test_attendance_refuses_another_districts_firm(client, staff, district, other_district):
    """Issue 25: training attendance accepted a firm of another district."""
    from django.core.exceptions import ValidationError

    t = services.training_create(
        actor=staff, title="培训", topic="高企认定", held_on=dt.date(2020, 4, 20), region=district
    )
    local, foreign = OrganisationFactory(), OrganisationFactory(region=other_district)
    with pytest.raises(ValidationError, match="只能登记"):
        services.training_mark_attendance(actor=staff, training=t, organisation_ids=[local.pk, foreign.pk])
    with pytest.raises(ValidationError, match="第2行"):
        services.training_import_attendance(actor=staff, training=t, lines=[local.name, foreign.credit_code])
    with pytest.raises(ValidationError, match="只能登记"):
        services.training_invite(actor=staff, training=t, organisations=[foreign])
    client.force_login(staff)
    url = reverse("programmes:training_detail", args=[t.pk])
    client.post(url, {"ticked": "1", "attended": [str(foreign.pk)]})
    assert not t.participants.exists()


def test_task_and_review_lists_query_counts(
    client, accepted, staff, expert_pool, django_assert_max_num_queries
):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("programmes:my_tasks")).status_code == 200
    client.force_login(expert_user(accepted.assignments.first().expert))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("programmes:review_list")).status_code == 200


def test_training_list_query_count_and_enterprise_denied(
    client, staff, district, enterprise_user, django_assert_max_num_queries
):
    for i in range(4):
        t = services.training_create(
            actor=staff, title=f"培训{i}", topic="高企认定", held_on=dt.date(2020, 4, 20 + i), region=district
        )
        services.training_invite(
            actor=staff, training=t, organisations=[OrganisationFactory() for _ in range(3)]
        )
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("programmes:training_list")).status_code == 200
    client.force_login(enterprise_user)
    assert client.get(reverse("programmes:training_list")).status_code == 403


def test_staff_scores_and_checks_application_through_pages(client, accepted, staff, expert_pool):
    client.force_login(staff)
    client.post(reverse("programmes:application_action", args=[accepted.pk, "draw"]))
    accepted.refresh_from_db()
    assert accepted.status == "under_review"
    assignment = accepted.assignments.first()
    client.force_login(expert_user(assignment.expert))
    response = client.post(
        reverse("programmes:review_score", args=[assignment.pk]),
        {"p_ip": "25", "p_transfer": "20", "p_org": "15", "p_growth": "10", "comment": "良好"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None and assignment.scores.count() == 4


def test_staff_creates_call_and_enterprise_cannot(client, staff, programme, enterprise_user):
    client.force_login(staff)
    response = client.post(
        reverse("programmes:call_create"),
        {
            "programme": programme.pk,
            "name": "2021年第一批",
            "opens_at": "2021-04-01T09:00",
            "closes_at": "2021-06-30T17:00",
        },
    )
    assert response.status_code == 302
    call = programme.calls.get(name="2021年第一批")
    assert call.region == staff.region
    bad = client.post(
        reverse("programmes:call_create"),
        {
            "programme": programme.pk,
            "name": "x",
            "opens_at": "2021-06-30T09:00",
            "closes_at": "2021-04-01T17:00",
        },
    )
    assert "截止时间必须晚于开始时间" in bad.content.decode()
    client.force_login(enterprise_user)
    assert client.get(reverse("programmes:call_create")).status_code == 403


def test_invited_firm_registers_and_other_firm_cannot_see_training(client, staff, district, enterprise_user):
    t = services.training_create(
        actor=staff, title="政策宣讲", topic="科技型中小企业", held_on=dt.date(2020, 3, 5), region=district
    )
    services.training_invite(actor=staff, training=t, organisations=[enterprise_user.organisation])
    client.force_login(enterprise_user)
    client.post(reverse("programmes:training_detail", args=[t.pk]), {"attendee_name": "赵明"})
    p = t.participants.get()
    assert p.registered and p.attendee_name == "赵明"
    client.force_login(UserFactory(enterprise=True))
    assert client.get(reverse("programmes:training_detail", args=[t.pk])).status_code == 404


def test_public_objections_are_limited_per_ip_per_hour_with_a_chinese_message(
    client, accepted, staff, expert_pool
):
    from django.utils import timezone

    period = _in_publicity(accepted, staff, timezone.localdate())
    url = reverse("programmes:public_publicity_detail", args=[period.pk])
    form = {"name": "张三", "contact": "13800001111", "reason": "该企业知识产权存在权属争议，请核实。"}
    for _ in range(5):
        client.post(url, form, REMOTE_ADDR="203.0.113.7")
    assert Objection.objects.filter(source_ip="203.0.113.7").count() == 5
    refused = client.post(url, form, REMOTE_ADDR="203.0.113.7")
    assert "每小时对同一公示最多可提出5件异议" in refused.content.decode()
    assert Objection.objects.count() == 5
    client.post(url, form, REMOTE_ADDR="198.51.100.2")  # another address is not affected
    assert Objection.objects.count() == 6
    Objection.objects.update(submitted_at=timezone.now() - dt.timedelta(hours=1, minutes=1))
    client.post(url, form, REMOTE_ADDR="203.0.113.7")  # an hour later the address may object again
    assert Objection.objects.count() == 7


def test_objector_gets_receipt_and_looks_up_the_answer(client, accepted, staff, expert_pool):
    from django.utils import timezone

    from kechuang.programmes.models import Objection

    region = accepted.call.region
    region.contact_office, region.contact_phone = "高新技术科", "0533-1234567"
    region.save()
    period = _in_publicity(accepted, staff, timezone.localdate())
    url = reverse("programmes:public_publicity_detail", args=[period.pk])
    page = client.get(url).content.decode()
    assert "高新技术科" in page and "0533-1234567" in page
    response = client.post(
        url,
        {
            "name": "王五",
            "contact": "13800000000",
            "reason": "该企业申报的研发投入数据不实，请核实。",
            "application": accepted.pk,
        },
        follow=True,
    )
    objection = Objection.objects.get()
    assert objection.receipt and objection.receipt in response.content.decode()
    lookup = reverse("programmes:public_objection_lookup")
    assert "正在核实中" in client.get(lookup, {"receipt": objection.receipt}).content.decode()
    services.objection_answer(actor=staff, objection=objection, answer="经核实，数据属实。", upheld=True)
    page = client.get(lookup, {"receipt": objection.receipt.lower()}).content.decode()
    assert "异议成立" in page and "经核实，数据属实。" in page and "王五" not in page
    assert "未找到" in client.get(lookup, {"receipt": "YY20200101-00000000"}).content.decode()
    client.force_login(staff)
    detail = client.get(reverse("programmes:application_detail", args=[accepted.pk])).content.decode()
    assert "公示异议成立" in detail and "处理前不能批准" in detail
    assert "记录处理结果" in detail
    resolve = reverse("programmes:objection_resolve", args=[objection.pk])
    refused = client.post(resolve, {"resolution": "override", "reason": "已和解"}, follow=True)
    assert "答复人以外" in refused.content.decode()
    objection.refresh_from_db()
    assert objection.awaits_resolution
    from kechuang.core.tests.factories import UserFactory

    client.force_login(UserFactory(region=staff.region))
    done = client.post(resolve, {"resolution": "override", "reason": "争议已经调解结案。"}, follow=True)
    assert "已处理：经复核仍予批准" in done.content.decode()
