import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import UserFactory
from kechuang.programmes import services
from kechuang.programmes.models import Decision, Objection

from .conftest import NOW, expert_user

PUBLISHED = NOW.replace(month=9, day=21)  # the day the 公示 of these tests is published

pytestmark = pytest.mark.django_db


def refused(action="application.transition_refused"):
    return AuditEvent.objects.filter(action=action).count()


def test_submit_creates_version_and_status_change(application, enterprise_user):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    assert application.status == "submitted"
    assert application.versions.count() == 1
    change = application.status_changes.get()
    assert (change.from_status, change.to_status, change.actor) == ("draft", "submitted", enterprise_user)
    assert AuditEvent.objects.filter(action="application.transition", object_id=str(application.pk)).exists()


def test_submit_after_close_is_refused_and_audited(application, enterprise_user, call):
    with pytest.raises(ValidationError, match="截止申报"):
        services.application_transition(
            actor=enterprise_user,
            application=application,
            to="submitted",
            now=call.closes_at + dt.timedelta(minutes=1),
        )
    application.refresh_from_db()
    assert application.status == "draft"
    assert refused() == 1


def test_incomplete_form_cannot_be_submitted(call, enterprise_user):
    app = services.application_create(
        actor=enterprise_user, call=call, organisation=enterprise_user.organisation, title="x", now=NOW
    )
    with pytest.raises(ValidationError, match="知识产权证明"):
        services.application_transition(actor=enterprise_user, application=app, to="submitted", now=NOW)


def test_return_edit_and_resubmit_keeps_versions(application, enterprise_user, staff):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    with pytest.raises(ValidationError, match="理由"):
        services.application_check(actor=staff, application=application, result="return", reason="")
    services.application_check(actor=staff, application=application, result="return", reason="缺少审计报告")
    assert application.status == "returned"
    services.application_save_draft(
        actor=enterprise_user,
        application=application,
        data={**application.data, "summary": "补充"},
        expected_version=application.version,
    )
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    assert list(application.versions.values_list("number", "data__summary")) == [(1, "电子元件"), (2, "补充")]


def test_edit_after_submit_is_refused_and_audited(application, enterprise_user):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    with pytest.raises(ValidationError, match="只有草稿或退回修改"):
        services.application_save_draft(
            actor=enterprise_user, application=application, data={}, expected_version=application.version
        )
    assert refused("application.edit_refused") == 1


def test_withdraw_from_draft_and_submitted(application, enterprise_user):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    services.application_transition(actor=enterprise_user, application=application, to="withdrawn")
    assert application.status == "withdrawn"
    with pytest.raises(ValidationError, match="已是终态"):
        services.application_transition(
            actor=enterprise_user, application=application, to="submitted", now=NOW
        )


def test_reject_needs_reason(application, enterprise_user, staff):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    services.application_check(
        actor=staff, application=application, result="reject", reason="不符合注册满一年条件"
    )
    assert application.status == "rejected"


def test_applicant_cannot_accept_own_application(application, enterprise_user):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    with pytest.raises(ValidationError, match="工作人员"):
        services.application_check(actor=enterprise_user, application=application, result="accept")
    assert refused() == 1


def test_staff_of_other_district_cannot_check(application, enterprise_user):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    outsider = UserFactory(
        city=False,
        region=__import__("kechuang.core.models", fromlist=["Region"]).Region.objects.get(code="370303"),
    )
    with pytest.raises(ValidationError):
        services.application_check(actor=outsider, application=application, result="accept")


def _through_review(accepted, staff, expert_pool, points=None):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    for assignment in accepted.assignments.all():
        services.score_submit(
            actor=expert_user(assignment.expert),
            application=accepted,
            points=points or {"ip": 25, "transfer": 24, "org": 15, "growth": 12},
        )
    accepted.refresh_from_db()
    return accepted


