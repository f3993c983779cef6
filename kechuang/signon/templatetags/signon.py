from django import template

from kechuang.accounts import permissions
from kechuang.signon import selectors

register = template.Library()


@register.inclusion_tag("signon/account_identities.html")
def account_identities(target, user):
    """On an account's page: its sign-on identities, and the staff-number form for the system administrator."""
    return {
        "target": target,
        "identities": list(selectors.identities_of(target)),
        "staff_number": selectors.staff_number_of(target),
        "may_record": permissions.may_record_staff_number(user, target),
    }
