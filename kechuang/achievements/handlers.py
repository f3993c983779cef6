"""Outcome handler for programmes: an approved 科技成果 application is registered as an achievement at
the programme's level in the decision's year, linked to the application."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.programmes.outcomes import register_outcome

LEVELS = {"national": "national", "province": "provincial", "city": "municipal", "district": "district"}


def achievement_outcome(*, application, decision, actor, data=None) -> str:
    from kechuang.achievements import services
    from kechuang.achievements.models import Achievement

    if application.organisation_id is None:
        raise ValidationError("科技成果须登记到完成单位。")
    day = (data or {}).get("issued_on") or timezone.localdate(decision.decided_at)
    level = LEVELS.get(application.call.programme.level, "district")
    existing = Achievement.objects.filter(application=application).first()
    if existing:
        return f"已登记{existing.get_level_display()}科技成果"
    a = services.achievement_record(
        actor=actor,
        title=application.title,
        organisation=application.organisation,
        level=level,
        year=day.year,
        recognised_on=day,
        field_code=application.field_code,
        application=application,
        summary=str(application.data.get("summary", ""))[:2000],
    )
    return f"已登记{a.get_level_display()}科技成果"


register_outcome("achievement", achievement_outcome)
