"""The drafting engine: every sentence of a work summary or a proposal reply is written by a generator from
the registered indicators and the modules' records, and carries the sources of what it says.

A generator (`@generator(key, ...)`) receives a `Sentence` and the drafting `Context` and writes into the
sentence with `s.say(text)` (the generator's own connecting words), `s.fig(code, ...)` (a figure of an
indicator), `s.names(code, path)` (names from the rows behind an indicator), `s.rec(key, ...)` (a value from
a record source in `RECORDS`) and `s.word(rule, ...)` (a word chosen from figures by `reports.wording`). It
returns False (or None) when its data is empty: the sentence is then left out, never written with a zero.

The result is a computed block (the format `SummaryDraft.sections` already stores):
`{"kind": "computed", "generator": key, "pieces": [...], "figures": [...], "claims": [...]}` — each figure
with its source (indicator code, part, region, period, as-of, the value and the moment it was computed),
each claim a word with the rule and the figures it was chosen from; `reports.claims` checks them again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from kechuang.core import dates
from kechuang.core.indicators import Period, Scope, Status
from kechuang.reports import formatting, summary, wording
from kechuang.reports.records import RECORDS

CN_NUM = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一 (section headings and 一是/二是 up to 99)."""
    if n <= 0:
        return str(n)
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else CN_NUM[tens - 1]}十{CN_NUM[ones - 1] if ones else ''}"


def scope_data(scope: Scope) -> dict:
    return {"region": scope.region.code, "period": str(scope.period), "as_of": scope.as_of.isoformat()}


def scope_from(data: dict, default: Scope) -> Scope:
    from kechuang.core.models import Region

    if default is not None and (not data or data.get("region") == default.region.code):
        region = default.region
    else:
        region = Region.objects.get(code=data["region"])
    period = Period.parse(data["period"]) if data and data.get("period") else default.period
    as_of = dt.date.fromisoformat(data["as_of"]) if data and data.get("as_of") else default.as_of
    return Scope(region, period, as_of)


def canonical(value) -> str | None:
    """A value as stored in a figure (and compared by the checker): numbers as text, lists as JSON."""
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


# --- sentences ------------------------------------------------------------------------------------------


@dataclass
class Context:
    scope: Scope
    style: str = "plain"  # "plain" (the neutral default) or "seed" (the seed reply's wording)
    audience: str = ""  # "cppcc" / "npc" for a proposal reply
    source: summary.FigureSource | None = None

    def __post_init__(self):
        if self.source is None:
            self.source = summary.FigureSource(self.scope)
        self._records: dict[str, object] = {}

    def value(self, code: str, part: str = ""):
        found = self.source.value(code)
        if found is None:
            return None
        raw = found[1].parts.get(part) if part else found[1].value
        return raw

    def record(self, key: str, **params):
        cache_key = key + json.dumps(params, sort_keys=True, default=str)
        if cache_key not in self._records:
            self._records[cache_key] = RECORDS[key](self.scope, **params)
        return self._records[cache_key]

    @property
    def place(self) -> str:
        """我区 / 我市 / 我县 for the region the draft is about."""
        name = self.scope.region.name
        return f"我{name[-1]}" if name[-1] in "区市县省" else "本地"

    @property
    def today(self) -> str:
        return formatting.cn_date(self.scope.as_of)


