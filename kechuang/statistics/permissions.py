"""Who sees which statistics: staff and leadership their region (by the firm's town in that period),
an enterprise user only its own organisation's facts."""

from __future__ import annotations

from django.db.models import Q

from kechuang.core.permissions import Policy, RegionScopedPolicy, is_bureau_staff, region_rule
from kechuang.core.roles import Role


class FactPolicy(RegionScopedPolicy):
    """Staff also void (作废) and correct (更正) facts of their region; a firm only submits its own."""

    region_path = "town__"
    organisation_field = "organisation"
    staff_actions = RegionScopedPolicy.staff_actions | {"void", "correct"}
    enterprise_actions = frozenset({"view", "change"})

    @property
    def model(self):
        from kechuang.statistics.models import EnterpriseFact

        return EnterpriseFact


class RegionAccessPolicy(Policy):
    """Which regions' indicators a user may read (and, for staff, whose calendar and targets they keep)."""

    @property
    def model(self):
        from kechuang.core.models import Region

        return Region

    def rule(self, user, action):
        if user.role == Role.STAFF and action in {"view", "change", "export"}:
            return region_rule(user, prefix="")
        if user.role == Role.LEADER and action in {"view", "export"}:
            return region_rule(user, prefix="")
        return None

    def base_queryset(self):
        return super().base_queryset().filter(level__lte=4)


class DeadlinePolicy(RegionScopedPolicy):
    organisation_field = None
    staff_actions = frozenset({"view", "change", "remind"})

    @property
    def model(self):
        from kechuang.statistics.models import SubmissionDeadline

        return SubmissionDeadline


facts = FactPolicy()
regions = RegionAccessPolicy()
deadlines = DeadlinePolicy()


def may_set_deadlines(user) -> bool:
    """Setting the region's submission deadlines (and importing facts from the calendar): its staff."""
    return is_bureau_staff(user)


def may_enter_facts(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.ENTERPRISE and user.organisation_id)


__all__ = ["deadlines", "facts", "may_enter_facts", "region_facts", "regions", "targets"]


class RegionFactPolicy(Policy):
    """Regional figures (GDP, published figures): staff keep, correct and void (作废) those of the regions
    they keep (`selectors.editable_regions`: their subtree and their city's published figures)."""

    @property
    def model(self):
        from kechuang.statistics.models import RegionFact

        return RegionFact

    def rule(self, user, action):
        from kechuang.statistics import selectors

        if user.role == Role.STAFF and action in {"view", "change", "void", "correct"}:
            return Q(region__in=selectors.editable_regions(user).values("pk"))
        return None


region_facts = RegionFactPolicy()


class TargetPolicy(Policy):
    """Yearly targets: staff keep (set, void) those of the regions they keep down to district level — their
    own and those below (a city sets its districts' targets); staff and leaders read those of their subtree."""

    @property
    def model(self):
        from kechuang.statistics.models import Target

        return Target

    def regions(self, user):
        """The regions whose targets the user keeps."""
        return regions.queryset(user, "change").filter(level__lte=3)

    def rule(self, user, action):
        if user.role in (Role.STAFF, Role.LEADER) and action == "view":
            return region_rule(user)
        if user.role == Role.STAFF and action in {"change", "void"}:
            return Q(region__in=self.regions(user).values("pk"))
        return None


targets = TargetPolicy()
