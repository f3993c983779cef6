from django import template

from kechuang.core import pii

register = template.Library()


@register.filter
def may_see_pii(user) -> bool:
    """Whether the user's role may reveal ID numbers and phones (per person the reveal checks scope again)."""
    return pii.role_may_see(user)
