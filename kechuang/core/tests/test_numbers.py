"""One number format (issue 27): counts, amounts, rates; large totals with separators; a value at a band's
edge shown with the digit that decides it; empty and non-numbers never crash a page."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from kechuang.core import numbers


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("3736175.01000000"), "万元", "3,736,175.01"),  # a 万元 total with six stored places
        (Decimal("123456789012.345"), "元", "123,456,789,012.35"),
        (1234, "家", "1,234"),
        (Decimal("67.000000"), "家", "67"),
        (Decimal("2.5"), "家", "2.5"),  # an average of a count keeps its decimals
        (Decimal("2.7"), "%", "2.70"),
        (Decimal("-1.666"), "个百分点", "-1.67"),
        (Decimal("0.125"), "", "0.13"),
        (Decimal("12.50"), "倍", "12.5"),
        (None, "万元", "—"),
        ("", "%", "—"),
        (True, "家", "True"),  # never formatted as 1
        ("未填报", "万元", "未填报"),
    ],
)
def test_figure(value, unit, shown):
    assert numbers.figure(value, unit) == shown


@pytest.mark.parametrize(
    ("value", "threshold", "shown"),
    [
        (Decimal("4.996"), 5, "4.996"),  # would read "5.00" and look like it met a ≥ 5% band
        (Decimal("5.004"), 5, "5.004"),
        (Decimal("5"), 5, "5.00"),
        (Decimal("4.9999999"), 5, "4.9999999"),
        (Decimal("3.2"), 5, "3.20"),
        (Decimal("59.995"), 60, "59.995"),
        (None, 5, "—"),
    ],
)
def test_precise_keeps_the_deciding_digit_at_a_band_edge(value, threshold, shown):
    assert numbers.precise(value, threshold) == shown


def test_magnitude_and_filters_in_a_template():
    html = Template(
        '{% load numbers %}{{ a|figure:"万元" }}|{{ b|magnitude:"个百分点" }}|{{ c|money:"万元" }}|{{ d|precise:5 }}'
    ).render(Context({"a": Decimal("63700"), "b": Decimal("-1.666"), "c": Decimal("2510000"), "d": "4.996"}))
    assert html == "63,700.00|1.67|251.00|4.996"
