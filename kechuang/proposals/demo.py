"""Proposals of 2020: 134092 (郭帅) replied from the platform's figures — drafted by 王敏, checked (核稿) by
李建国, signed (签发) by 刘志强, which gave it 周科函〔2020〕1号 — and rated 满意; 134118 (李明) with its reply at
核稿; 人大建议 20 (王丽) with its reply at 拟稿."""

from __future__ import annotations

import datetime as dt

from kechuang.core.demo import DEMO_TODAY, DemoContext
from kechuang.proposals import rules, services
from kechuang.proposals.models import Proposal, ResultClass
from kechuang.reports import signoff

SESSION = "区政协十三届四次会议"


def build(ctx: DemoContext) -> None:
    staff = ctx.users["staff"]
    main = services.proposal_register(
        actor=staff,
        region=ctx.district,
        kind=Proposal.Kind.CPPCC,
        number="134092",
        session=SESSION,
        member_name="郭帅",
        title="关于进一步加大科技创新力度，促进产业转型发展的提案",
        text="建议加大高新技术企业培育、研发投入、创新平台和人才引进力度，推动校城融合，促进产业转型发展。",
        lead_unit="周村区科学技术局",
        co_units=["周村区工业和信息化局"],
        assigned_on=dt.date(2020, 9, 1),  # deadline 2020-12-01: the reply quotes figures as of 2020-11-30
        contact="区科技局办公室 0533-6418888",
    )
    # The handler confirms the requests the platform splits from the text; the reply answers each.
    services.proposal_items_save(
        actor=staff, proposal=main, version=main.version, texts=rules.split_items(main.text)
    )
    main.refresh_from_db()
    services.proposal_transition(actor=staff, proposal=main, to="drafting")
    services.proposal_draft_reply(actor=staff, proposal=main, as_of=DEMO_TODAY)
    services.co_unit_opinion(
        actor=staff,
        unit=main.co_units.get(),
        opinion="同意答复意见，工信局将配合做好企业技术改造与产业转型工作。",
    )
    main.refresh_from_db()
    services.proposal_reply_details(
        actor=staff,
        proposal=main,
        version=main.version,
        result_class=ResultClass.objects.get(code="A"),
        contact=main.contact,
    )
    services.proposal_transition(actor=staff, proposal=main, to="cosigning")
    draft = main.reply_draft
    signoff.draft_submit(actor=staff, draft=draft, version=draft.version, comment="请核稿。")
    signoff.draft_check(
        actor=ctx.users["staff2"], draft=draft, version=draft.version, comment="数字已与台账核对，同意。"
    )
    signoff.draft_sign(
        actor=ctx.users["leader"], draft=draft, version=draft.version, comment="同意。", on=DEMO_TODAY
    )
    main.refresh_from_db()
    services.proposal_transition(actor=staff, proposal=main, to="replied", today=DEMO_TODAY)
    services.proposal_transition(
        actor=staff, proposal=main, to="feedback", feedback="satisfied", note="电话回访"
    )

    npc = services.proposal_register(
        actor=staff,
        region=ctx.district,
        kind=Proposal.Kind.NPC,
        number="20",
        session="区十八届人大四次会议",
        member_name="王丽",
        title="关于加强农业科技特派员服务的建议",
        text="建议扩大科技特派员对扶贫重点村的服务覆盖。",
        lead_unit="周村区科学技术局",
        assigned_on=dt.date(2020, 9, 15),
    )
    talent = services.proposal_register(
        actor=staff,
        region=ctx.district,
        kind=Proposal.Kind.CPPCC,
        number="134118",
        session=SESSION,
        member_name="李明",
        title="关于支持企业引进高层次人才的提案",
        text="建议完善人才工作室和引智平台建设。",
        lead_unit="周村区科学技术局",
        co_units=["周村区人力资源和社会保障局"],
        assigned_on=dt.date(2020, 6, 1),
    )
    # 人大建议 20: a reply at 拟稿 (drafted from the records, not yet sent to 核稿).
    services.proposal_transition(actor=staff, proposal=npc, to="drafting")
    services.proposal_draft_reply(actor=staff, proposal=npc, as_of=DEMO_TODAY)
    # 提案 134118: a reply at 核稿 (sent by 王敏, waiting for a colleague's check).
    services.proposal_items_save(
        actor=staff, proposal=talent, version=talent.version, texts=rules.split_items(talent.text)
    )
    talent.refresh_from_db()
    services.proposal_transition(actor=staff, proposal=talent, to="drafting")
    services.proposal_draft_reply(actor=staff, proposal=talent, as_of=DEMO_TODAY)
    draft = talent.reply_draft
    signoff.draft_submit(
        actor=staff, draft=draft, version=draft.version, comment="请核稿，人才工作室数据截至11月底。"
    )
