"""The draw that always completes: answers, decline/timeout/conflict replacements from the sealed chain, staff
recusal from platform records, 代录 with the scanned sheet — service level."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import UserFactory
from kechuang.notifications.models import Notification
from kechuang.programmes import replacement, services
from kechuang.programmes.models import DrawReplacement, ReviewAssignment
from kechuang.programmes.tests.conftest import expert_user

POINTS = {"ip": 20, "transfer": 20, "org": 10, "growth": 10}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
R = ReviewAssignment.Response


def _chain_ok(app):
    draw = app.draw
    links = [link.record for link in draw.replacements.order_by("sequence")]
    return replacement.verify_chain(draw.record, links)


def test_decline_timeout_and_conflict_each_draw_a_reproducible_replacement(accepted, staff, expert_pool):
    draw = services.review_draw(actor=staff, application=accepted, seed="fixed")
    first = list(accepted.assignments.order_by("pk"))
    assert len(first) == 5 and all(a.response == R.PENDING and a.respond_by for a in first)
    assert Notification.objects.filter(kind="programmes.review", user=expert_user(first[0].expert)).exists()

    # decline → replacement #1 at once, recorded with its reason
    services.assignment_respond(
        actor=expert_user(first[0].expert), assignment=first[0], answer="decline", reason="出差"
    )
    link = DrawReplacement.objects.get(draw=draw, sequence=1)
    assert (link.replaced_id, link.reason) == (first[0].pk, "declined")
    assert link.chosen.expert_id not in [a.expert_id for a in first]
    # a second answer is refused and audited
    with pytest.raises(ValidationError, match="不能再更改"):
        services.assignment_respond(actor=expert_user(first[0].expert), assignment=first[0], answer="accept")
    assert AuditEvent.objects.filter(action="review.respond_refused").exists()

    # conflict declared by the expert → recused, the applicant recorded as a conflict, replacement #2
    services.assignment_respond(
        actor=expert_user(first[1].expert), assignment=first[1], answer="conflict", reason="曾在该企业兼职"
    )
    assert accepted.organisation in first[1].expert.conflicts.all()
    assert draw.replacements.get(sequence=2).reason == "conflict"

    # the others accept; one lets the deadline pass → the scheduled/lazy check expires and replaces
    for a in accepted.assignments.filter(response=R.PENDING).exclude(pk=first[2].pk):
        services.assignment_respond(actor=expert_user(a.expert), assignment=a, answer="accept")
    late = first[2].respond_by + dt.timedelta(days=1)
    replaced = services.expire_overdue(today=late)
    assert replaced == 1 and services.expire_overdue(today=late) == 0  # idempotent
    first[2].refresh_from_db()
    assert first[2].response == R.EXPIRED and first[2].replacement.reason == "expired"

    assert _chain_ok(accepted)[0]
    active = accepted.assignments.filter(response__in=["pending", "accepted"])
    assert active.count() == 5  # the panel is always full again


def test_tampered_replacement_record_fails_the_recheck(accepted, staff, expert_pool):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    a = accepted.assignments.order_by("pk").first()
    services.assignment_respond(actor=expert_user(a.expert), assignment=a, answer="decline", reason="生病")
    link = accepted.draw.replacements.get()
    record = dict(link.record, seed="0" * 32)
    DrawReplacement.objects.filter(pk=link.pk).update(record=record)
    ok, why = _chain_ok(accepted)
    assert not ok and "校验值不符" in why


def test_decline_needs_a_reason_and_only_the_drawn_expert_answers(accepted, staff, expert_pool):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    a, b = accepted.assignments.order_by("pk")[:2]
    with pytest.raises(ValidationError):
        services.assignment_respond(actor=expert_user(a.expert), assignment=a, answer="decline", reason="")
    with pytest.raises(ValidationError, match="不是抽取给您"):
        services.assignment_respond(actor=expert_user(b.expert), assignment=a, answer="accept")
    a.refresh_from_db()
    assert a.response == R.PENDING and not DrawReplacement.objects.exists()
    services.assignment_respond(actor=expert_user(a.expert), assignment=a, answer="accept")
    a.refresh_from_db()
    assert a.response == R.ACCEPTED and a.responded_at


def test_recusal_uses_cooperation_agreements_and_projects(accepted, staff, expert_pool):
    from kechuang.cooperation.models import Agreement

    expert = expert_pool[0]
    Agreement.objects.create(
        subject="联合研发", firm=accepted.organisation, partner=expert.employer, signed_on=dt.date(2019, 3, 1)
    )
    draw = services.review_draw(actor=staff, application=accepted, seed="fixed")
    assert {"id": expert.pk, "reason": "与申报单位有合作、协议或项目往来，回避"} in draw.record["exclusions"]
    assert expert.pk not in draw.record["chosen"]


def test_staff_recuse_late_conflict_and_replace(accepted, staff, expert_pool):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    a = accepted.assignments.order_by("pk").first()
    region = accepted.call.region
    town = Region.objects.filter(path__startswith=region.path).exclude(pk=region.pk).first()
    other = UserFactory(staff=True, region=town)  # a town's staff: the call is above their subtree
    with pytest.raises(ValidationError):
        services.assignment_recuse(actor=other, assignment=a, reason="持股")
    link = services.assignment_recuse(actor=staff, assignment=a, reason="发现该专家持有申报企业股份")
    assert link.reason == "conflict" and link.drawn_by == staff
    assert AuditEvent.objects.filter(action="review.recuse").exists()


def test_staff_enter_paper_scores_as_proxy_with_the_scanned_sheet(accepted, staff, expert_pool):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    panel = list(accepted.assignments.order_by("pk"))
    with pytest.raises(ValidationError, match="扫描件"):
        services.score_enter_on_behalf(
            actor=staff, assignment=panel[0], points=POINTS, sheet_data=b"", sheet_name=""
        )
    with pytest.raises(ValidationError):  # bad points: nothing stored
        services.score_enter_on_behalf(
            actor=staff,
            assignment=panel[0],
            points={**POINTS, "ip": 99},
            sheet_data=PDF,
            sheet_name="评分表.pdf",
        )
    with pytest.raises(ValidationError, match="无权代录"):
        services.score_enter_on_behalf(
            actor=expert_user(panel[1].expert),
            assignment=panel[0],
            points=POINTS,
            sheet_data=PDF,
            sheet_name="a.pdf",
        )
    done = services.score_enter_on_behalf(
        actor=staff,
        assignment=panel[0],
        points=POINTS,
        sheet_data=PDF,
        sheet_name="评分表.pdf",
        comment="技术先进",
    )
    assert done.entered_by == staff and done.paper_sheet.original_name == "评分表.pdf"
    assert done.response == R.ACCEPTED and done.comment == "技术先进"
    event = AuditEvent.objects.get(action="review.score_proxy")
    assert event.changes["paper_sheet"] == str(done.paper_sheet.uid)
    for a in panel[1:]:
        services.score_submit(actor=expert_user(a.expert), application=accepted, points=POINTS)
    accepted.refresh_from_db()
    assert accepted.status == "reviewed"


def test_a_declined_expert_cannot_score_and_the_panel_completes_without_them(accepted, staff, expert_pool):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    out = accepted.assignments.order_by("pk").first()
    services.assignment_respond(
        actor=expert_user(out.expert), assignment=out, answer="decline", reason="出国"
    )
    with pytest.raises(ValidationError):
        services.score_submit(actor=expert_user(out.expert), application=accepted, points=POINTS)
    for a in accepted.assignments.filter(response__in=["pending", "accepted"]):
        services.score_submit(actor=expert_user(a.expert), application=accepted, points=POINTS)
    accepted.refresh_from_db()
    assert accepted.status == "reviewed"
