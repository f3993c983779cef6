"""A reply that answers the proposal: one part per request (建议事项), each written by the drafting engine's
generators whose topic matches the request, between an opening naming the body the reply goes to (区政协 for
a 提案, 区人大 for a 建议) and the next steps. A request the records say nothing about is answered honestly
(no figures are invented), and counts against the suggested result class."""

from __future__ import annotations

import re

from kechuang.core.indicators import Scope
from kechuang.core.routers import reporting_reads
from kechuang.reports import drafting
from kechuang.reports.seed import KEYWORDS, SECTION_GENERATORS

ANSWER_ORDER = [g for key, gens in SECTION_GENERATORS.items() if key not in ("opening", "next") for g in gens]
PER_ITEM = 4

# Words of a request that name a generator's topic though they are not among its keywords.
SYNONYMS = {
    "高新技术企业": "高企",
    "科技型中小企业": "高企",
    "研发费用": "研发",
    "孵化": "平台",
    "载体": "平台",
    "引进": "人才",
    "专家": "人才",
    "高校": "校城",
    "院所": "校城",
    "转化": "成果",
    "扶贫": "农业",
}


def item_heading(text: str) -> str:
    """关于加大高新技术企业培育力度的建议。 — the request in a heading, cut at its first clause."""
    core = re.sub(r"^(建议|希望|要求)", "", text.strip()).rstrip("。；;，,")
    core = re.split(r"[，,；;]", core)[0][:30]
    return f"关于{core}的建议。"


def matching_generators(text: str, *, broad: bool = False) -> list[str]:
    """Generators whose keywords occur in the request, most hits first (then the template's order).
    `broad` (a proposal without recorded requests: its title is the topic) also counts the keywords of the
    generator's section, so "科技创新" selects every section as the work summary would."""
    expanded = text + "".join(v for k, v in SYNONYMS.items() if k in text)
    scored = []
    for n, key in enumerate(ANSWER_ORDER):
        gen = drafting.GENERATORS[key]
        hits = sum(1 for k in gen.keywords if k and k in expanded)
        if broad:
            hits += any(k and k in expanded for k in KEYWORDS.get(gen.section, "").split(","))
        if hits:
            scored.append((-hits, n, key))
    return [key for _h, _n, key in sorted(scored)]


def honest_answer(text: str) -> dict:
    return {
        "kind": "text",
        "text": "平台目前没有与该项建议直接相关的工作记录。我局将认真研究该项建议，结合工作实际加以推进，"
        "并在有进展后及时向您反馈。",
        "no_records": True,
    }


def build(proposal, scope: Scope, *, style: str = "plain") -> tuple[list[dict], int]:
    """The reply's sections and how many requests were answered from records."""
    ctx = drafting.Context(scope, style=style, audience=proposal.kind)
    items = [i.text for i in proposal.items.all()]
    broad = not items
    items = items or [f"{proposal.title}{proposal.text}"]
    sections, used, answered = [], set(), 0
    with reporting_reads():
        opening = drafting.generate("overview", ctx)
        if opening is not None:
            sections.append({"key": "opening", "heading": "", "blocks": [opening]})
        for n, text in enumerate(items, start=1):
            blocks = []
            for key in matching_generators(text, broad=broad):
                if key in used or (not broad and len(blocks) >= PER_ITEM):
                    continue
                block = drafting.generate(key, ctx)
                if block is not None:
                    blocks.append((ANSWER_ORDER.index(key), block))
                    used.add(key)
            if blocks:
                answered += 1
                body = [b for _o, b in sorted(blocks, key=lambda x: x[0])]
            else:
                body = [honest_answer(text)]
            if broad:  # no recorded requests: the answer is the work of every matching section, unheaded
                sections.append({"key": "item-1", "heading": "", "blocks": body})
            else:
                sections.append({"key": f"item-{n}", "heading": item_heading(text), "blocks": body})
        closing = drafting.generate("next_steps", ctx)
        if closing is not None:
            sections.append({"key": "next", "heading": "", "blocks": [closing]})
    number = 0
    for section in sections:
        if section["heading"]:
            number += 1
            section["heading"] = f"{drafting.ordinal(number)}、{section['heading']}"
    return sections, answered
