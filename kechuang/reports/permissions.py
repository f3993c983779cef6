"""Reports are for the bureau: staff write drafts, leaders read; everyone else has no access."""

from __future__ import annotations

from django.db import models

from kechuang.accounts.roles import Role
from kechuang.core.permissions import Policy, region_rule


class DraftPolicy(Policy):
    def rule(self, user, action):
        if user.role == Role.STAFF and action in {"view", "change", "create", "export"}:
            return region_rule(user)
        if user.role == Role.LEADER and action in {"view", "export"}:
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


class TemplatePolicy(Policy):
    """Summary templates are the bureau's shared wording: staff read and edit them, nobody else."""

    @property
    def model(self):
        from kechuang.reports.models import SummaryTemplate

        return SummaryTemplate

    def rule(self, user, action):
        if user.role == Role.STAFF and action in {"view", "change"}:
            return models.Q()
        return None


drafts = DraftPolicy()
templates = TemplatePolicy()
dashboard = DashboardPolicy()
