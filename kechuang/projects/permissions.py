"""Who may see and do what with plan projects, the reserve and supervision campaigns.

A firm sees only the projects it undertakes (and files reports / change requests on them); staff manage
the projects of their region; leadership reads; a campaign item may be inspected only by the inspector
assigned to it.
"""

from __future__ import annotations

from django.db import models

from kechuang.core.permissions import Policy, RegionScopedPolicy, is_firm_user, region_rule
from kechuang.core.roles import Role


class ProjectPolicy(RegionScopedPolicy):
    region_path = "region__"
    organisation_field = "undertaking_unit"
    staff_actions = frozenset({"view", "change", "create", "export", "disburse", "review", "transition"})
    # "oversee": leadership is shown what has been escalated to it (overdue milestones, core.todos).
    leader_actions = frozenset({"view", "export", "oversee"})
    enterprise_actions = frozenset({"view", "report", "request_change"})

    @property
    def model(self):
        from kechuang.projects.models import Project

        return Project

    def allows_create(self, user, **context) -> bool:
        return user.is_authenticated and user.role == Role.STAFF and user.region_id is not None


class ReservePolicy(RegionScopedPolicy):
    region_path = "region__"
    organisation_field = "organisation"
    enterprise_actions = frozenset({"view"})

    @property
    def model(self):
        from kechuang.projects.models import ReserveProject

        return ReserveProject


class CampaignPolicy(Policy):
    staff_actions = frozenset({"view", "change", "create", "export"})

    @property
    def model(self):
        from kechuang.projects.models import SupervisionCampaign

        return SupervisionCampaign

    def rule(self, user, action):
        if user.role == Role.STAFF and action in self.staff_actions:
            return region_rule(user)
        if user.role == Role.LEADER and action in ("view", "export"):
            return region_rule(user)
        return None

    def allows_create(self, user, **context) -> bool:
        return self.may(user, "create")


def inspector_candidates(region):
    """Who may be assigned to inspect in a campaign of `region`: active staff and leaders of the bureau
    and of the bureaus above it (a city may lend inspectors to its districts)."""
    from django.contrib.auth import get_user_model

    from kechuang.core.permissions import ancestor_paths

    return get_user_model().objects.filter(
        role__in=[Role.STAFF, Role.LEADER], is_active=True, region__path__in=ancestor_paths(region.path)
    )


def reserve_owner_candidates(user):
    """Staff of `user`'s region subtree, who may be made responsible for a reserve entry."""
    from django.contrib.auth import get_user_model

    region_path = user.region.path if user.region_id else "-"
    return get_user_model().objects.filter(
        role=Role.STAFF, is_active=True, region__path__startswith=region_path
    )


class CampaignItemPolicy(Policy):
    @property
    def model(self):
        from kechuang.projects.models import CampaignItem

        return CampaignItem

    def rule(self, user, action):
        assigned = models.Q(inspector=user)
        if action == "inspect":
            return assigned
        if action == "view":
            if user.role in (Role.STAFF, Role.LEADER):
                q = region_rule(user, "campaign__region__")
                return assigned if q is None else q | assigned
            if user.role == Role.ENTERPRISE and user.organisation_id:
                return models.Q(project__undertaking_unit_id=user.organisation_id)
            return assigned
        if action == "rectify" and user.role == Role.ENTERPRISE and user.organisation_id:
            return models.Q(project__undertaking_unit_id=user.organisation_id)
        if action == "change" and user.role == Role.STAFF:
            return region_rule(user, "campaign__region__")
        if action == "oversee" and user.role == Role.LEADER:  # overdue rectification escalates to leadership
            return region_rule(user, "campaign__region__")
        return None


class FindingPolicy(Policy):
    """A finding follows its campaign item: who may see, follow up (record rectification) or close it."""

    ITEM_ACTIONS = {
        "view": ("view",),
        "follow_up": ("inspect", "change", "rectify"),
        "close": ("inspect", "change"),
        "rectify": ("rectify",),
        "oversee": ("oversee",),
    }

    @property
    def model(self):
        from kechuang.projects.models import Finding

        return Finding

    def rule(self, user, action):
        from kechuang.projects.models import CampaignItem

        q = None
        for item_action in self.ITEM_ACTIONS.get(action, ()):
            item_q = campaign_items.rule(user, item_action)
            if item_q is None:
                continue
            sub = models.Q(item__in=CampaignItem.objects.filter(item_q).values("pk"))
            q = sub if q is None else q | sub
        return q


class ProjectPartPolicy(Policy):
    """Records that belong to one project (reviews, reports, changes, documents): the project's rule."""

    def __init__(self, model_name: str):
        self.model_name = model_name

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model("projects", self.model_name)

    def rule(self, user, action):
        q = projects.rule(user, action)
        if q is None:
            return None
        return models.Q(project__in=projects.model.objects.filter(q).values("pk"))


projects = ProjectPolicy()
reviews = ProjectPartPolicy("ProjectReview")
reports = ProjectPartPolicy("ProgressReport")
changes = ProjectPartPolicy("ChangeRequest")
milestones = ProjectPartPolicy("Milestone")
reserve = ReservePolicy()
campaigns = CampaignPolicy()
campaign_items = CampaignItemPolicy()
findings = FindingPolicy()


def sees_own_projects_on_home(user) -> bool:
    return is_firm_user(user) and projects.may(user, "report")
