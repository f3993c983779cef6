import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from docx.shared import Mm

from kechuang.core.indicators import Period, Scope, compute
from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import UserFactory
from kechuang.notifications.models import Notification
from kechuang.proposals import letter, rules, services
from kechuang.proposals.models import Proposal, ResultClass, StatusChange
from kechuang.reports.tests.signing import sign_off

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)


def _reply(staff, proposal):
    services.proposal_transition(actor=staff, proposal=proposal, to="drafting")
    services.proposal_draft_reply(actor=staff, proposal=proposal, as_of=AS_OF)
    services.co_unit_opinion(actor=staff, unit=proposal.co_units.get(), opinion="同意。")
    proposal.refresh_from_db()
    services.proposal_reply_details(
        actor=staff,
        proposal=proposal,
        version=proposal.version,
        result_class=ResultClass.objects.get(code="A"),
        contact="王敏 0533-6418888",
    )
    services.proposal_transition(actor=staff, proposal=proposal, to="cosigning")
    with pytest.raises(ValidationError, match="答复稿须经核稿、签发后才能正式答复"):
        services.proposal_transition(actor=staff, proposal=proposal, to="replied", today=dt.date(2020, 8, 10))
    sign_off(proposal.reply_draft, staff, on=dt.date(2020, 8, 10))
    proposal.refresh_from_db()
    services.proposal_transition(actor=staff, proposal=proposal, to="replied", today=dt.date(2020, 8, 10))
    return proposal


def test_deadline_is_three_calendar_months_with_working_days_counted(proposal):
    assert proposal.deadline == dt.date(2020, 8, 20)
    assert proposal.deadline_working_days > 50 and not proposal.deadline_provisional
    assert rules.add_months(dt.date(2020, 11, 30), 3) == dt.date(2021, 2, 28)


def test_a_deadline_in_an_unconfirmed_year_is_provisional(staff, district):
    p = services.proposal_register(
        actor=staff,
        region=district,
        kind="npc",
        number="1",
        session="区人大",
        member_name="甲",
        title="关于…的建议",
        lead_unit="区科技局",
        assigned_on=dt.date(2031, 1, 10),
    )
    assert p.deadline_provisional


def test_full_flow_from_assignment_to_satisfied_feedback_with_audit(staff, proposal):
    _reply(staff, proposal)
    services.proposal_transition(actor=staff, proposal=proposal, to="feedback", feedback="satisfied")
    services.proposal_transition(actor=staff, proposal=proposal, to="closed")
    proposal.refresh_from_db()
    assert proposal.status == "closed" and proposal.replied_on == dt.date(2020, 8, 10)
    assert list(StatusChange.objects.filter(proposal=proposal).values_list("to_status", flat=True)) == [
        "drafting",
        "cosigning",
        "replied",
        "feedback",
        "closed",
    ]
    assert AuditEvent.objects.filter(action="proposal.closed", object_id=str(proposal.pk)).exists()


def test_reply_is_refused_while_a_co_handling_unit_has_not_given_its_opinion(staff, proposal):
    services.proposal_transition(actor=staff, proposal=proposal, to="drafting")
    services.proposal_draft_reply(actor=staff, proposal=proposal, as_of=AS_OF)
    services.proposal_transition(actor=staff, proposal=proposal, to="cosigning")
    proposal.refresh_from_db()
    services.proposal_reply_details(
        actor=staff,
        proposal=proposal,
        version=proposal.version,
        result_class=ResultClass.objects.get(code="B"),
        contact="",
    )
    with pytest.raises(ValidationError, match="协办单位未提交意见"):
        services.proposal_transition(actor=staff, proposal=proposal, to="replied")
    assert Proposal.objects.get(pk=proposal.pk).status == "cosigning"


def test_illegal_transition_changes_nothing(staff, proposal):
    with pytest.raises(ValidationError, match="当前状态下不能进行该操作"):
        services.proposal_transition(actor=staff, proposal=proposal, to="closed")
    assert Proposal.objects.get(pk=proposal.pk).status == "assigned"
    assert not StatusChange.objects.exists()


def test_unsatisfied_member_triggers_a_second_round_before_closing(staff, proposal):
    _reply(staff, proposal)
    services.proposal_transition(actor=staff, proposal=proposal, to="feedback", feedback="unsatisfied")
    with pytest.raises(ValidationError, match="须先二次办理"):
        services.proposal_transition(actor=staff, proposal=proposal, to="closed")
    services.proposal_transition(actor=staff, proposal=proposal, to="second_round")
    services.proposal_transition(actor=staff, proposal=proposal, to="drafting")
    proposal.refresh_from_db()
    assert proposal.round == 2 and proposal.feedback == "" and proposal.status == "drafting"


def test_a_stale_transition_loses_the_compare_and_set(staff, proposal):
    stale = Proposal.objects.get(pk=proposal.pk)
    services.proposal_transition(actor=staff, proposal=proposal, to="drafting")
    with pytest.raises(ValidationError):
        services.proposal_transition(actor=staff, proposal=stale, to="drafting")
    assert StatusChange.objects.count() == 1


