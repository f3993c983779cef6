"""Template filters over `core.numbers`: `{% load numbers %}`, then `{{ value|figure:unit }}`,
`{{ amount|money:"万元" }}`, `{{ value|magnitude:unit }}` and `{{ value|precise:threshold }}`."""

from django import template

from kechuang.core import numbers

register = template.Library()

register.filter("figure", numbers.figure)
register.filter("precise", numbers.precise)
register.filter("magnitude", numbers.magnitude)
register.filter("money", numbers.money)
