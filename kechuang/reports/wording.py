"""Words a draft chooses from its numbers (pure functions, no Django).

A sentence never carries a fixed comparison or qualifier: 高于/低于/持平, 提高/下降/持平, 预计/快报/年报 and
全部/无例外 are picked here from the very values the sentence prints, compared as printed (two decimals), so
"2.42%，高于全市2.45%" or "提高-0.50个百分点" cannot be written. Each function returns the word and the
numbers it was chosen from, so the claim checker (`reports/claims.py`) can choose it again later.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TWO = Decimal("0.01")

# Words of each rule, for the checker (a word of a rule found in a sentence must be the one the rule chose).
COMPARE_WORDS = ("高于", "低于", "持平")
CHANGE_WORDS = ("提高", "下降", "持平")
STATUS_WORDS = {"estimate": "预计", "preliminary": "快报", "final": "年报", "record": ""}


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Comparison:
    word: str  # 高于 / 低于 / 持平
    gap: Decimal  # always ≥ 0: the distance between the two printed values


def compare(own, other) -> Comparison | None:
    """How `own` stands against `other`, both as printed (two decimals); None when either is unknown."""
    a, b = _dec(own), _dec(other)
    if a is None or b is None:
        return None
    if a > b:
        return Comparison("高于", a - b)
    if a < b:
        return Comparison("低于", b - a)
    return Comparison("持平", Decimal("0.00"))


def change(delta) -> Comparison | None:
    """A change since a start value: 提高 x / 下降 x / 持平 — the amount is never negative."""
    d = _dec(delta)
    if d is None:
        return None
    if d > 0:
        return Comparison("提高", d)
    if d < 0:
        return Comparison("下降", -d)
    return Comparison("持平", Decimal("0.00"))


def status_word(status: str) -> str:
    """预计 for estimates, 快报 for preliminary figures, 年报 for final ones; nothing for the platform's
    own records (台账 are final by nature)."""
    return STATUS_WORDS.get(status, "预计")


@dataclass(frozen=True)
class Coverage:
    complete: bool  # every one covered (and there was at least one)
    covered: int
    total: int

    @property
    def missing(self) -> int:
        return self.total - self.covered


def coverage(covered, total) -> Coverage | None:
    """ "全部/无例外/全覆盖" may be written only when `complete`; None when there is nothing to cover."""
    try:
        c, t = int(covered), int(total)
    except (TypeError, ValueError):
        return None
    if t <= 0:
        return None
    return Coverage(complete=c >= t, covered=min(c, t), total=t)


def choose(rule: str, args: list) -> str:
    """The word `rule` chooses for `args` (the checker's entry point; "" when it cannot choose)."""
    if rule == "compare":
        found = compare(*args)
    elif rule == "change":
        found = change(*args)
    elif rule == "status":
        return status_word(args[0])
    elif rule == "first":
        return "首创" if args and str(args[0]) == "0" else ""
    elif rule == "coverage":
        cov = coverage(*args)
        return "" if cov is None else ("全部" if cov.complete else "部分")
    else:
        raise ValueError(f"unknown wording rule {rule!r}")
    return "" if found is None else found.word
