from decimal import Decimal

import pytest
from django.template import Context, Template

from kechuang.vouchers.templatetags.money import format_money


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("1234567"), "元", "1,234,567.00"),
        (Decimal("0.5"), "元", "0.50"),
        (Decimal("2510000"), "万元", "251.00"),
        (Decimal("12345.67"), "万元", "1.23"),
        (Decimal("-1000.005"), "元", "-1,000.01"),
        (None, "元", "—"),
    ],
)
def test_format_money(value, unit, shown):
    assert format_money(value, unit) == shown


def test_filter_in_a_template():
    html = Template('{% load money %}{{ a|money }} 元 / {{ a|money:"万元" }} 万元').render(
        Context({"a": Decimal("2510000")})
    )
    assert html == "2,510,000.00 元 / 251.00 万元"
