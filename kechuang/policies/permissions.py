"""Who may see and act on policies, matches and award batches — the one permission policy of this app.

* Bureau staff: build, simulate, publish and match the policies of their region (and read those of the
  bureaus above them); run award batches of their region's policies; four eyes on approval and payment.
* Leadership: read and export in their region.
* Enterprise users: their own firm's matches and awards; they confirm a 快申快享 item they qualify for.
* The public (no login): published (active) policies and the 公示 of award batches (`public_*`).
"""

from __future__ import annotations

from django.db.models import Q

from kechuang.core.permissions import (
    BureauConfigPolicy,
    RegionScopedPolicy,
    is_bureau_staff,
    is_bureau_user,
    is_firm_user,
    region_rule,
)


class PolicyPolicy(BureauConfigPolicy):
    """Policies (and through them documents, items and conditions): owned by the document's bureau."""

    region_path = "document__region__"
    change_actions = frozenset({"change", "create", "delete", "publish", "simulate", "match"})

    @property
    def model(self):
        from kechuang.policies.models import Policy

        return Policy


class DocumentPolicy(BureauConfigPolicy):
    region_path = "region__"

    @property
    def model(self):
        from kechuang.policies.models import PolicyDocument

        return PolicyDocument


class MatchPolicy(RegionScopedPolicy):
    """Verdicts by the firm's region: staff and leaders of the region, the firm itself."""

    region_path = "organisation__region__"
    organisation_field = "organisation"
    staff_actions = frozenset({"view", "export"})
    enterprise_actions = frozenset({"view", "confirm"})

    @property
    def model(self):
        from kechuang.policies.models import Match

        return Match

    def rule(self, user, action):
        q = super().rule(user, action)
        if (
            action == "confirm" and q is not None
        ):  # 快申快享: the firm's own eligible verdict of a policy in force
            return q & Q(verdict="eligible", item__delivery="quick", item__policy__status="active")
        return q


class BatchPolicy(RegionScopedPolicy):
    """Award batches by the policy's region. "approve" and "pay_approve" are never the batch creator's or
    the payment requester's own (四眼); the services check the same and the DB constraint backs it."""

    region_path = "item__policy__document__region__"
    organisation_field = None
    staff_actions = frozenset({"view", "change", "create", "export", "approve", "pay_approve", "pay_confirm"})

    @property
    def model(self):
        from kechuang.policies.models import AwardBatch

        return AwardBatch

    def rule(self, user, action):
        q = super().rule(user, action)
        if q is None:
            return None
        if action == "approve":
            return q & ~Q(created_by=user) & Q(status="draft")
        if action == "pay_approve":
            return q & ~Q(pay_requested_by=user) & Q(status="paying")
        if action == "pay_confirm":
            return q & Q(status="paying")
        return q

    def allows_create(self, user, **context) -> bool:
        return is_bureau_staff(user)


class AwardPolicy(RegionScopedPolicy):
    region_path = "batch__item__policy__document__region__"
    organisation_field = "organisation"
    staff_actions = frozenset({"view", "change", "export"})

    @property
    def model(self):
        from kechuang.policies.models import Award

        return Award


def is_bureau(user) -> bool:
    """Staff and leaders see the bureau's pages (lists, results); others get the firm's or the public's."""
    return bool(user) and is_bureau_user(user)


def is_firm(user) -> bool:
    """An enterprise account with its firm: the firm's page, its own records in the calculator."""
    return bool(user) and is_firm_user(user) and bool(user.organisation_id)


def firms_in_scope(user) -> Q | None:
    """Organisations a bureau user may screen (simulate, match): those of their region."""
    return region_rule(user) if is_bureau(user) else None


def public_policies() -> Q:
    """What anyone may read: policies in force (施行中)."""
    return Q(status="active")


def public_batches() -> Q:
    """Award lists the public may read: those in or after their 公示."""
    return Q(status__in=("publicity", "paying", "paid"))


policies = PolicyPolicy()
documents = DocumentPolicy()
matches = MatchPolicy()
batches = BatchPolicy()
awards = AwardPolicy()