class Sentence:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.pieces: list[dict] = []
        self.figures: list[dict] = []
        self.claims: list[dict] = []
        self.at = dates.now().isoformat(timespec="seconds")

    # Connecting words of the generator (never a figure or a qualitative claim).
    def say(self, text: str) -> Sentence:
        if text:
            self.pieces.append({"text": text})
        return self

    def _add(self, fig: dict, show: bool) -> dict:
        fig.setdefault("scope", scope_data(self.ctx.scope))
        fig["known_at"] = self.at
        self.figures.append(fig)
        fig["index"] = len(self.figures) - 1
        if show:
            self.pieces.append({"figure": fig["index"]})
        return fig

    def fig(self, code: str, style: str = "", part: str = "", show: bool = True) -> dict:
        """An indicator's figure (`show=False`: a figure a word is chosen from, not printed)."""
        f = summary.figure(self.ctx.source, code, style, part)
        f["source"] = "indicator"
        return self._add(f, show)

    def rec(
        self, key: str, text: str, value, *, name: str = "", params: dict | None = None, show=True
    ) -> dict:
        """A value read from a record source (names, dates, an event's own figures)."""
        f = {
            "source": "records",
            "code": key,
            "params": params or {},
            "part": "",
            "name": name or key,
            "value": canonical(value),
            "unit": "",
            "status": Status.RECORD,
            "status_label": Status.LABELS[Status.RECORD],
            "style": "",
            "text": text,
            "definition": name,
            "missing": value in (None, [], {}),
        }
        return self._add(f, show)

    def names(self, code: str, path: str, limit: int = 2, sep: str = "、") -> list[str]:
        names = self.ctx.record("names", code=code, path=path, limit=limit)
        if names:
            self.rec(
                "names",
                sep.join(names),
                names,
                name="名单",
                params={"code": code, "path": path, "limit": limit},
            )
        return names

    def word(self, rule: str, word: str, figures: list[dict], keys: list[str] | None = None) -> Sentence:
        """A word chosen by `rule` from `figures` (already added; `keys` pick an entry of a record figure's
        value); printed and recorded as a claim with the rule's decision, which the checker takes again."""
        claim = {"rule": rule, "word": word, "figures": [f["index"] for f in figures], "keys": keys or []}
        claim["decision"] = wording.choose(rule, claim_args(claim, self.figures))
        self.claims.append(claim)
        if word:
            self.pieces.append({"text": word, "claim": len(self.claims) - 1})
        return self

    def status_fig(self, f: dict, verb: str = "") -> Sentence:
        """A figure with the word its status calls for: 预计 before it for estimates, （快报数）/（年报数）
        after it for preliminary and final statistics, nothing for the platform's own records."""
        word = wording.status_word(f["status"])
        claim = {"rule": "status", "word": word, "figures": [f["index"]], "keys": [], "decision": word}
        self.claims.append(claim)
        index = len(self.claims) - 1
        if word == "预计":
            self.pieces.append({"text": word, "claim": index})
        self.say(verb)
        self.pieces.append({"figure": f["index"]})
        if word in ("快报", "年报"):
            claim["word"] = f"（{word}数）"
            self.pieces.append({"text": claim["word"], "claim": index})
        return self

    def block(self, key: str) -> dict:
        return {
            "kind": "computed",
            "generator": key,
            "template": "",
            "pieces": self.pieces,
            "figures": self.figures,
            "claims": self.claims,
            "style": self.ctx.style,
            "audience": self.ctx.audience,
        }


def claim_args(claim: dict, figures: list[dict]) -> list:
    """The values a claim's rule chooses from: each figure's value (its status for the status rule), or the
    entry `keys[i]` of a record figure's JSON value."""
    args = []
    for n, index in enumerate(claim["figures"]):
        f = figures[index]
        if claim["rule"] == "status":
            args.append(f.get("status", ""))
            continue
        value = f.get("value")
        key = claim.get("keys", [])[n] if n < len(claim.get("keys", [])) else ""
        if key and value is not None:
            value = json.loads(value).get(key)
        args.append(value)
    return args


@dataclass(frozen=True)
class Generator:
    key: str
    section: str
    label: str
    keywords: tuple[str, ...]
    fn: Callable[[Sentence, Context], bool | None]
    order: int = 100


GENERATORS: dict[str, Generator] = {}


def generator(key: str, *, section: str, label: str, keywords: tuple[str, ...] = (), order: int = 100):
    def decorator(fn):
        GENERATORS[key] = Generator(key, section, label, keywords, fn, order)
        return fn

    return decorator


def generate(key: str, ctx: Context) -> dict | None:
    """The block generator `key` writes for `ctx`, or None when its data is empty."""
    gen = GENERATORS[key]
    s = Sentence(ctx)
    if not gen.fn(s, ctx) or not s.pieces:
        return None
    return s.block(key)


def positive(value) -> bool:
    try:
        return value is not None and float(value) > 0
    except (TypeError, ValueError):
        return False


