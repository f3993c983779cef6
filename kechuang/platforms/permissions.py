"""Who sees which carriers: staff manage and leaders view within their region; an enterprise sees the
platforms it operates or belongs to; the public sees published platforms only."""

from __future__ import annotations

from django.db import models

from kechuang.core.permissions import CarrierPolicy, PublishedPolicy
from kechuang.core.roles import Role


class PlatformPolicy(CarrierPolicy):
    def rule(self, user, action):
        if user.role == Role.ENTERPRISE and action == "view" and user.organisation_id:
            return models.Q(operator_id=user.organisation_id) | models.Q(
                pk__in=models.Subquery(
                    _membership().objects.filter(organisation_id=user.organisation_id).values("platform_id")
                )
            )
        return super().rule(user, action)

    @property
    def model(self):
        from kechuang.platforms.models import Platform

        return Platform


def _membership():
    from kechuang.platforms.models import Membership

    return Membership


class PublicPlatformPolicy(PublishedPolicy):
    @property
    def model(self):
        from kechuang.platforms.models import Platform

        return Platform


platforms = PlatformPolicy()
public_platforms = PublicPlatformPolicy()
