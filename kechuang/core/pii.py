"""Personal information (个人信息): who may see ID numbers and phones unmasked, and the logged reveal.

Lists and exports show `Person.masked_id_number` / `masked_phone`. A user whose role is in
`KECHUANG_PII_ROLES` (default: bureau staff only — leaders, enterprise users, experts and the three
administrators see masks) may reveal one field of one person in their region, one click at a time;
every reveal writes an audit event `pii.reveal` (who, whose, which field — never the value).
Exports call `export_value`, which unmasks only for those roles (and writes no event per cell: the
export itself is audited by the module that offers it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from kechuang.core import audit, rules
from kechuang.core.permissions import PersonPolicy
from kechuang.core.roles import Role

DEFAULT_ROLES = frozenset({Role.STAFF})

# field name -> (Chinese label, masking function)
FIELDS = {
    "id_number": ("身份证号码", rules.mask_id_number),
    "phone": ("手机", rules.mask_phone),
}

people = PersonPolicy()


def allowed_roles() -> frozenset[str]:
    configured = getattr(settings, "KECHUANG_PII_ROLES", None)
    return DEFAULT_ROLES if configured is None else frozenset(configured)


def role_may_see(user) -> bool:
    """The role may see unmasked values (still only of people within the user's scope)."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.role in allowed_roles()
    )


def may_reveal(user, person) -> bool:
    return role_may_see(user) and people.allows(user, "view", person)


def masked(person, field: str) -> str:
    _label, mask = FIELDS[field]
    return mask(getattr(person, field))


class RevealRefused(Exception):
    pass


@transaction.atomic
def reveal(*, actor, person, field: str) -> str:
    """The unmasked value of one field of one person, logged. Refuses fields and people out of bounds."""
    if field not in FIELDS:
        raise RevealRefused("该字段不是可显示的个人信息。")
    if not may_reveal(actor, person):
        raise RevealRefused("您的角色无权查看完整的个人信息。")
    audit.record(
        actor=actor,
        action="pii.reveal",
        obj=person,
        changes={"field": field, "label": FIELDS[field][0]},
    )
    return getattr(person, field)


def shown_phone(user, value: str) -> str:
    """A phone number on a page that lists records the user may already see (e.g. firms' contact phones
    on the statistics calendar): in full for the roles in `KECHUANG_PII_ROLES`, masked for everyone else
    (leaders included)."""
    if not value:
        return ""
    return value if role_may_see(user) else rules.mask_phone(value)


def export_value(user, person, field: str) -> str:
    """What an export writes for this field: the value for roles that may see it, the mask otherwise."""
    if person is None:
        return ""
    if role_may_see(user) and people.allows(user, "view", person):
        return getattr(person, field)
    return masked(person, field)
