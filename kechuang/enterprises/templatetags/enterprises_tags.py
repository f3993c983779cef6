from django import template

from kechuang.enterprises.models import TIER_LABELS

register = template.Library()


@register.filter
def tier_label(tier) -> str:
    return TIER_LABELS.get(tier, f"第{tier}梯次")


@register.filter
def verdict(value) -> str:
    """Chinese for an engine verdict: True / False / None (undecided)."""
    return {True: "符合", False: "不符合", None: "待定"}[value]


@register.filter
def verdict_class(value) -> str:
    return {True: "text-bg-success", False: "text-bg-danger", None: "text-bg-warning"}[value]


@register.filter
def missing_label(path: str) -> str:
    from kechuang.enterprises import rules

    return rules.missing_label(path)


@register.filter
def dictget(mapping, key):
    return mapping.get(key, 0)


@register.filter
def sub(a, b) -> int:
    return (a or 0) - (b or 0)