def test_full_path_to_approval(accepted, staff, expert_pool, calendar_2020_2027):
    app = _through_review(accepted, staff, expert_pool)
    assert app.status == "reviewed"
    period = services.publicity_open(
        actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
    )
    app.refresh_from_db()
    assert app.status == "in_publicity"
    obj = services.objection_submit(
        publicity=period,
        name="张三",
        contact="13800000000",
        reason="知识产权存疑",
        application=app,
        now=NOW.replace(month=9, day=22),
    )
    after = NOW.replace(month=10, day=20)
    with pytest.raises(ValidationError, match="异议未答复"):
        services.application_decide(actor=staff, application=app, approve=True, now=after)
    services.objection_answer(actor=staff, objection=obj, answer="经核实，知识产权权属清晰，异议不成立。")
    decision = services.application_decide(actor=staff, application=app, approve=True, now=after)
    app.refresh_from_db()
    assert app.status == "approved"
    assert "予以认定" in decision.letter and app.organisation.name in decision.letter


def test_decide_before_publicity_ends_is_refused_and_audited(
    accepted, staff, expert_pool, calendar_2020_2027
):
    app = _through_review(accepted, staff, expert_pool)
    services.publicity_open(
        actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
    )
    with pytest.raises(ValidationError, match="公示期满后"):
        services.application_decide(
            actor=staff, application=app, approve=True, now=NOW.replace(month=9, day=30)
        )
    app.refresh_from_db()
    assert app.status == "in_publicity"
    assert not Decision.objects.exists()
    assert refused() == 1


def test_publicity_over_national_day_week_counts_working_days(
    accepted, staff, expert_pool, calendar_2020_2027
):
    app = _through_review(accepted, staff, expert_pool)
    # 10 working days from Mon 2020-09-21: 21–25 Sep, 调休 Sun 27 Sep, 28–30 Sep, 1–8 Oct off, Fri 9 Oct is the 10th.
    period = services.publicity_open(
        actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
    )
    assert period.ends_on == dt.date(2020, 10, 9)
    assert not period.provisional


def test_review_by_undrawn_expert_is_refused_and_audited(accepted, staff, expert_pool):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    drawn = set(accepted.assignments.values_list("expert_id", flat=True))
    outsider = next(e for e in expert_pool if e.pk not in drawn)
    with pytest.raises(ValidationError, match="不是该申报的抽取评审专家"):
        services.score_submit(
            actor=expert_user(outsider),
            application=accepted,
            points={"ip": 1, "transfer": 1, "org": 1, "growth": 1},
        )
    assert refused("review.score_refused") == 1


def test_score_above_criterion_max_is_rejected(accepted, staff, expert_pool):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    expert = accepted.assignments.first().expert
    with pytest.raises(ValidationError, match="0～30"):
        services.score_submit(
            actor=expert_user(expert),
            application=accepted,
            points={"ip": 31, "transfer": 1, "org": 1, "growth": 1},
        )
    assert not accepted.assignments.filter(submitted_at__isnull=False).exists()


def test_objection_outside_period_is_refused(accepted, staff, expert_pool, calendar_2020_2027):
    app = _through_review(accepted, staff, expert_pool)
    period = services.publicity_open(
        actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
    )
    with pytest.raises(ValidationError, match="不在公示期内"):
        services.objection_submit(
            publicity=period, name="李四", contact="x", reason="y", now=NOW.replace(month=11)
        )
    assert not Objection.objects.exists()


def test_batch_decision_refuses_each_early_one_separately(accepted, staff, expert_pool, calendar_2020_2027):
    app = _through_review(accepted, staff, expert_pool)
    services.publicity_open(
        actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
    )
    decided, refused_map = services.decide_batch(actor=staff, applications=[app], approve=True)
    # "now" is the real clock (after 2020), so the period is long over and the batch goes through.
    assert len(decided) == 1 and not refused_map


