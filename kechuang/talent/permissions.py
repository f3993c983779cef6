"""Talent policies. The expert pool: staff of the pool's region manage it, leaders view, an expert sees
their own entry. Demands: a firm sees, files and edits its own. Awards/projects: a firm sees its own."""

from __future__ import annotations

from django.db import models

from kechuang.core.permissions import CarrierPolicy
from kechuang.core.roles import Role


class ExpertPoolPolicy(CarrierPolicy):
    region_path = "region__"

    def rule(self, user, action):
        if user.role == Role.EXPERT and action == "view" and user.person_id:
            return models.Q(person_id=user.person_id)
        return super().rule(user, action)

    @property
    def model(self):
        from kechuang.programmes.models import Expert

        return Expert


class TalentAwardPolicy(CarrierPolicy):
    region_path = "person__region__"
    organisation_field = "organisation_id"

    def rule(self, user, action):
        q = super().rule(user, action)
        if user.role in (Role.STAFF, Role.LEADER) and q is not None:
            # A person without a region is in scope through the firm they work for.
            q = q | models.Q(
                person__region__isnull=True, organisation__region__path__startswith=user.region.path
            )
        return q

    @property
    def model(self):
        from kechuang.talent.models import TalentAward

        return TalentAward


class ForeignExpertPolicy(CarrierPolicy):
    @property
    def model(self):
        from kechuang.talent.models import ForeignExpert

        return ForeignExpert


class DemandPolicy(CarrierPolicy):
    region_path = "organisation__region__"
    organisation_field = "organisation_id"
    enterprise_actions = frozenset({"view", "change", "create"})

    def rule(self, user, action):
        if user.role == Role.ENTERPRISE and action == "change" and user.organisation_id:
            # A firm edits its demand until the bureau has matched or closed it.
            return models.Q(organisation_id=user.organisation_id, status__in=["collected", "matching"])
        return super().rule(user, action)

    @property
    def model(self):
        from kechuang.talent.models import ForeignExpertDemand

        return ForeignExpertDemand


class ProjectPolicy(CarrierPolicy):
    region_path = "organisation__region__"
    organisation_field = "organisation_id"

    @property
    def model(self):
        from kechuang.talent.models import ForeignExpertProject

        return ForeignExpertProject


class NominationPolicy(CarrierPolicy):
    @property
    def model(self):
        from kechuang.talent.models import Nomination

        return Nomination


experts = ExpertPoolPolicy()
awards = TalentAwardPolicy()
foreign_experts = ForeignExpertPolicy()
demands = DemandPolicy()
projects = ProjectPolicy()
nominations = NominationPolicy()
