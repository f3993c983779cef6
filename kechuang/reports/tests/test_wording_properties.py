"""Property test: over random indicator values the generators never write a comparison word that
contradicts its numbers, a negative or zero "提高", or "无例外"/"全覆盖" below 100 % coverage.

The generators run as in production; only the figures they read come from a table of random `Value`s of the
real registered indicators instead of the database (the golden tests in test_drafting.py cover the database).
"""

import datetime as dt
import re
from decimal import Decimal as D
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope, Status, Value
from kechuang.reports import drafting, summary, wording

STATUSES = [Status.ESTIMATE, Status.PRELIMINARY, Status.FINAL]
percent = st.one_of(st.none(), st.decimals(min_value=0, max_value=20, places=2))
delta = st.one_of(st.none(), st.decimals(min_value=-10, max_value=10, places=2))


class TableSource:
    """Figures of the registered indicators with given values (what `summary.FigureSource` returns)."""

    def __init__(self, values: dict):
        self.values = values

    def value(self, code: str):
        value = self.values.get(code, Value(None))
        return indicators.get(code), value


def _ctx(values: dict, records: dict | None = None) -> drafting.Context:
    region = SimpleNamespace(name="某某区", code="379999")
    ctx = drafting.Context(Scope(region, Period(2020), dt.date(2020, 11, 30)), source=TableSource(values))
    for key, value in (records or {}).items():
        ctx._records[key + "{}"] = value
    return ctx


def _text(key: str, ctx) -> str:
    block = drafting.generate(key, ctx)
    return "" if block is None else summary.block_text(block)


@given(
    own=percent,
    city=percent,
    total=st.one_of(st.none(), st.decimals(min_value=0, max_value=900000, places=2)),
    firms=st.integers(min_value=0, max_value=300),
    status=st.sampled_from(STATUSES),
    city_status=st.sampled_from(STATUSES),
)
def test_rd_comparison_words_follow_the_numbers(own, city, total, firms, status, city_status):
    ctx = _ctx(
        {
            "rd_intensity": Value(own, status=status),
            "rd_intensity_city": Value(city, status=city_status),
            "rd_total": Value(total, status=status),
            "rd_firm_count": Value(firms),
        }
    )
    text = _text("rd", ctx)
    if not text:
        assert not (firms > 0 or (total or 0) > 0)
        return
    assert "None" not in text and "—" not in text
    pattern = r"达到([\d.]+)%(?:（..数）)?，(高于|低于)全市([\d.]+)%的平均水平([\d.]+)个百分点"
    for a, word, b, gap in re.findall(pattern, text):
        assert (word == "高于") == (D(a) > D(b)) and D(gap) == abs(D(a) - D(b)) and D(gap) > 0
    for a, b in re.findall(r"达到([\d.]+)%(?:（..数）)?，与全市([\d.]+)%的平均水平持平", text):
        assert D(a) == D(b)
    states_a_figure = (total or 0) > 0 or own is not None
    assert ("预计" in text) == (status == Status.ESTIMATE and states_a_figure)
    assert ("年报数" in text) == (status == Status.FINAL and states_a_figure)
    if "全市" in text:
        assert own is not None and city is not None


@given(share=percent, change=delta, status=st.sampled_from(STATUSES))
def test_a_change_is_never_a_negative_or_zero_increase(share, change, status):
    ctx = _ctx(
        {
            "hightech_output_share": Value(share, status=status),
            "hightech_output_share_change": Value(change, status=status),
            "hnte_count": Value(5),
        }
    )
    text = _text("hnte_totals", ctx)
    assert "提高-" not in text and "下降-" not in text
    assert not re.search(r"(提高|下降)0\.00", text)
    for word, gap in re.findall(r"比年初(提高|下降)([\d.]+)个百分点", text):
        assert change is not None and D(gap) == abs(change.quantize(D("0.01")))
        assert (word == "提高") == (change > 0)
    if "与年初持平" in text:
        assert change == 0


@given(
    total=st.integers(min_value=0, max_value=40),
    missing=st.integers(min_value=0, max_value=40),
    inspected_missing=st.integers(min_value=0, max_value=40),
    in_scope=st.integers(min_value=0, max_value=40),
)
def test_full_coverage_words_only_at_100_percent(total, missing, inspected_missing, in_scope):
    covered = max(total - missing, 0)
    inspected = max(in_scope - inspected_missing, 0)
    supervision = {
        "name": "2020年上半年项目督查",
        "inspected": inspected,
        "in_scope": in_scope,
        "ends_on": "2020-12-31",
    }
    ctx = _ctx(
        {"key_village_count": Value(total), "key_village_covered": Value(covered)},
        records={"supervision": supervision if in_scope else {}},
    )
    villages, projects = _text("key_villages", ctx), _text("supervision", ctx)
    assert ("全覆盖" in villages) == (total > 0 and covered == total)
    assert ("无例外" in projects) == (in_scope > 0 and inspected == in_scope)
    if projects and inspected < in_scope:
        assert f"覆盖{inspected}/{in_scope}个项目" in projects and f"其余{in_scope - inspected}个" in projects
    assert "已覆盖0/" not in villages


@given(a=percent, b=percent)
def test_wording_rules_agree_with_arithmetic(a, b):
    cmp_ = wording.compare(a, b)
    if a is None or b is None:
        assert cmp_ is None
        return
    assert cmp_.gap >= 0 and cmp_.gap == abs(a - b)
    assert cmp_.word == ("高于" if a > b else "低于" if a < b else "持平")
    change = wording.change(a - b)
    assert change.gap >= 0 and change.word == ("提高" if a > b else "下降" if a < b else "持平")