def test_outcome_handler_is_called_on_approval(accepted, staff, expert_pool, calendar_2020_2027):
    from kechuang.programmes import outcomes

    seen = []
    outcomes.register_outcome(
        "hnte_t", lambda *, application, decision, actor, data: seen.append(application.pk) or "已写入"
    )
    try:
        app = _through_review(accepted, staff, expert_pool)
        services.publicity_open(
            actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
        )
        decision = services.application_decide(actor=staff, application=app, approve=True)
    finally:
        outcomes._HANDLERS.pop("hnte_t", None)
    assert seen == [app.pk] and decision.outcome == "已写入"


def test_hnte_approval_records_the_certificate_in_enterprises(
    accepted, staff, expert_pool, calendar_2020_2027
):
    from kechuang.enterprises.models import Qualification

    ptype = accepted.call.programme.type
    ptype.code = "hnte"  # the HNTE handler registered by programmes.handlers
    ptype.save()
    app = _through_review(accepted, staff, expert_pool)
    services.publicity_open(
        actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
    )
    with pytest.raises(ValidationError, match="证书编号"):
        services.application_decide(actor=staff, application=app, approve=True)
    app.refresh_from_db()
    assert app.status == "in_publicity"
    decision = services.application_decide(
        actor=staff, application=app, approve=True, outcome_data={"number": "GR202037005133"}
    )
    qual = Qualification.objects.get(organisation=app.organisation, kind__code="hnte")
    assert qual.number == "GR202037005133" and "GR202037005133" in decision.outcome


def test_reminder_summarises_open_tasks_for_staff(application, enterprise_user, staff):
    from kechuang.notifications.models import Notification
    from kechuang.programmes.tasks import remind_staff

    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    assert remind_staff() >= 1
    note = Notification.objects.get(user=staff, kind="programmes.reminder")
    assert "待形式审查1项" in note.body


def test_not_shortlisted_after_review_needs_reason(accepted, staff, expert_pool):
    app = _through_review(accepted, staff, expert_pool)
    with pytest.raises(ValidationError, match="理由"):
        services.application_transition(actor=staff, application=app, to="not_approved")
    services.application_transition(
        actor=staff, application=app, to="not_approved", reason="评审得分未达到71分。"
    )
    assert app.status == "not_approved"


def test_withdraw_after_return(application, enterprise_user, staff):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    services.application_check(actor=staff, application=application, result="return", reason="补充材料")
    services.application_transition(actor=enterprise_user, application=application, to="withdrawn")
    assert application.status == "withdrawn"


def test_draw_before_acceptance_is_refused(application, enterprise_user, staff, expert_pool):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    with pytest.raises(ValidationError, match="形式审查通过"):
        services.review_draw(actor=staff, application=application)
    assert refused("review.draw_refused") == 1


def test_draw_with_too_small_pool_names_the_rule(accepted, staff, district):
    from kechuang.core.tests.factories import OrganisationFactory, PersonFactory

    for _ in range(4):
        services.expert_create(
            actor=staff,
            person=PersonFactory(organisation=OrganisationFactory()),
            category="technical",
            region=district,
            fields=["A01"],
        )
    with pytest.raises(ValidationError, match="财务专家不少于1名"):
        services.review_draw(actor=staff, application=accepted)
    accepted.refresh_from_db()
    assert accepted.status == "accepted" and not accepted.assignments.exists()


def test_conflicted_expert_in_database_is_never_drawn(accepted, staff, expert_pool, district):
    from kechuang.core.tests.factories import PersonFactory

    colleague = services.expert_create(
        actor=staff,
        person=PersonFactory(organisation=accepted.organisation),
        category="technical",
        region=district,
        fields=["A01"],
    )
    services.expert_declare_conflict(actor=staff, expert=expert_pool[0], organisation=accepted.organisation)
    draw = services.review_draw(actor=staff, application=accepted)
    chosen = set(accepted.assignments.values_list("expert_id", flat=True))
    assert not {colleague.pk, expert_pool[0].pk} & chosen
    reasons = {e["id"]: e["reason"] for e in draw.record["exclusions"]}
    assert "任职于申报单位" in reasons[colleague.pk] and "利益冲突" in reasons[expert_pool[0].pk]
    from kechuang.programmes import rules

    assert rules.verify_draw(draw.record)[0]


