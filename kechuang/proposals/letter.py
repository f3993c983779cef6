"""The proposal reply letter (DOMAIN.md §9) in GB/T 9704 layout, from the proposal and its reply draft."""

from __future__ import annotations

import datetime as dt

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from kechuang.reports import documents
from kechuang.reports import docx_layout as L
from kechuang.reports.formatting import cn_date

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
        "salutation": f"{proposal.member_name}{'委员' if proposal.kind == 'cppcc' else '代表'}：",
        "received": f"您提出的《{proposal.title}》收悉，现答复如下：",
        "thanks": THANKS["cppcc" if proposal.kind == "cppcc" else "npc"],
        "signature": signature_for(proposal),
    }


def signature_for(proposal) -> str:
    """The bureau of the proposal's region signs (never another bureau's name)."""
    from kechuang.reports.bureau import identity

    if proposal.reply_draft_id:
        return documents.signature_for(proposal.reply_draft)
    return identity(proposal.region).signature


def to_docx(proposal, *, date: dt.date, signature: str = "") -> bytes:
    parts = letter_parts(proposal)
    document = L.new_document()
    if parts["number"] or parts["result_class"]:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        L.set_font(p.add_run(parts["number"]), L.BODY_FONT, L.BODY_SIZE)
        if parts["result_class"]:
            L.set_font(p.add_run(f"　　{parts['result_class']}"), L.HEADING1_FONT, L.BODY_SIZE)
        L.blank(document)
    L.title(document, parts["title"])
    L.blank(document)
    L.body(document, parts["salutation"], indent=False)
    L.body(document, parts["received"])
    if proposal.reply_draft_id:
        documents.write_body(document, documents.as_dict(proposal.reply_draft))
    L.body(document, parts["thanks"])
    L.blank(document)
    L.right_aligned(document, signature or parts["signature"])
    L.right_aligned(document, cn_date(date))
    if proposal.contact:
        L.blank(document)
        L.body(document, f"联系人及电话：{proposal.contact}", indent=True)
    return L.to_bytes(document)
