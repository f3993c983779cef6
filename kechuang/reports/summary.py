"""Rendering a work summary from a template: every placeholder is filled from the figures registry and
recorded (indicator code, value, unit, status, formatted text), so a figure in a document can always be
traced back to its definition and rows.

Placeholder syntax in a sentence template: `{code}` or `{code|style}` where style is one of
`formatting.STYLES` (亿元, 万元, 元, %, 个百分点, 余, 数); `{code[part]}` quotes one entry of the
indicator's `parts` (e.g. a programme call: `{programme_applications[hnte-2020/2020年第一批]}`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kechuang.core import indicators
from kechuang.core import placeholders as safe_text
from kechuang.core.indicators import Scope, Status
from kechuang.core.routers import reporting_reads
from kechuang.reports import formatting

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(?:\[([^\[\]{}|]+)\])?(?:\|([^{}]+))?\}")
# Anything in braces, to catch placeholders that do not even parse (e.g. "{高企数}").
BRACED = re.compile(r"\{([^{}]*)\}")


TITLE_PLACEHOLDERS = {"region": "区域名称", "year": "年份"}


def title_problems(title: str) -> list[str]:
    """Chinese problems of a title template: only `{region}` and `{year}`, without format specs."""
    return safe_text.problems(title, TITLE_PLACEHOLDERS)


def placeholders(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(3) or "") for m in PLACEHOLDER.finditer(text)]


def check_template_text(text: str) -> list[str]:
    """Chinese problems with a sentence template (unknown indicator or style, unbalanced or malformed
    braces); empty when fine."""
    problems = []
    stripped = text.strip()
    if stripped.startswith("@"):
        from kechuang.reports.drafting import GENERATED_LINE, GENERATORS

        match = GENERATED_LINE.match(stripped)
        if match is None:
            return [f"生成器写法不正确：{stripped}（应为 @生成器代码）"]
        return [] if match.group(1) in GENERATORS else [f"未注册的句子生成器：{match.group(1)}"]
    known = {i.code for i in indicators.all_indicators()}
    for braced in BRACED.finditer(text):
        match = PLACEHOLDER.fullmatch(braced.group(0))
        if match is None:
            problems.append(f"占位符格式不正确：{braced.group(0)}（应为 {{指标代码}} 或 {{指标代码|格式}}）")
            continue
        code, style = match.group(1), match.group(3) or ""
        if code not in known:
            problems.append(f"未注册的指标：{code}")
        if style and style not in formatting.STYLES:
            problems.append(f"未知的数字格式：{style}")
    if BRACED.sub("", text).count("{") or BRACED.sub("", text).count("}"):
        problems.append("花括号不成对。")
    return problems


@dataclass
class FigureSource:
    """Computes each indicator once per document (a document may quote one figure several times)."""

    scope: Scope

    def __post_init__(self):
        self._cache: dict[str, object] = {}

    def value(self, code: str):
        if code not in self._cache:
            try:
                ind = indicators.get(code)
            except KeyError:
                self._cache[code] = None
            else:
                self._cache[code] = (ind, ind.compute(self.scope))
        return self._cache[code]


def figure(source: FigureSource, code: str, style: str, part: str = "") -> dict:
    found = source.value(code)
    if found is None:
        return {
            "code": code,
            "part": part,
            "name": code,
            "value": None,
            "unit": "",
            "status": "",
            "status_label": "",
            "style": style,
            "text": f"〔未注册指标{code}〕",
            "definition": "",
            "missing": True,
        }
    ind, value = found
    raw = value.parts.get(part) if part else value.value
    if part and part not in value.parts:
        text = f"〔{ind.name}无分项“{part}”〕"
    else:
        text = formatting.format_figure(raw, ind.unit, style)
    return {
        "code": code,
        "part": part,
        "name": f"{ind.name}（{part}）" if part else ind.name,
        "value": None if raw is None else str(raw),
        "unit": ind.unit,
        "status": value.status,
        "status_label": Status.LABELS.get(value.status, value.status),
        "style": style,
        "text": text,
        "definition": ind.definition,
        "missing": raw is None,
    }


def render_sentence(template: str, source: FigureSource) -> dict:
    pieces, figures, pos = [], [], 0
    for match in PLACEHOLDER.finditer(template):
        if match.start() > pos:
            pieces.append({"text": template[pos : match.start()]})
        figures.append(figure(source, match.group(1), match.group(3) or "", match.group(2) or ""))
        pieces.append({"figure": len(figures) - 1})
        pos = match.end()
    if pos < len(template):
        pieces.append({"text": template[pos:]})
    return {"kind": "computed", "template": template, "pieces": pieces, "figures": figures}


def block_text(block: dict) -> str:
    if block["kind"] == "text":
        return block.get("text", "")
    return "".join(
        p["text"] if "text" in p else block["figures"][p["figure"]]["text"] for p in block["pieces"]
    )


def render_blocks(raw_blocks: list[dict], source: FigureSource) -> list[dict]:
    out = []
    for raw in raw_blocks:
        if raw.get("kind") == "computed":
            out.append(render_sentence(raw["text"], source))
        else:
            out.append({"kind": "text", "text": raw.get("text", "")})
    return out


def select_sections(sections, topic: str | None) -> list:
    """Sections whose keywords occur in the topic (all sections when no topic; 下一步 always stays)."""
    sections = list(sections)
    if not topic:
        return sections
    chosen = [
        s for s in sections if s.key in ("next", "opening") or any(k in topic for k in s.keyword_list())
    ]
    return chosen if any(s.key not in ("next", "opening") for s in chosen) else sections


def build(template, scope: Scope, *, topic: str | None = None, sections=None, audience: str = "") -> dict:
    """The whole document as plain data (what a SummaryDraft stores). `sections` (objects with key,
    heading, blocks and keyword_list) replaces the template's saved sections, for a preview of an edit.
    Generated blocks are written by the drafting engine (`reports/drafting.py`) and left out when their
    data is empty; `audience` ("cppcc"/"npc") lets the opening name the body the reply goes to."""
    from kechuang.reports import drafting

    ctx = drafting.Context(scope, style=getattr(template, "style", "plain"), audience=audience)
    with reporting_reads():
        chosen = select_sections(template.sections.all() if sections is None else sections, topic)
        raw = [{"key": s.key, "heading": s.heading, "blocks": s.blocks} for s in chosen]
        built = drafting.build_sections(raw, ctx)
    return {
        "title": safe_text.fill(template.title, {"region": scope.region.name, "year": scope.period.year}),
        "opening": template.opening,
        "closing": template.closing,
        "sections": built,
    }


def regenerate_sections(old_sections: list[dict], scope: Scope) -> tuple[list[dict], int]:
    """Recompute the figures of computed blocks; text blocks and sentences staff edited stay as they are
    (the claim checker flags an edited sentence whose figures changed).

    A block whose figure values changed is flagged (`changed`, with the previous texts) until staff
    acknowledge it; a generated sentence whose data has become empty is left out (and counted). Returns the
    new sections and how many blocks changed.
    """
    from kechuang.reports import drafting

    source = FigureSource(scope)
    contexts: dict[tuple[str, str], drafting.Context] = {}
    changed = 0
    new_sections = []
    with reporting_reads():
        for section in old_sections:
            blocks = []
            for block in section["blocks"]:
                if block["kind"] != "computed" or block.get("edited"):
                    blocks.append(block)
                    continue
                if block.get("generator"):
                    key = (block.get("style", "plain"), block.get("audience", ""))
                    if key not in contexts:
                        contexts[key] = drafting.Context(scope, style=key[0], audience=key[1], source=source)
                    if block["generator"] not in drafting.GENERATORS:
                        blocks.append(block)
                        continue
                    fresh = drafting.generate(block["generator"], contexts[key])
                    if fresh is None:
                        changed += 1
                        continue
                else:
                    fresh = render_sentence(block["template"], source)
                before = [(f["code"], f.get("part", ""), f["value"]) for f in block["figures"]]
                after = [(f["code"], f.get("part", ""), f["value"]) for f in fresh["figures"]]
                if before != after:
                    fresh["changed"] = True
                    fresh["previous"] = [f["text"] for f in block["figures"] if f["text"]]
                    changed += 1
                elif block.get("changed"):
                    fresh["changed"], fresh["previous"] = True, block.get("previous", [])
                    changed += 1
                blocks.append(fresh)
            new_sections.append({**section, "blocks": blocks})
    return new_sections, changed


def all_figures(sections: list[dict]) -> list[dict]:
    return [f for s in sections for b in s["blocks"] if b["kind"] == "computed" for f in b["figures"]]


def paragraphs(doc: dict) -> list[tuple[str, str]]:
    """(heading, body) per section, the body joining the blocks in order."""
    out = []
    for section in doc["sections"]:
        body = "".join(block_text(b) for b in section["blocks"])
        out.append((section["heading"], body))
    return out
