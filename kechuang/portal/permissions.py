"""Policies: bureau staff manage the notices and policy documents of their region (draft, submit, review,
publish, withdraw); leaders read them; nobody else sees an unpublished one (the public pages read
published notices through `selectors.published_notices`, not through this policy)."""

from __future__ import annotations

from kechuang.core.permissions import Policy, region_rule
from kechuang.core.roles import Role

STAFF_ACTIONS = frozenset({"view", "change", "create", "submit", "review", "withdraw"})


class NoticePolicy(Policy):
    @property
    def model(self):
        from kechuang.portal.models import Notice

        return Notice

    def rule(self, user, action):
        if user.role == Role.STAFF and action in STAFF_ACTIONS:
            return region_rule(user)
        if user.role == Role.LEADER and action == "view":
            return region_rule(user)
        return None

    def allows_create(self, user, **context) -> bool:
        return self.may(user, "create")


def may_subscribe(user) -> bool:
    """Any signed-in account tied to a region (a bureau's or a firm's) may subscribe to published notices."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.region_id or getattr(user, "organisation_id", None))
    )


notices = NoticePolicy()
