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

CN_NUM = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一 (section headings and 一是/二是 up to 99)."""
    if n <= 0:
        return str(n)
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else CN_NUM[tens - 1]}十{CN_NUM[ones - 1] if ones else ''}"


SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")


def short_name(name: str, prefixes: tuple[str, ...] = ()) -> str:
    """淄博金宇钢构有限公司 → 金宇钢构: the name a letter uses (region words and company form dropped)."""
    out = name
    for suffix in SUFFIXES:
        if out.endswith(suffix) and len(out) > len(suffix) + 1:
            out = out[: -len(suffix)]
            break
    changed = True
    while changed:
        changed = False
        for prefix in (*prefixes, "山东省", "山东", "淄博市", "淄博"):
            if prefix and out.startswith(prefix) and len(out) > len(prefix) + 1:
                out, changed = out[len(prefix) :], True
    return out


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


# --- record sources -------------------------------------------------------------------------------------

RECORDS: dict[str, Callable[..., object]] = {}


def record_source(key: str):
    def decorator(fn):
        RECORDS[key] = fn
        return fn

    return decorator


def _rows(code: str, scope: Scope):
    from kechuang.core import indicators

    value = indicators.get(code).compute(scope)
    return value.rows() if value.rows else []


def _attr(obj, path: str):
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


@record_source("names")
def names_of_rows(scope: Scope, *, code: str, path: str, limit: int = 2, short: bool = True) -> list[str]:
    """Distinct names (attribute `path` of each row behind indicator `code`), in the rows' order."""
    out: list[str] = []
    for row in _rows(code, scope)[:500]:
        name = _attr(row, path)
        if not name:
            continue
        name = short_name(str(name), (scope.region.name,)) if short else str(name)
        if name not in out:
            out.append(name)
        if len(out) >= limit:
            break
    return out


@record_source("events")
def events_in_period(scope: Scope) -> list[dict]:
    """The region's cooperation events held in the period (by the as-of date), each with its own dates,
    activities, signed agreements, consulting experts and the support paid out on its days."""
    from kechuang.cooperation.models import Event

    end = min(scope.period.end, scope.as_of)
    events = (
        Event.objects.filter(
            region__path__startswith=scope.region.path, starts_on__gte=scope.period.start, starts_on__lte=end
        )
        .prefetch_related("activities")
        .order_by("starts_on", "pk")
    )
    out = []
    for event in events:
        out.append(
            {
                "name": event.name,
                "starts_on": event.starts_on.isoformat(),
                "ends_on": event.ends_on.isoformat(),
                "activities": [a.title for a in event.activities.all()][:6],
                "agreements": event.agreements.count(),
                "experts": event.consultations.values("expert").distinct().count(),
                "paid": str(_paid_between(scope, event.starts_on, event.ends_on)),
            }
        )
    return out


def _paid_between(scope: Scope, start: dt.date, end: dt.date):
    """Vouchers and support funds paid out on the days of an event: the registered figure
    `vouchers_and_funds_paid` up to the last day minus up to the day before the first, month by month."""
    from kechuang.core import indicators

    ind = indicators.get("vouchers_and_funds_paid")

    def paid_to(day: dt.date):
        return ind.compute(Scope(scope.region, Period(day.year, month=day.month), day)).value or 0

    total, a = 0, start
    while a <= end:
        month_end = Period(a.year, month=a.month).end
        b = min(end, month_end)
        total += paid_to(b) - (paid_to(a - dt.timedelta(days=1)) if a.day > 1 else 0)
        a = b + dt.timedelta(days=1)
    return total


@record_source("pool_firms")
def pool_firms(scope: Scope, *, keys: list[str]) -> list[str]:
    """Firms that applied to the given calls ("<programme code>/<call name>"), the first two."""
    from kechuang.programmes.indicators import _applications

    out: list[str] = []
    for key in keys:
        code, _, call = key.partition("/")
        rows = _applications(scope).filter(call__programme__code=code, call__name=call)
        for name in rows.order_by("submitted_at", "pk").values_list("organisation__name", flat=True)[:10]:
            name = short_name(name, (scope.region.name,))
            if name not in out:
                out.append(name)
    return out[:2]


