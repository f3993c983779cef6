"""`{% load money %}` for the voucher pages: the filter is `core.numbers.money` (one formatter for every
page; `core/templatetags/numbers.py` offers it with the other number filters)."""

from django import template

from kechuang.core.numbers import money as format_money

register = template.Library()
register.filter("money", format_money)

__all__ = ["format_money", "register"]