def join(items: list[str]) -> str:
    return "、".join(items)


# The generators live in reports/generators/, a module per section (imported so the registry is complete).
from kechuang.reports import generators as _generators  # noqa: E402, F401

# --- documents ------------------------------------------------------------------------------------------


GENERATED_LINE = re.compile(r"^@([a-z0-9_]+)$")
NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")


def build_sections(raw_sections, ctx: Context) -> list[dict]:
    """Sections of a template rendered for ctx: generated blocks run their generator (left out when empty),
    lead-ins (`{"kind": "lead"}`) get 一是/二是 numbering and are dropped when nothing follows them,
    placeholder sentences are filled, the bureau's text stays. Sections left empty are dropped and the
    remaining headings are numbered 一、二、… in order."""
    out = []
    for section in raw_sections:
        blocks, pending_lead, leads = [], None, 0
        for raw in section["blocks"]:
            kind = raw.get("kind")
            if kind == "lead":
                pending_lead = raw
                continue
            if kind == "generated":
                if raw.get("generator") not in GENERATORS:
                    continue
                block = generate(raw["generator"], ctx)
            elif kind == "computed":
                block = summary.render_sentence(raw["text"], ctx.source)
            else:
                block = {"kind": "text", "text": raw.get("text", "")}
            if block is None:
                continue
            if pending_lead is not None:
                leads += 1
                blocks.append(
                    {"kind": "text", "text": f"{ordinal(leads)}是{pending_lead['text']}", "lead": True}
                )
                pending_lead = None
            blocks.append(block)
        if any(b["kind"] == "computed" for b in blocks) or section.get("key") == "next":
            out.append({"key": section["key"], "heading": section.get("heading", ""), "blocks": blocks})
    n = 0
    for section in out:
        if section["heading"] and section["key"] != "next":
            n += 1
            section["heading"] = f"{ordinal(n)}、{NUMBERED.sub('', section['heading'])}"
    return [s for s in out if s["blocks"]]


def edit_block(block: dict, text: str) -> dict:
    """A computed sentence after staff rewrote it as `text`: figures and words whose printed text is still
    found (in order) keep their sources and claims; the rest are dropped. With nothing left it becomes a
    manual text block (the staff's own words, no claims)."""
    figures, claims = block.get("figures", []), block.get("claims", [])
    pieces, pos, kept_figs, kept_claims = [], 0, {}, []
    for piece in block.get("pieces", []):
        if "figure" in piece:
            needle = figures[piece["figure"]]["text"]
        elif "claim" in piece:
            needle = piece["text"]
        else:
            continue
        at = text.find(needle, pos) if needle else -1
        if at < 0:
            continue
        if at > pos:
            pieces.append({"text": text[pos:at]})
        if "figure" in piece:
            kept_figs.setdefault(piece["figure"], None)
            pieces.append({"figure": piece["figure"]})
        else:
            kept_claims.append(piece["claim"])
            pieces.append({"text": needle, "claim": piece["claim"]})
        pos = at + len(needle)
    if pos < len(text):
        pieces.append({"text": text[pos:]})
    if not kept_figs and not kept_claims:
        return {
            "kind": "text",
            "text": text,
            "edited": True,
            "manual": True,
            "from": block.get("generator", ""),
        }
    for c in kept_claims:
        for index in claims[c]["figures"]:
            kept_figs.setdefault(index, None)
    order = sorted(kept_figs)
    remap = {old: new for new, old in enumerate(order)}
    new_figures = [{**figures[old], "index": remap[old]} for old in order]
    new_claims = []
    claim_map = {}
    for c in sorted(set(kept_claims)):
        claim_map[c] = len(new_claims)
        new_claims.append({**claims[c], "figures": [remap[i] for i in claims[c]["figures"]]})
    for piece in pieces:
        if "figure" in piece:
            piece["figure"] = remap[piece["figure"]]
        if "claim" in piece:
            piece["claim"] = claim_map[piece["claim"]]
    return {
        **{k: v for k, v in block.items() if k not in ("pieces", "figures", "claims", "changed", "previous")},
        "pieces": pieces,
        "figures": new_figures,
        "claims": new_claims,
        "edited": True,
    }