@record_source("nominees")
def nominees(scope: Scope) -> list[str]:
    """ "<firm>的专家<person>申报“<award>”" for the nominations behind `nomination_count`."""
    out = []
    for row in _rows("nomination_count", scope)[:3]:
        firm = short_name(row.organisation.name, (scope.region.name,)) if row.organisation_id else ""
        who = getattr(row.person, "name", "") if row.person_id else ""
        out.append(f"{firm}的专家{who}申报“{row.award}”" if firm else f"{who}申报“{row.award}”")
    return out


@record_source("teams")
def team_count(scope: Scope) -> int:
    from kechuang.accounts.models import Team

    return Team.objects.filter(region=scope.region).count()


@record_source("supervision")
def supervision(scope: Scope) -> dict:
    """The latest supervision campaign of the period: its name, end date, inspected and in-scope projects."""
    from kechuang.core import indicators
    from kechuang.projects.models import SupervisionCampaign

    value = indicators.get("supervision_coverage").compute(scope)
    if value.value is None:
        return {}
    campaign = (
        SupervisionCampaign.objects.filter(
            region__path__startswith=scope.region.path, name=value.parts["campaign"]
        )
        .order_by("-period_start")
        .first()
    )
    return {
        "name": value.parts["campaign"],
        "inspected": value.parts["inspected"],
        "in_scope": value.parts["in_scope"],
        "ends_on": campaign.period_end.isoformat() if campaign else "",
    }


@record_source("voucher_programmes")
def voucher_programme_names(scope: Scope) -> list[str]:
    from kechuang.vouchers.models import VoucherProgramme

    qs = VoucherProgramme.objects.filter(region__path__in=_ancestors(scope.region)).order_by("pk")
    return list(dict.fromkeys(qs.values_list("name", flat=True)))[:2]


def _ancestors(region) -> list[str]:
    from kechuang.core.permissions import ancestor_paths

    return list(ancestor_paths(region.path))


@record_source("earlier_platforms")
def earlier_platforms(scope: Scope, *, kind: str) -> int:
    """Platforms of `kind` recognised before the period began (0 makes "首创" true)."""
    from kechuang.platforms.models import Platform

    return Platform.objects.filter(
        region__path__startswith=scope.region.path, kind=kind, recognised_on__lt=scope.period.start
    ).count()


@record_source("trainings")
def trainings(scope: Scope, *, topic: str = "") -> dict:
    """The period's trainings on `topic`: their titles and the firms that signed in at them (distinct)."""
    from kechuang.programmes.models import Training, TrainingParticipant

    qs = Training.objects.filter(
        region__path__startswith=scope.region.path,
        held_on__gte=scope.period.start,
        held_on__lte=min(scope.period.end, scope.as_of),
    )
    if topic:
        qs = qs.filter(topic__contains=topic)
    titles = list(dict.fromkeys(qs.order_by("held_on").values_list("title", flat=True)))[:2]
    firms = (
        TrainingParticipant.objects.filter(training__in=qs, attended=True)
        .values("organisation")
        .distinct()
        .count()
    )
    return {"titles": titles, "firms": firms} if titles else {}


@record_source("recognised_platforms")
def recognised_platforms(scope: Scope, *, levels: tuple = ("national", "provincial")) -> list[dict]:
    """Platforms recognised (备案/认定) in the period at a high level: name, kind, level, date."""
    from kechuang.platforms.models import Kind, Level, Platform

    qs = Platform.objects.filter(
        region__path__startswith=scope.region.path,
        recognised_on__gte=scope.period.start,
        recognised_on__lte=min(scope.period.end, scope.as_of),
        level__in=list(levels),
    ).order_by("recognised_on", "pk")
    kinds, lv = dict(Kind.choices), dict(Level.choices)
    return [
        {"name": p.name, "kind": kinds[p.kind], "level": lv[p.level], "on": p.recognised_on.isoformat()}
        for p in qs[:3]
    ]


@record_source("platforms_in_progress")
def platforms_building(scope: Scope) -> list[dict]:
    from kechuang.core import indicators
    from kechuang.platforms.models import Kind, Level

    kinds, lv = dict(Kind.choices), dict(Level.choices)
    out = []
    for p in _rows("platforms_in_progress", scope)[:4]:
        out.append(
            {
                "name": p.name,
                "operator": short_name(p.operator.name) if p.operator_id else "",
                "kind": kinds.get(p.kind, p.kind),
                "level": lv.get(p.level, ""),
                "partner": p.partner_note,
            }
        )
    del indicators
    return out


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