def test_no_review_programme_goes_from_acceptance_to_publicity(
    db, district, staff, enterprise_user, calendar_2020_2027
):
    ptype = services.programme_type_create(
        actor=staff,
        code="pool",
        name="培育库入库",
        applicant_kind="enterprise",
        outcome_kind="recommendation",
        transition_key="no_review",
    )
    programme = services.programme_create(
        actor=staff,
        type=ptype,
        code="pool",
        name="市级高企培育库",
        region=district,
        form_schema=[{"key": "s", "label": "简介", "type": "text", "required": True}],
        publicity_days=5,
    )
    call = services.call_create(
        actor=staff,
        programme=programme,
        name="2020年",
        opens_at=NOW - dt.timedelta(days=1),
        closes_at=NOW + dt.timedelta(days=5),
        region=district,
    )
    app = services.application_create(
        actor=enterprise_user, call=call, organisation=enterprise_user.organisation, title="入库", now=NOW
    )
    app = services.application_save_draft(
        actor=enterprise_user, application=app, data={"s": "简介"}, expected_version=1
    )
    services.application_transition(actor=enterprise_user, application=app, to="submitted", now=NOW)
    services.application_check(actor=staff, application=app, result="accept")
    with pytest.raises(ValidationError, match="不能变更为“专家评审中”"):
        services.application_transition(actor=staff, application=app, to="under_review")
    period = services.publicity_open(
        actor=staff, call=call, applications=[app], starts_on=dt.date(2020, 6, 1), now=NOW
    )
    assert period.ends_on == dt.date(2020, 6, 5)
    services.application_decide(
        actor=staff, application=app, approve=False, reason="不符合条件", now=NOW.replace(month=6, day=9)
    )
    app.refresh_from_db()
    assert app.status == "not_approved" and "不予" in app.decision.letter


def test_publicity_refuses_items_not_ready(accepted, staff):
    with pytest.raises(ValidationError, match="不能列入公示"):
        services.publicity_open(
            actor=staff,
            call=accepted.call,
            applications=[accepted],
            starts_on=dt.date(2020, 9, 21),
            now=PUBLISHED,
        )
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


def test_general_objection_blocks_every_decision_on_the_list(
    accepted, staff, expert_pool, calendar_2020_2027
):
    app = _through_review(accepted, staff, expert_pool)
    period = services.publicity_open(
        actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
    )
    services.objection_submit(
        publicity=period,
        name="李四",
        contact="13800000000",
        reason="评审过程不公开",
        now=NOW.replace(month=9, day=22),
    )
    with pytest.raises(ValidationError, match="异议未答复"):
        services.application_decide(
            actor=staff, application=app, approve=True, now=NOW.replace(month=10, day=20)
        )


def test_publicity_cannot_start_before_its_publication_day(accepted, staff, expert_pool, calendar_2020_2027):
    # Issue 23: a 公示 published on 2020-11-30 to "start" on 2020-09-28 was over before anyone saw it.
    app = _through_review(accepted, staff, expert_pool)
    with pytest.raises(ValidationError, match="不能早于发布当日（2020年11月30日）"):
        services.publicity_open(
            actor=staff,
            call=app.call,
            applications=[app],
            starts_on=dt.date(2020, 9, 28),
            now=NOW.replace(month=11, day=30),
        )
    app.refresh_from_db()
    assert app.status == "reviewed"
    period = services.publicity_open(
        actor=staff,
        call=app.call,
        applications=[app],
        starts_on=dt.date(2020, 11, 30),
        now=NOW.replace(month=11, day=30),
    )
    # 10 working days from Mon 30 Nov 2020 on the calendar: Fri 11 Dec; no decision until it is over.
    assert period.ends_on == dt.date(2020, 12, 11)
    with pytest.raises(ValidationError, match="公示期满后"):
        services.application_decide(
            actor=staff, application=app, approve=True, now=NOW.replace(month=12, day=11)
        )


