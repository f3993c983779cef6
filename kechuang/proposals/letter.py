"""The proposal reply letter (DOMAIN.md §9) as a 公文 of the proposal's bureau (`reports.gongwen`): 办理结果
in the top-left corner, 版头 with 文号 and 签发人 (the bureau's leader signs replies), title, the member as 主送,
the reply draft's parts, the closing of 政协 or 人大, 署名, date, contact as 附注, 抄送 and 版记.

Unsigned, the letter is a draft (marked 草稿, no 文号 or 签发人); signing (`reports.signoff.draft_sign`)
allocates the 文号, stores the rendered letter and records the number on the proposal (`after_sign`)."""

from __future__ import annotations

import datetime as dt

from kechuang.reports import documents, gongwen
from kechuang.reports.gongwen import Para

# The closing of a reply differs by the body it answers (DOMAIN.md §9): a 政协委员's 提案, a 人大代表's 建议.
THANKS = {
    "cppcc": "感谢您对科技工作的关心和支持，欢迎继续提出宝贵意见和建议。",
    "npc": "衷心感谢您对科技工作的关心和监督，恳请继续对我局工作提出批评和建议。",
}


def letter_parts(proposal) -> dict:
    kind_word = "提案" if proposal.kind == "cppcc" else "建议"
    return {
        "number": proposal.reply_number,
        "result_class": f"{proposal.result_class.code}类" if proposal.result_class_id else "",
        "title": f"关于{proposal.session}第{proposal.number}号{kind_word}的答复",
        "addressee": f"{proposal.member_name}{'委员' if proposal.kind == 'cppcc' else '代表'}",
        "salutation": f"{proposal.member_name}{'委员' if proposal.kind == 'cppcc' else '代表'}：",
        "received": f"您提出的《{proposal.title}》收悉，现答复如下：",
        "thanks": THANKS["cppcc" if proposal.kind == "cppcc" else "npc"],
        "signature": signature_for(proposal),
        "copies_to": copies_to(proposal),
    }


def copies_to(proposal) -> list[str]:
    """抄送: the committee that handles the body's proposals, and the government office that supervises."""
    from kechuang.core.bureau import bureau_region

    place = bureau_region(proposal.region).name
    committee = f"{place}政协提案委员会" if proposal.kind == "cppcc" else f"{place}人大常委会代表工作委员会"
    return [committee, f"{place}人民政府办公室"]


def signature_for(proposal) -> str:
    """The bureau of the proposal's region signs (never another bureau's name)."""
    from kechuang.core.bureau import identity

    if proposal.reply_draft_id:
        return documents.signature_for(proposal.reply_draft)
    return identity(proposal.region).signature


def compose(proposal, *, date: dt.date, number: str = "", issuer: str = "", draft_mark: str = ""):
    parts = letter_parts(proposal)
    body = [Para(parts["received"])]
    if proposal.reply_draft_id:
        draft = proposal.reply_draft
        body += documents.body_paras(documents.as_dict(draft))
    body.append(Para(parts["thanks"]))
    return gongwen.for_bureau(
        proposal.region,
        corner=proposal.result_class.code if proposal.result_class_id else "",
        number=number,
        issuer=issuer,
        title=parts["title"],
        addressee=parts["addressee"],
        body=body,
        signature=parts["signature"],
        date=date,
        note=f"联系人及电话：{proposal.contact}" if proposal.contact else "",
        copies_to=parts["copies_to"],
        printed_on=date,
        seal=not draft_mark,
        draft_mark=draft_mark,
    )


def to_docx(proposal, *, date: dt.date) -> bytes:
    """The letter as it stands: the signed file once signed, else a draft render."""
    signed = signed_document(proposal)
    if signed is not None:
        return bytes(signed.docx)
    return gongwen.render_docx(compose(proposal, date=date, draft_mark=documents.DRAFT_MARK))


def signed_document(proposal):
    from kechuang.reports.models import SignedDocument

    if not proposal.reply_draft_id:
        return None
    return SignedDocument.objects.filter(draft_id=proposal.reply_draft_id).first()
