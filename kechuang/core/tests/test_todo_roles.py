"""Every task kind a module registers (core.todos) reaches the role it is for and no other, within scope:
another district's staff and leaders never see 周村区's tasks, a firm sees only its own, an expert only the
applications drawn to them. On the demo districts, with the kinds the demo leaves empty filled in."""

import datetime as dt
from collections import defaultdict

from kechuang.accounts.models import User
from kechuang.core import dates, todos
from kechuang.core.models import Region
from kechuang.core.roles import Role
from kechuang.core.tests.factories import OrganisationFactory, UserFactory

EXPECTED = {
    "portal.review": Role.STAFF,
    "programmes.check": Role.STAFF,
    "programmes.draw": Role.STAFF,
    "programmes.publicise": Role.STAFF,
    "programmes.decide": Role.STAFF,
    "programmes.objection": Role.STAFF,
    "programmes.review": Role.EXPERT,
    "programmes.respond": Role.EXPERT,
    "programmes.submit": Role.ENTERPRISE,
    "programmes.training_register": Role.ENTERPRISE,
    "projects.report_review": Role.STAFF,
    "projects.change_decide": Role.STAFF,
    "projects.inspect": Role.STAFF,
    "projects.finding_close": Role.STAFF,
    "projects.rectify": Role.ENTERPRISE,
    "projects.milestone": Role.ENTERPRISE,
    "projects.escalated": Role.LEADER,
    "projects.acceptance_organise": Role.STAFF,
    "projects.rectify_escalated": Role.LEADER,
    "vouchers.claim_review": Role.STAFF,
    "vouchers.redemption_review": Role.STAFF,
    "vouchers.publicity_close": Role.STAFF,
    "vouchers.payout_request": Role.STAFF,
    "vouchers.payout_check": Role.STAFF,
    "vouchers.use": Role.ENTERPRISE,
    "vouchers.provider_confirm": Role.ENTERPRISE,  # a provider's user is its organisation's (ADR 0028)
    "vouchers.provider_invoice": Role.ENTERPRISE,
    "agritech.request_answer": Role.COMMISSIONER,
    "enterprises.hnte_renew": {Role.STAFF, Role.ENTERPRISE},
}


def _fill_in_what_the_demo_leaves_empty(users) -> None:
    """One waiting record for each kind the demo has none of (records as the workflows leave them)."""
    from kechuang.enterprises.models import QualificationKind
    from kechuang.enterprises.services import qualification_record
    from kechuang.programmes.models import (
        Application,
        Call,
        Expert,
        Objection,
        PublicityPeriod,
        ReviewAssignment,
        ReviewDraw,
        Training,
        TrainingParticipant,
    )
    from kechuang.projects.models import (
        CampaignItem,
        ChangeRequest,
        ProgressReport,
        Project,
        SupervisionCampaign,
    )
    from kechuang.vouchers.models import Redemption, Voucher

    zc = Region.objects.get(code="370306")
    town = Region.objects.filter(parent=zc).first()
    staff, qiye, expert = users["staff"], users["qiye"], users["expert"]
    now = dates.now()
    call = Call.objects.filter(region=zc, programme__type__transition_key="default").first()
    S = Application.Status

    def application(status, org=None):
        return Application.objects.create(
            call=call,
            organisation=org or OrganisationFactory(region=town),
            title=f"待办测试申报（{status}）",
            status=status,
            submitted_at=now,
            created_by=staff,
        )

    application(S.ACCEPTED)
    application(S.REVIEWED)
    open_call = Call.objects.create(
        programme=call.programme,
        name="待办测试批次",
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=20),
        region=zc,
    )
    Application.objects.create(
        call=open_call, organisation=qiye.organisation, title="方达电子申报草稿", created_by=qiye
    )
    Objection.objects.create(
        publicity=PublicityPeriod.objects.filter(call__region=zc).first(),
        name="张三",
        contact="13800001111",
        reason="请核实该企业知识产权权属",
        submitted_at=now,
    )
    training = Training.objects.create(
        title="待办测试培训",
        topic="高企认定",
        held_on=dates.today() + dt.timedelta(days=10),
        region=zc,
        created_by=staff,
    )
    TrainingParticipant.objects.create(training=training, organisation=qiye.organisation, invited=True)
    renewing = UserFactory(enterprise=True, organisation=OrganisationFactory(region=town)).organisation
    valid_from = dates.today() - dt.timedelta(days=900)
    qualification_record(
        actor=staff,
        organisation=renewing,
        kind=QualificationKind.objects.get(code="hnte"),
        valid_from=valid_from,
        valid_until=dates.today() + dt.timedelta(days=100),
        number=f"GR{valid_from.year}37987654",
    )
    under_review = application(S.UNDER_REVIEW)
    ReviewDraw.objects.create(
        application=under_review, record={}, seed="s", hash="h", drawn_at=now, drawn_by=staff
    )
    drawn, _ = Expert.objects.get_or_create(
        person=expert.person, defaults={"category": Expert.Category.TECHNICAL, "region": zc}
    )
    ReviewAssignment.objects.create(application=under_review, expert=drawn, response="accepted")
    to_answer = application(S.UNDER_REVIEW)  # drawn, not yet accepted or declined
    ReviewDraw.objects.create(
        application=to_answer, record={}, seed="s", hash="h", drawn_at=now, drawn_by=staff
    )
    ReviewAssignment.objects.create(application=to_answer, expert=drawn, respond_by=dates.today())

    project = Project.objects.filter(region=zc, undertaking_unit=qiye.organisation).first()
    ProgressReport.objects.create(
        project=project,
        kind="periodic",
        period="2020年第四季度",
        summary="按计划推进",
        spent=0,
        submitted_by=qiye,
        submitted_at=now,
    )
    ChangeRequest.objects.create(
        project=project, kind="extension", reason="设备到货延迟", requested_by=qiye, requested_at=now
    )
    campaign = SupervisionCampaign.objects.create(
        region=zc,
        name="待办测试督查",
        period_start=dates.today(),
        period_end=dates.today() + dt.timedelta(days=30),
        opened_by=staff,
        opened_at=now,
    )
    CampaignItem.objects.create(campaign=campaign, project=project, inspector=staff)
    Project.objects.filter(pk=project.pk).update(status="in_progress", acceptance_requested_on=dates.today())
    reds = list(Redemption.objects.filter(voucher__programme__region=zc).order_by("pk")[:4])
    assert len(reds) == 4, "the demo has redemptions in 周村区"
    R = Redemption.Status
    Redemption.objects.filter(pk=reds[0].pk).update(status=R.APPROVED)
    Redemption.objects.filter(pk=reds[1].pk).update(status=R.SUBMITTED)
    Redemption.objects.filter(pk=reds[2].pk).update(
        status=R.PUBLICITY, publicity_until=dates.today() - dt.timedelta(days=5)
    )
    Redemption.objects.filter(pk=reds[3].pk).update(status=R.PAYOUT_REQUESTED, payout_requested_by=staff)
    claimed = Voucher.objects.filter(programme__region=zc).exclude(organisation=qiye.organisation).first()
    Voucher.objects.filter(pk=claimed.pk).update(status=Voucher.Status.CLAIMED)
    application(S.SUBMITTED)
    ended = PublicityPeriod.objects.create(
        call=call,
        title="待办测试公示",
        starts_on=dates.today() - dt.timedelta(days=20),
        ends_on=dates.today() - dt.timedelta(days=6),
        working_days=10,
        published_at=now,
        published_by=staff,
    )
    Application.objects.filter(pk=application(S.IN_PUBLICITY).pk).update(publicity=ended)
    voucher = (
        Voucher.objects.filter(organisation=qiye.organisation).exclude(pk=claimed.pk).first()
        or Voucher.objects.filter(programme__region=zc).exclude(pk=claimed.pk).first()
    )
    Voucher.objects.filter(pk=voucher.pk).update(
        status=Voucher.Status.ISSUED, organisation=qiye.organisation, valid_until=dates.today()
    )