def test_publicity_started_by_default_uses_the_business_clock(
    accepted, staff, expert_pool, calendar_2020_2027, settings
):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 11, 30)}
    app = _through_review(accepted, staff, expert_pool)
    with pytest.raises(ValidationError, match="不能早于发布当日"):
        services.publicity_open(
            actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 11, 27)
        )


def _upheld(accepted, staff, expert_pool):
    app = _through_review(accepted, staff, expert_pool)
    period = services.publicity_open(
        actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
    )
    obj = services.objection_submit(
        publicity=period,
        name="张三",
        contact="13800000000",
        reason="核心专利权属有争议",
        application=app,
        now=NOW.replace(month=9, day=22),
    )
    services.objection_answer(actor=staff, objection=obj, answer="经核实，专利权属确有争议。", upheld=True)
    obj.refresh_from_db()
    return app, period, obj


def test_upheld_objection_blocks_approval_and_the_public_list(
    accepted, staff, expert_pool, calendar_2020_2027
):
    from kechuang.programmes import selectors

    app, period, obj = _upheld(accepted, staff, expert_pool)
    assert list(selectors.publicity_entries(period)) == []
    after = NOW.replace(month=10, day=20)
    with pytest.raises(ValidationError, match="异议经核实成立"):
        services.application_decide(actor=staff, application=app, approve=True, now=after)
    app.refresh_from_db()
    assert app.status == "in_publicity" and not Decision.objects.exists()
    # The one who answered cannot wave it through himself; a second staff member can, with a reason.
    with pytest.raises(ValidationError, match="答复人以外"):
        services.objection_resolve(actor=staff, objection=obj, resolution="override", reason="争议已和解")
    second = UserFactory(region=staff.region)
    with pytest.raises(ValidationError, match="处理理由"):
        services.objection_resolve(actor=second, objection=obj, resolution="override", reason=" ")
    services.objection_resolve(
        actor=second, objection=obj, resolution="override", reason="权属争议已经法院调解结案，附调解书。"
    )
    assert list(selectors.publicity_entries(period)) == [app]
    services.application_decide(actor=staff, application=app, approve=True, now=after)
    app.refresh_from_db()
    assert app.status == "approved"


@pytest.mark.parametrize(("resolution", "status"), [("withdrawn", "withdrawn"), ("re_review", "accepted")])
def test_upheld_objection_resolved_by_withdrawal_or_re_review(
    accepted, staff, expert_pool, calendar_2020_2027, resolution, status
):
    from kechuang.programmes import selectors

    app, period, obj = _upheld(accepted, staff, expert_pool)
    services.objection_resolve(actor=staff, objection=obj, resolution=resolution, reason="异议成立。")
    app.refresh_from_db()
    assert app.status == status
    assert list(selectors.publicity_entries(period)) == []
    with pytest.raises(ValidationError, match="已记录处理结果"):
        services.objection_resolve(actor=staff, objection=obj, resolution="withdrawn", reason="再次")


def test_application_in_publicity_leaves_only_through_an_objection_resolution(
    accepted, staff, expert_pool, calendar_2020_2027
):
    from kechuang.programmes import rules

    app = _through_review(accepted, staff, expert_pool)
    services.publicity_open(
        actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
    )
    with pytest.raises(ValidationError, match="异议经核实成立并记录处理结果后"):
        services.application_transition(actor=staff, application=app, to="accepted", reason="重新评审")
    app.refresh_from_db()
    assert app.status == "in_publicity"
    assert set(rules.page_steps("default", "in_publicity")) == {"approved", "not_approved"}
