"""The insights module's one permission policy.

* Radar (应统尽统): bureau staff see the entries of the regions they keep and resolve them; leadership reads.
  The region is the deadline's (`SubmissionDeadline.region`), so the radar of a period is the calendar's.
* Firm profile (企业画像): staff and leadership for firms of their region (the firm register's policy),
  an enterprise user for its own firm only. Each section reads its records through its own module's policy.
* Scores and the ladder forecast: staff and leadership of a region; importing official scores is staff's.
* The firms' yearly score figures (`FirmYearFact`): staff keep those of their region's firms, leadership reads
  them, a firm reports and reads its own (self-report on its profile).
"""

from __future__ import annotations

from kechuang.core.permissions import Policy, RegionScopedPolicy, region_rule
from kechuang.core.roles import Role
from kechuang.enterprises import permissions as enterprise_permissions


class RadarPolicy(RegionScopedPolicy):
    organisation_field = None
    staff_actions = frozenset({"view", "resolve", "export"})

    @property
    def model(self):
        from kechuang.statistics.models import SubmissionDeadline

        return SubmissionDeadline


class ProfilePolicy(Policy):
    """Who may see a firm's profile: the firm register's `view`, which is exactly the rule above."""

    @property
    def model(self):
        from kechuang.core.models import Organisation

        return Organisation

    def base_queryset(self):
        return enterprise_permissions.enterprises.base_queryset()

    def rule(self, user, action):
        if action != "view":
            return None
        return enterprise_permissions.enterprises.rule(user, "view")


class RegionInsightPolicy(Policy):
    """District figures built from many firms (scores and ranks, the forecast): bureau roles of the region."""

    @property
    def model(self):
        from kechuang.core.models import Region

        return Region

    def rule(self, user, action):
        if user.role == Role.STAFF and action in {"view", "export", "import"}:
            return region_rule(user, prefix="")
        if user.role == Role.LEADER and action in {"view", "export"}:
            return region_rule(user, prefix="")
        return None


class FirmYearPolicy(RegionScopedPolicy):
    region_path = "organisation__region__"
    organisation_field = "organisation"
    staff_actions = frozenset({"view", "change", "export"})
    enterprise_actions = frozenset({"view", "change"})

    @property
    def model(self):
        from kechuang.insights.models import FirmYearFact

        return FirmYearFact

    def may_report_for(self, user, organisation) -> bool:
        """Whether `user` may add a version of `organisation`'s figures (it may have none yet)."""
        if not self.may(user, "change"):
            return False
        if user.role == Role.ENTERPRISE:
            return user.organisation_id == organisation.pk
        return bool(organisation.region and organisation.region.path.startswith(user.region.path))


radar = RadarPolicy()
firm_years = FirmYearPolicy()
profiles = ProfilePolicy()
regions = RegionInsightPolicy()


def has_own_profile(user) -> bool:
    """The enterprise menu's 企业画像: an enterprise account whose organisation is a firm. A service provider's
    or a university's account (role enterprise too) has no firm profile, so no menu entry leading to a 404."""
    if (
        not getattr(user, "is_authenticated", False)
        or user.role != Role.ENTERPRISE
        or not user.organisation_id
    ):
        return False
    # the organisation the page has loaded anyway (header, scope): the kind `profiles.base_queryset` admits
    return user.organisation.kind == profiles.model.Kind.ENTERPRISE


def is_own_firm(user, organisation) -> bool:
    """The profile of the user's own firm (the enterprise menu's 企业画像)."""
    return user.role == Role.ENTERPRISE and user.organisation_id == organisation.pk
