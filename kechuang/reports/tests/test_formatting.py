import datetime as dt
from decimal import Decimal

import pytest

from kechuang.reports import formatting as f


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("63700"), "6.37亿元"),
        (Decimal("63749.99"), "6.37亿元"),
        (Decimal("10000"), "1亿元"),
        (Decimal("251"), "251万元"),
        (Decimal("251.50"), "251.5万元"),
        (Decimal("0"), "0万元"),
        (None, "—"),
    ],
)
def test_money_in_wan_switches_to_yi_from_one_hundred_million(value, expected):
    assert f.money_wan(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("2510000"), "251万元"), (Decimal("9999"), "9999元"), (Decimal("637000000"), "6.37亿元")],
)
def test_money_in_yuan(value, expected):
    assert f.money_yuan(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(Decimal("63700"), "6.37亿元"), (Decimal("5000"), "0.50亿元"), (None, "—")]
)
def test_yi_style_forces_two_decimals(value, expected):
    assert f.yi(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("50.83"), "50.83%"), (Decimal("2.7"), "2.70%"), (Decimal("2.765"), "2.77%"), (3, "3.00%")],
)
def test_percentages_have_two_decimals(value, expected):
    assert f.percent(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(Decimal("4.82"), "4.82个百分点"), (Decimal("-0.5"), "-0.50个百分点")]
)
def test_percentage_points(value, expected):
    assert f.points(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(52, "50余"), (59, "50余"), (10, "10余"), (12, "10余"), (9, "9"), (130, "130余")]
)
def test_approx_rounds_down_to_tens(value, expected):
    assert f.approx(value) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2020, 8, 28), "2020年8月28日"),
        (dt.date(2020, 9, 8), "2020年9月8日"),
        (dt.date(2021, 1, 1), "2021年1月1日"),
    ],
)
def test_dates_have_no_zero_padding(day, expected):
    assert f.cn_date(day) == expected


@pytest.mark.parametrize(
    ("value", "unit", "style", "expected"),
    [
        (47, "家", "", "47"),
        (Decimal("63700.00"), "万元", "亿元", "6.37亿元"),
        (Decimal("50.83"), "%", "", "50.83%"),
        (Decimal("4.82"), "个百分点", "", "4.82个百分点"),
        (52, "家", "余", "50余"),
        (Decimal("2510000.00"), "元", "", "251万元"),
    ],
)
def test_format_figure_by_unit_and_style(value, unit, style, expected):
    assert f.format_figure(value, unit, style) == expected


def test_unknown_style_is_refused_in_chinese():
    with pytest.raises(ValueError, match="未知的数字格式"):
        f.format_figure(1, "家", "千")
