from django import template

from kechuang.core import pii

register = template.Library()


@register.filter
def phone_for(value: str, user) -> str:
    """`{{ org.contact_phone|phone_for:request.user }}`: the number for roles that may see it, else masked."""
    return pii.shown_phone(user, value)


@register.filter
def may_see_pii(user) -> bool:
    """Whether the user's role may reveal ID numbers and phones (per person the reveal checks scope again)."""
    return pii.role_may_see(user)
