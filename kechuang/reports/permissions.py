"""Reports are for the bureau: staff write drafts, leaders read; everyone else has no access."""

from __future__ import annotations

from django.db import models

from kechuang.core.permissions import BureauConfigPolicy, Policy, region_rule
from kechuang.core.roles import Role


class DraftPolicy(Policy):
    """Staff write drafts and check (核稿) them; leaders read them, may check them too, and sign (签发) those
    of their own bureau — a city leader does not sign a district bureau's document. That the checker is not
    the drafter, nor the signer either of them, is a guard of `reports/rules.py`."""

    STAFF = frozenset({"view", "change", "create", "export", "submit", "check", "return", "comment"})
    LEADER = frozenset({"view", "export", "check", "return", "sign", "comment"})

    def rule(self, user, action):
        if user.role == Role.STAFF and action in self.STAFF:
            return region_rule(user)
        if user.role == Role.LEADER and action == "sign" and user.region_id:
            own_bureau = models.Q(region__path__startswith=user.region.path, region__level__gt=3)
            return models.Q(region=user.region_id) | own_bureau if user.region.level <= 3 else None
        if user.role == Role.LEADER and action in self.LEADER:
            return region_rule(user)
        return None

    @property
    def model(self):
        from kechuang.reports.models import SummaryDraft

        return SummaryDraft

    def allows_create(self, user, **context):
        return self.may(user, "create")


class DashboardPolicy(Policy):
    """Which regions a user may see figures for (the dashboard and drill-down take a region, not an object)."""

    @property
    def model(self):
        from kechuang.core.models import Region

        return Region

    def rule(self, user, action):
        if user.role in (Role.STAFF, Role.LEADER) and action == "view" and user.region_id:
            return models.Q(path__startswith=user.region.path)
        return None


class TemplatePolicy(BureauConfigPolicy):
    """Summary templates are a bureau's own wording (issue 25: 张店区 staff changed 周村区's signature):
    staff of the owning bureau edit them; staff below it use them; leaders and other bureaus: nothing."""

    read_roles = frozenset({Role.STAFF})

    @property
    def model(self):
        from kechuang.reports.models import SummaryTemplate

        return SummaryTemplate


drafts = DraftPolicy()
templates = TemplatePolicy()
dashboard = DashboardPolicy()


def sees_headline_on_home(user) -> bool:
    """A leader's home page leads with the headline figures of their region (issue 27 item 5)."""
    return user.role == Role.LEADER and dashboard.may(user, "view")


def sees_work_figures_on_home(user) -> bool:
    """Staff see the figures of their daily work on the home page."""
    return user.role == Role.STAFF and dashboard.may(user, "view")
