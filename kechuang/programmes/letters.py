"""The decision letters (立项通知 / 不予立项通知) as 公文 of the call's bureau (`reports.gongwen`, ADR 0019).

The letter is composed when the decision is recorded: its 文号 is allocated then (`reports.signoff.
number_allocate`, one counter per bureau, kind and year, never reused), the .docx is rendered once and kept
on the decision with its SHA-256, and the PDF is converted once from those bytes on first download. The
deciding staff member is the letter's sender; the bureau's contact office and phone (maintained on the
region's page, `core`) are printed as the 附注 so the firm knows whom to call (ADR 0027)."""

from __future__ import annotations

import datetime as dt
import hashlib

from kechuang.reports import gongwen
from kechuang.reports.formatting import cn_date, money_yuan
from kechuang.reports.gongwen import Para

KIND = "字"  # 文种代字 of a bureau's notices: 周科字〔2020〕7号


def title_of(application, *, approve: bool) -> str:
    label = application.call.programme.type.decision_label
    word = "予以" if approve else "不予"
    return f"关于{application.applicant_name}“{application.title}”{word}{label}的通知"


def body_of(decision, *, date: dt.date) -> list[Para]:
    """The letter text (the programme's template) without its salutation and date (the 公文 has its own 主送
    and 成文日期), then the amount and conditions the approval recorded."""
    application = decision.application
    lines = [line.strip() for line in decision.letter.splitlines() if line.strip()]
    if lines and lines[0].rstrip("：:") == application.applicant_name:
        lines = lines[1:]
    if lines and lines[-1] == cn_date(date):
        lines = lines[:-1]
    paras = [Para(line) for line in lines]
    extra = []
    if decision.amount is not None:
        extra.append(Para(f"支持资金{money_yuan(decision.amount)}。", heading="一、"))
    if decision.conditions:
        extra.append(Para(decision.conditions, heading=f"{'二' if extra else '一'}、"))
    if extra:
        ending = [p for p in paras if p.text.startswith("特此通知")]
        paras = [p for p in paras if p not in ending] + extra + ending
    return paras


def contact_note(contact: dict | None) -> str:
    if not contact:
        return ""
    office = contact.get("office") or contact["bureau_name"]  # the sender's own office; else the bureau
    return f"联系科室及电话：{office}，{contact['phone']}"


def compose(decision, *, number: str, contact: dict | None, date: dt.date) -> gongwen.Gongwen:
    application = decision.application
    approve = decision.result == decision.Result.APPROVED
    return gongwen.for_bureau(
        application.call.region,
        number=number,
        title=title_of(application, approve=approve),
        addressee=application.applicant_name,
        body=body_of(decision, date=date),
        date=date,
        note=contact_note(contact),
        printed_on=date,
    )


def rendered(doc: gongwen.Gongwen) -> tuple[bytes, str]:
    data = gongwen.render_docx(doc)
    return data, hashlib.sha256(data).hexdigest()