def _seen() -> dict[str, dict[str, set[int]]]:
    """kind → username → the pks of that user's tasks (only users with some)."""
    seen: dict[str, dict[str, set[int]]] = defaultdict(dict)
    for user in User.objects.filter(is_active=True).select_related("region", "organisation"):
        ctx = todos.TaskContext(user)
        for kind in todos.kinds_for(user):
            pks = set(kind.records(ctx).values_list("pk", flat=True))
            if pks:
                seen[kind.key][user.username] = pks
    return seen


def test_every_kind_reaches_its_role_and_no_other_within_scope(demo):
    users = {u.username: u for u in User.objects.all()}
    _fill_in_what_the_demo_leaves_empty(users)
    users = {u.username: u for u in User.objects.select_related("region")}  # with the ones just added
    assert {k.key for k in todos.kinds()} == set(EXPECTED), "a new kind needs its expected role here"
    seen = _seen()
    zd = Region.objects.get(code="370303").path
    for key, expected in EXPECTED.items():
        expected = expected if isinstance(expected, set) else {expected}
        holders = seen[key]
        assert holders, f"{key}: nobody has this task"
        roles = {users[name].role for name in holders}
        assert roles == expected, f"{key}: seen by {roles}, meant for {expected}"
        for role in expected & {Role.STAFF, Role.LEADER}:
            bureau = {n: p for n, p in holders.items() if users[n].role == role}
            zhoucun = set().union(*(p for n, p in bureau.items() if users[n].region.code == "370306"))
            zhangdian = set().union(*(p for n, p in bureau.items() if users[n].region.path.startswith(zd)))
            assert zhoucun and not zhoucun & zhangdian, f"{key}: 张店区 sees 周村区's tasks"
        # a firm's, an expert's, a commissioner's own: no two such users share a task
        names = sorted(n for n in holders if users[n].role not in (Role.STAFF, Role.LEADER))
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                assert not holders[a] & holders[b], f"{key}: {a} and {b} share a task"
    for key in ("programmes.submit", "programmes.training_register", "vouchers.use", "projects.milestone"):
        assert "qiye" in seen[key]
    # a provider's tasks reach its own users only: fuwu, and no firm that merely holds the vouchers
    for key in ("vouchers.provider_confirm", "vouchers.provider_invoice"):
        assert set(seen[key]) == {"fuwu"}, f"{key}: seen by {sorted(seen[key])}"
    assert "expert" in seen["programmes.review"]  # each expert only their own (checked above)
    # 四眼: the one who asked for a payout is not the one to check it
    requested = {r for r in seen["vouchers.payout_check"].values() for r in r}
    from kechuang.vouchers.models import Redemption

    askers = set(
        Redemption.objects.filter(pk__in=requested).values_list("payout_requested_by__username", flat=True)
    )
    assert askers and not askers & set(seen["vouchers.payout_check"])
