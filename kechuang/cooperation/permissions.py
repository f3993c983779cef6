"""校城融合 policies: staff manage and leaders view within their region; a firm posts and edits its own
needs (while open) and sees only its own contacts, agreements and expected transfers."""

from __future__ import annotations

from django.db import models

from kechuang.core.permissions import CarrierPolicy, Policy, PublishedPolicy
from kechuang.core.roles import Role


class NeedPolicy(CarrierPolicy):
    region_path = "organisation__region__"
    organisation_field = "organisation_id"
    enterprise_actions = frozenset({"view", "change", "create"})

    def rule(self, user, action):
        if user.role == Role.ENTERPRISE and action == "change" and user.organisation_id:
            return models.Q(organisation_id=user.organisation_id, status__in=["open", "matching"])
        return super().rule(user, action)

    @property
    def model(self):
        from kechuang.cooperation.models import TechNeed

        return TechNeed


class ContactPolicy(CarrierPolicy):
    region_path = "need__organisation__region__"
    organisation_field = "need__organisation_id"

    @property
    def model(self):
        from kechuang.cooperation.models import Contact

        return Contact


class AgreementPolicy(CarrierPolicy):
    region_path = "firm__region__"
    organisation_field = "firm_id"

    @property
    def model(self):
        from kechuang.cooperation.models import Agreement

        return Agreement


class TransferPolicy(AgreementPolicy):
    @property
    def model(self):
        from kechuang.cooperation.models import ExpectedTransfer

        return ExpectedTransfer


class ProjectPolicy(CarrierPolicy):
    region_path = "organisation__region__"
    organisation_field = "organisation_id"

    @property
    def model(self):
        from kechuang.cooperation.models import CooperationProject

        return CooperationProject


class EventPolicy(CarrierPolicy):
    @property
    def model(self):
        from kechuang.cooperation.models import Event

        return Event


class OfferedPolicy(CarrierPolicy):
    """Staff manage the offers published in their region; firms may browse published ones."""

    def rule(self, user, action):
        if user.role == Role.ENTERPRISE and action == "view":
            return models.Q(is_published=True)
        return super().rule(user, action)

    @property
    def model(self):
        from kechuang.cooperation.models import OfferedAchievement

        return OfferedAchievement


class PublicOfferedPolicy(PublishedPolicy):
    @property
    def model(self):
        from kechuang.cooperation.models import OfferedAchievement

        return OfferedAchievement


class MatchableExpertPolicy(Policy):
    """Bureau staff may put any active expert of the shared pool in contact with a need they manage."""

    def rule(self, user, action):
        if user.role == Role.STAFF and action == "view" and user.region_id:
            return models.Q(is_active=True)
        return None

    @property
    def model(self):
        from kechuang.programmes.models import Expert

        return Expert


needs = NeedPolicy()
matchable_experts = MatchableExpertPolicy()
contacts = ContactPolicy()
agreements = AgreementPolicy()
transfers = TransferPolicy()
projects = ProjectPolicy()
events = EventPolicy()
offered = OfferedPolicy()
public_offered = PublicOfferedPolicy()
