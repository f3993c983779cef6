"""Policies: bureau staff of the region manage everything; leaders view; a commissioner sees and edits
only the pairings, logs and requests of their own commissioner record (anything else is a 404)."""

from __future__ import annotations

from django.db import models

from kechuang.core.permissions import Policy, is_commissioner, region_rule
from kechuang.core.roles import Role


def own_commissioner_ids(user):
    """Commissioner records the user acts for: as the individual / leader / contact, or as a team member."""
    from kechuang.agritech.models import Commissioner

    if not user.person_id:
        return None
    return Commissioner.objects.filter(
        models.Q(person_id=user.person_id) | models.Q(members=user.person_id), is_active=True
    ).values("pk")


class _AgriPolicy(Policy):
    region_path = "region__"
    commissioner_path: str | None = None  # path to the Commissioner id; None = commissioners have no access
    commissioner_actions = frozenset({"view", "change"})

    def rule(self, user, action):
        if user.role == Role.STAFF and action in {"view", "change", "create", "delete"}:
            return region_rule(user, self.region_path)
        if user.role == Role.LEADER and action == "view":
            return region_rule(user, self.region_path)
        if user.role == Role.COMMISSIONER and self.commissioner_path and action in self.commissioner_actions:
            ids = own_commissioner_ids(user)
            return None if ids is None else models.Q(**{f"{self.commissioner_path}__in": ids})
        return None


class CommissionerPolicy(_AgriPolicy):
    commissioner_path = "pk"
    # "publish_phone": the commissioner chooses the service phone shown on the public 亮牌卡.
    commissioner_actions = frozenset({"view", "publish_phone"})

    def rule(self, user, action):
        if action == "publish_phone" and user.role == Role.STAFF:
            return region_rule(user, self.region_path)
        return super().rule(user, action)

    @property
    def model(self):
        from kechuang.agritech.models import Commissioner

        return Commissioner


class PairingPolicy(_AgriPolicy):
    commissioner_path = "commissioner_id"

    @property
    def model(self):
        from kechuang.agritech.models import Pairing

        return Pairing


class ServiceLogPolicy(_AgriPolicy):
    region_path = "pairing__region__"
    commissioner_path = "pairing__commissioner_id"
    commissioner_actions = frozenset({"view", "change", "create"})

    def may_rate(self, user) -> bool:
        """Ratings are the served party's, recorded by bureau staff from its feedback; never self-rated."""
        return user.is_authenticated and user.role == Role.STAFF

    @property
    def model(self):
        from kechuang.agritech.models import ServiceLog

        return ServiceLog


class ServiceRequestPolicy(_AgriPolicy):
    """Commissioners see and answer the requests waiting at a provider they serve in."""

    region_path = "village__"
    # "answer": the commissioners serving at the request's provider answer it (core.todos); staff may
    # answer too ("change") but the request waits on the commissioners.
    commissioner_actions = frozenset({"view", "change", "answer"})

    def rule(self, user, action):
        from kechuang.agritech.models import ServiceProvider

        if user.role == Role.COMMISSIONER:
            ids = own_commissioner_ids(user)
            if ids is None or action not in self.commissioner_actions:
                return None
            providers = ServiceProvider.objects.filter(commissioners__in=ids).values("pk")
            return models.Q(provider__in=providers)
        return super().rule(user, action)

    @property
    def model(self):
        from kechuang.agritech.models import ServiceRequest

        return ServiceRequest


class StationPolicy(_AgriPolicy):
    region_path = "town__"

    @property
    def model(self):
        from kechuang.agritech.models import Station

        return Station


class VillagePolicy(_AgriPolicy):
    """Villages are core Regions of level 5; staff of the region manage their flags and imports."""

    region_path = ""

    @property
    def model(self):
        from kechuang.core.models import Region

        return Region

    def base_queryset(self):
        from kechuang.core.models import Region

        return Region.objects.filter(level=Region.Level.VILLAGE)


commissioners = CommissionerPolicy()
pairings = PairingPolicy()
logs = ServiceLogPolicy()
requests = ServiceRequestPolicy()
stations = StationPolicy()
villages = VillagePolicy()


def sees_own_service_on_home(user) -> bool:
    return is_commissioner(user) and bool(user.person_id)
