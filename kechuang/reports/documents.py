"""A summary draft (or freshly built document) as Markdown, JSON and .docx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from kechuang.reports import summary
from kechuang.reports.formatting import cn_date


def signature_for(draft) -> str:
    """发文机关署名 of a draft: the template's signature when the template is the draft's own bureau's, else
    the name of the bureau serving the draft's region (never another bureau's name)."""
    from kechuang.core.bureau import bureau_region, identity

    own = bureau_region(draft.region)
    if draft.template.region_id == own.pk and draft.template.signature:
        return draft.template.signature
    return identity(draft.region).signature


def as_dict(draft) -> dict:
    return {
        "title": draft.title,
        "opening": draft.opening,
        "closing": draft.closing,
        "sections": draft.sections,
    }


def to_json(doc: dict, *, region, period, as_of: dt.date) -> dict:
    return {
        "title": doc["title"],
        "region": {"code": region.code, "name": region.name},
        "period": str(period),
        "as_of": as_of.isoformat(),
        "paragraphs": [
            {"heading": h, "text": t} for h, t in ([("", doc["opening"])] if doc["opening"] else [])
        ]
        + [{"heading": h, "text": t} for h, t in summary.paragraphs(doc)],
        "figures": [
            {
                k: f.get(k, "")
                for k in ("code", "part", "name", "value", "unit", "status", "status_label", "style", "text")
            }
            | {"source": f.get("source", "indicator"), "scope": f.get("scope", {})}
            for f in summary.all_figures(doc["sections"])
        ],
    }


def to_markdown(doc: dict, *, date: dt.date, signature: str = "") -> str:
    lines = [f"# {doc['title']}", ""]
    if doc["opening"]:
        lines += [doc["opening"], ""]
    for heading, text in summary.paragraphs(doc):
        lines += [f"**{heading}**{text}" if heading else text, ""]
    if doc["closing"]:
        lines += [doc["closing"], ""]
    if signature:
        lines += [signature, ""]
    lines.append(cn_date(date))
    return "\n".join(lines) + "\n"


DRAFT_MARK = "草稿（未签发）"


def body_paras(doc: dict) -> list:
    from kechuang.reports.gongwen import Para

    paras = [Para(doc["opening"])] if doc["opening"] else []
    paras += [Para(text, heading=heading) for heading, text in summary.paragraphs(doc)]
    return paras + ([Para(doc["closing"])] if doc["closing"] else [])


def summary_gongwen(draft, *, date: dt.date, number: str = "", issuer: str = "", draft_mark: str = ""):
    """A work-summary draft as a 公文 of its bureau (a 报告 goes up: it names its 签发人)."""
    from kechuang.reports import gongwen

    return gongwen.for_bureau(
        draft.region,
        title=draft.title,
        body=body_paras(as_dict(draft)),
        signature=signature_for(draft),
        date=date,
        number=number,
        issuer=issuer,
        printed_on=date,
        seal=not draft_mark,
        draft_mark=draft_mark,
    )


@dataclass(frozen=True)
class Composer:
    """How a kind of draft becomes a 公文: its 文种代字 (函, 字…) and the 公文 for a 文号/签发人/date; an app
    whose drafts are letters (proposals) registers one with `register_composer`, and `after_sign` lets it
    record the signed number on its own object."""

    kind: str
    compose: Callable[..., object]  # (number=, issuer=, date=, draft_mark=) → Gongwen
    after_sign: Callable[..., None] | None = None  # (signed=, actor=)


_FINDERS: list[Callable] = []


def register_composer(finder: Callable) -> None:
    """`finder(draft)` returns a Composer for the drafts the registering app owns, else None."""
    if finder not in _FINDERS:
        _FINDERS.append(finder)


def composer_for(draft) -> Composer:
    for finder in _FINDERS:
        found = finder(draft)
        if found is not None:
            return found
    return Composer(kind="字", compose=lambda **kw: summary_gongwen(draft, **kw))