def test_generated_reply_carries_the_platforms_figures_and_a_gbt_letter(staff, proposal, hnte_holders):
    _reply(staff, proposal)
    proposal.refresh_from_db()
    text = "".join(
        b.get("text", "") if b["kind"] == "text" else "".join(f["text"] for f in b["figures"])
        for s in proposal.reply_draft.sections
        for b in s["blocks"]
    )
    assert "3" in text
    parts = letter.letter_parts(proposal)
    assert parts["title"] == "关于区政协十三届四次会议第134092号提案的答复"
    assert parts["salutation"] == "郭帅委员："
    assert (
        parts["received"]
        == "您提出的《关于进一步加大科技创新力度，促进产业转型发展的提案》收悉，现答复如下："
    )
    assert proposal.reply_number == "周科函〔2020〕1号"  # allocated at signing, the bureau's first 函 of 2020
    document = Document(io.BytesIO(letter.to_docx(proposal, date=dt.date(2020, 8, 10))))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "A" and texts[1] == "周村区科学技术局文件"
    assert any(t.startswith("周科函〔2020〕1号") and "签发人：" in t for t in texts)
    assert "关于区政协十三届四次会议\n第134092号提案的答复" in texts  # broken between words
    assert "2020年8月10日" in texts and any("我区共有3家高新技术企业" in t for t in texts)
    assert abs(document.sections[0].top_margin - Mm(37)) < Mm(0.1)


def test_reply_letter_downloads_as_pdf_or_says_why_not(client, staff, proposal, hnte_holders, monkeypatch):
    import shutil
    import subprocess

    from kechuang.reports import docx_layout

    _reply(staff, proposal)
    client.force_login(staff)
    url = reverse("proposals:letter_pdf", args=[proposal.pk])
    first = None
    if docx_layout.office_binary() is not None and shutil.which("pdftotext"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = subprocess.run(  # noqa: S603
            ["pdftotext", "-", "-"],  # noqa: S607
            input=response.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        flat = text.replace(" ", "").replace("\n", "")
        assert "第134092号提案的答复" in flat and "郭帅委员：" in flat
        assert "下载答复函（PDF）" in client.get(reverse("proposals:detail", args=[proposal.pk])).text
        first = response.content
    monkeypatch.setattr(docx_layout.shutil, "which", lambda name: None)
    response = client.get(url)
    if first is not None:
        # The signed letter's PDF was converted once and kept: the same bytes without LibreOffice.
        assert response.status_code == 200 and response.content == first
    else:
        assert response.status_code == 503 and "本机未安装 LibreOffice" in response.text
    assert "暂不能生成" in client.get(reverse("proposals:detail", args=[proposal.pk])).text


def test_reply_and_satisfaction_rates_are_registered_indicators(staff, district, proposal):
    other = services.proposal_register(
        actor=staff,
        region=district,
        kind="cppcc",
        number="134100",
        session="区政协十三届四次会议",
        member_name="李明",
        title="关于人才的提案",
        lead_unit="区科技局",
        assigned_on=dt.date(2020, 6, 1),
    )
    _reply(staff, proposal)
    services.proposal_transition(actor=staff, proposal=proposal, to="feedback", feedback="basic")
    scope = Scope(district, Period(2020), AS_OF)
    assert str(compute("proposal_reply_rate", scope).value) == "50.00"
    assert str(compute("proposal_satisfaction_rate", scope).value) == "100.00"
    assert other.status == "assigned"


def test_overdue_list_and_reminders_reach_the_districts_staff(client, staff, proposal):
    today = dt.date(2020, 8, 24)  # after the 2020-08-20 deadline
    assert list(services.due_soon(staff.region, today)) == [proposal]
    sent = services.send_reminders(today=today)
    assert sent >= 1
    note = Notification.objects.get(user=staff, kind="proposal_due")
    assert "已超期" in note.title
    outsider = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    assert not Notification.objects.filter(user=outsider).exists()
    assert services.send_reminders(today=today + dt.timedelta(days=1)) == 0  # the next day: no repeat
    assert Notification.objects.filter(user=staff, kind="proposal_due").count() == 1


def test_enterprise_users_and_other_districts_have_no_access(client, enterprise_user, proposal):
    client.force_login(enterprise_user)
    assert client.get(reverse("proposals:list")).status_code == 403
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404
    outsider = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    client.force_login(outsider)
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404


def test_leader_reads_but_cannot_move_a_proposal(client, leader, proposal):
    client.force_login(leader)
    page = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert page.status_code == 200 and "开始办理" not in page.content.decode()
    assert (
        client.post(reverse("proposals:transition", args=[proposal.pk]), {"to": "drafting"}).status_code
        == 404
    )
    assert Proposal.objects.get(pk=proposal.pk).status == "assigned"


def test_staff_move_a_proposal_through_the_pages(client, staff, proposal, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("proposals:list")).status_code == 200
    assert (
        client.post(reverse("proposals:transition", args=[proposal.pk]), {"to": "drafting"}).status_code
        == 302
    )
    bad = client.post(reverse("proposals:transition", args=[proposal.pk]), {"to": "replied"})
    assert bad.status_code == 400 and "请先生成" in bad.content.decode()
    assert (
        client.post(reverse("proposals:draft", args=[proposal.pk]), {"as_of": "2020-11-30"}).status_code
        == 302
    )
    proposal.refresh_from_db()
    assert proposal.reply_draft is not None
    letter_response = client.get(reverse("proposals:letter", args=[proposal.pk]))
    assert letter_response.status_code == 200 and letter_response.content[:2] == b"PK"


def test_remind_command_sends_due_notifications(staff, proposal, capsys):
    from django.core.management import call_command

    call_command("proposals", "remind", "--as-of", "2020-08-24")
    assert "已发送提醒" in capsys.readouterr().out
    assert Notification.objects.filter(user=staff, kind="proposal_due").exists()


@pytest.mark.django_db(transaction=True)
def test_default_result_classes_come_from_the_data_migration_even_after_a_flush():
    # The A/B/C set is reference data seeded by migration 0003 (no unaudited service writes it).
    assert list(ResultClass.objects.order_by("order").values_list("code", flat=True)) == ["A", "B", "C"]
