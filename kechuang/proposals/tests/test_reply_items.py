"""Replies that answer the proposal: requests recorded as items (suggested from the text, confirmed by the
handler), one answering part per item, 提案 and 建议 with their own salutation, opening and closing, the
suggested A/B/C class, and no reply while a figure of the draft no longer holds."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from kechuang.core.tests.factories import UserFactory
from kechuang.proposals import letter, rules, services
from kechuang.reports import summary

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)


def test_requests_are_split_from_the_text_as_a_suggestion():
    text = "建议加大高新技术企业培育、研发投入、创新平台和人才引进力度，推动校城融合，促进产业转型发展。"
    assert rules.split_items(text) == [
        "加大高新技术企业培育力度",
        "加大研发投入力度",
        "加大创新平台力度",
        "加大人才引进力度",
        "推动校城融合",
        "促进产业转型发展",
    ]
    numbered = "一是加大科技型中小企业培育力度；二是扩大科技特派员服务覆盖；三是设立专项资金。"
    assert rules.split_items(numbered) == [
        "加大科技型中小企业培育力度",
        "扩大科技特派员服务覆盖",
        "设立专项资金",
    ]
    assert rules.split_items("") == []
    assert [rules.result_class_for(a, 3) for a in (3, 2, 0)] == ["A", "B", "C"]


def _text(draft) -> str:
    return "".join(s["heading"] + "".join(summary.block_text(b) for b in s["blocks"]) for s in draft.sections)


def test_three_requests_get_three_answering_parts(client, staff, proposal, hnte_holders):
    client.force_login(staff)
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "尚未确认建议事项" in page
    response = client.post(
        reverse("proposals:items", args=[proposal.pk]),
        {
            "version": proposal.version,
            "items": "加大高新技术企业培育力度\r\n加强科技特派员服务\r\n设立产业转型专项资金",
        },
    )
    assert response.status_code == 302
    assert [i.text for i in proposal.items.all()] == [
        "加大高新技术企业培育力度",
        "加强科技特派员服务",
        "设立产业转型专项资金",
    ]
    proposal.refresh_from_db()
    services.proposal_transition(actor=staff, proposal=proposal, to="drafting")
    services.proposal_draft_reply(actor=staff, proposal=proposal, as_of=AS_OF)
    draft = proposal.reply_draft
    parts = [s for s in draft.sections if s["key"].startswith("item-")]
    assert [p["heading"] for p in parts] == [
        "一、关于加大高新技术企业培育力度的建议。",
        "二、关于加强科技特派员服务的建议。",
        "三、关于设立产业转型专项资金的建议。",
    ]
    first = "".join(summary.block_text(b) for b in parts[0]["blocks"])
    assert "我区共有3家高新技术企业" in first
    # No records about commissioners or a special fund here: answered honestly, without invented figures.
    for part in parts[1:]:
        assert [b.get("no_records") for b in part["blocks"]] == [True]
    assert services.suggested_result_class(proposal) == ("B", 1, 3)
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "建议办理结果：<strong>B类</strong>" in page
    assert 'name="reply_number"' not in page  # the 文号 is not typed: signing allocates it
    assert "经核稿、签发后编发文字号" in page
    # The items cannot change once the reply is in 会签.
    services.co_unit_opinion(actor=staff, unit=proposal.co_units.get(), opinion="同意。")
    proposal.refresh_from_db()
    services.proposal_transition(actor=staff, proposal=proposal, to="cosigning")
    with pytest.raises(ValidationError, match="不能再修改"):
        services.proposal_items_save(actor=staff, proposal=proposal, version=proposal.version, texts=["改"])


def test_an_npc_suggestion_gets_its_own_salutation_opening_and_closing(
    staff, district, calendar_2020_2027, hnte_holders
):
    from kechuang.accounts.models import Team

    Team.objects.create(name="高企培育专班", region=district)
    npc = services.proposal_register(
        actor=staff,
        region=district,
        kind="npc",
        number="20",
        session="区十八届人大四次会议",
        member_name="王丽",
        title="关于加强高新技术企业培育的建议",
        text="建议加强高新技术企业培育。",
        lead_unit="周村区科学技术局",
        assigned_on=dt.date(2020, 9, 15),
    )
    services.proposal_items_save(
        actor=staff, proposal=npc, version=npc.version, texts=["加强高新技术企业培育"]
    )
    npc.refresh_from_db()
    services.proposal_transition(actor=staff, proposal=npc, to="drafting")
    services.proposal_draft_reply(actor=staff, proposal=npc, as_of=AS_OF)
    text = _text(npc.reply_draft)
    assert "区人大的监督指导" in text and "政协" not in text
    assert "区科技局组建“一个工作专班”" in text
    parts = letter.letter_parts(npc)
    assert (
        parts["salutation"] == "王丽代表：" and parts["title"] == "关于区十八届人大四次会议第20号建议的答复"
    )
    assert npc.reply_draft.title == "对区十八届人大四次会议第20号建议的答复"
    document = Document(io.BytesIO(letter.to_docx(npc, date=AS_OF)))
    texts = [p.text for p in document.paragraphs]
    assert letter.THANKS["npc"] in texts and letter.THANKS["cppcc"] not in texts
    assert "周村区科学技术局" in texts


def test_a_reply_whose_figures_no_longer_hold_cannot_be_sent(client, staff, proposal, hnte_holders, town):
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.enterprises.tests.factories import QualificationFactory
    from kechuang.proposals.models import ResultClass

    services.proposal_transition(actor=staff, proposal=proposal, to="drafting")
    services.proposal_draft_reply(actor=staff, proposal=proposal, as_of=AS_OF)
    services.co_unit_opinion(actor=staff, unit=proposal.co_units.get(), opinion="同意。")
    proposal.refresh_from_db()
    services.proposal_reply_details(
        actor=staff,
        proposal=proposal,
        version=proposal.version,
        result_class=ResultClass.objects.get(code="A"),
        contact="",
    )
    services.proposal_transition(actor=staff, proposal=proposal, to="cosigning")
    QualificationFactory(organisation=OrganisationFactory(region=town), valid_from=dt.date(2020, 3, 1))
    from kechuang.reports import signoff

    with pytest.raises(ValidationError, match="稿中有1句与现有记录不符"):
        signoff.draft_submit(actor=staff, draft=proposal.reply_draft, version=proposal.reply_draft.version)
    with pytest.raises(ValidationError, match="答复稿须经核稿、签发"):
        services.proposal_transition(actor=staff, proposal=proposal, to="replied", today=AS_OF)
    client.force_login(staff)
    assert client.get(reverse("proposals:letter", args=[proposal.pk])).status_code == 409
    other = UserFactory(
        staff=True, region=proposal.region.parent.children.exclude(pk=proposal.region_id).first()
    )
    client.force_login(other)
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("reports:draft_detail", args=[proposal.reply_draft_id])).status_code == 404
