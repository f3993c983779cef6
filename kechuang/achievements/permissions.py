"""Staff of the region manage achievements; leaders view; a firm sees its own; the public sees published."""

from kechuang.core.permissions import CarrierPolicy, PublishedPolicy


class AchievementPolicy(CarrierPolicy):
    region_path = "organisation__region__"
    organisation_field = "organisation_id"

    @property
    def model(self):
        from kechuang.achievements.models import Achievement

        return Achievement


class AwardPolicy(AchievementPolicy):
    @property
    def model(self):
        from kechuang.achievements.models import Award

        return Award


class PublicAchievementPolicy(PublishedPolicy):
    @property
    def model(self):
        from kechuang.achievements.models import Achievement

        return Achievement


achievements = AchievementPolicy()
awards = AwardPolicy()
public_achievements = PublicAchievementPolicy()
