"""The claim checker: does every figure and word of a draft still hold?

Each figure of a computed block carries its source — an indicator (code, part) or a record source (key,
params) — and the scope it was computed for (region, period, as-of date) and when (`known_at`; once
statistics facts keep their history the version goes beside it). Each claim is a word a rule chose from
some of those figures (高于/低于/持平, 提高/下降/持平, 预计/快报/年报, 全覆盖/无例外, 首创) with the rule's
decision. `check()` computes every figure again for its stored scope and takes every rule's decision again;
a sentence whose figure or word no longer holds is reported with what it says and what the records say.

Drafts are checked when opened, downloaded and before a reply is sent (a draft with failures cannot be
finalised). A sentence staff edited keeps the figures whose text it still contains; one that lost them is
marked manual and carries no claims (it is the staff's own wording).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kechuang.core.indicators import Scope
from kechuang.core.routers import reporting_reads
from kechuang.reports import drafting, summary, wording


@dataclass
class Failure:
    section: int
    block: int
    sentence: str
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    failures: list[Failure]
    figures: int
    claims: int

    @property
    def ok(self) -> bool:
        return not self.failures

    def by_block(self) -> dict[tuple[int, int], Failure]:
        return {(f.section, f.block): f for f in self.failures}

    def messages(self) -> list[str]:
        return [f"第{f.section + 1}部分第{f.block + 1}句：{'；'.join(f.problems)}" for f in self.failures]


class _Recompute:
    """Figures computed again, once per (source, code, params, scope)."""

    def __init__(self, default: Scope):
        self.default = default
        self.sources: dict[tuple, summary.FigureSource] = {}
        self.contexts: dict[tuple, drafting.Context] = {}

    def _scope(self, fig: dict) -> Scope:
        return drafting.scope_from(fig.get("scope") or {}, self.default)

    def value(self, fig: dict) -> tuple[str | None, str]:
        """(canonical value, status) of a figure as the records give it now."""
        scope = self._scope(fig)
        key = (scope.region.code, str(scope.period), scope.as_of)
        if fig.get("source") == "records":
            if key not in self.contexts:
                self.contexts[key] = drafting.Context(scope)
            ctx = self.contexts[key]
            if fig["code"] not in drafting.RECORDS:
                return None, ""
            return drafting.canonical(ctx.record(fig["code"], **fig.get("params", {}))), fig.get("status", "")
        if key not in self.sources:
            self.sources[key] = summary.FigureSource(scope)
        fresh = summary.figure(self.sources[key], fig["code"], fig.get("style", ""), fig.get("part", ""))
        return fresh["value"], fresh["status"]

    def text(self, fig: dict) -> str:
        scope = self._scope(fig)
        source = self.sources[(scope.region.code, str(scope.period), scope.as_of)]
        fresh = summary.figure(source, fig["code"], fig.get("style", ""), fig.get("part", ""))
        return "无数据" if fresh["value"] is None else fresh["text"]


def check(sections: list[dict], scope: Scope) -> Report:
    recompute = _Recompute(scope)
    failures, n_figures, n_claims = [], 0, 0
    with reporting_reads():
        for si, section in enumerate(sections):
            for bi, block in enumerate(section.get("blocks", [])):
                if block.get("kind") != "computed":
                    continue
                problems = []
                now_figures = []
                for fig in block.get("figures", []):
                    n_figures += 1
                    value, status = recompute.value(fig)
                    now_figures.append({**fig, "value": value, "status": status or fig.get("status", "")})
                    if value == fig.get("value"):
                        continue
                    if fig.get("source") == "records":
                        problems.append(
                            f"“{fig.get('text') or fig.get('name')}”与记录不符（{fig.get('name', '')}已变化）"
                        )
                    else:
                        problems.append(
                            f"{fig.get('name', fig['code'])}稿中为{fig.get('text')}，现为{recompute.text(fig)}"
                        )
                for claim in block.get("claims", []):
                    n_claims += 1
                    try:
                        decision = wording.choose(claim["rule"], drafting.claim_args(claim, now_figures))
                    except (TypeError, ValueError, json.JSONDecodeError, AttributeError):
                        decision = None
                    if decision != claim.get("decision"):
                        problems.append(
                            f"“{claim.get('word') or claim.get('decision') or claim['rule']}”已不成立"
                            f"（按现有数据应为“{decision or '不写'}”）"
                        )
                if problems:
                    failures.append(Failure(si, bi, summary.block_text(block), list(dict.fromkeys(problems))))
    return Report(failures, n_figures, n_claims)


def check_draft(draft) -> Report:
    from kechuang.reports.services import scope_of

    return check(draft.sections, scope_of(draft))
