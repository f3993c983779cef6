"""Outcome handler for programmes: an approved talent application (英才计划, a contest) becomes a
TalentAward for the applicant person at the programme's level in the decision's year."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.programmes.outcomes import register_outcome

LEVELS = {"national": "national", "province": "provincial", "city": "municipal", "district": "district"}


def talent_award(*, application, decision, actor, data=None) -> str:
    from kechuang.talent import services
    from kechuang.talent.models import TalentAward

    data = data or {}
    if application.person_id is None:
        raise ValidationError("人才奖项须有申报人。")
    existing = TalentAward.objects.filter(application=application).first()
    if existing:
        return f"已登记{existing.programme_name}{existing.get_result_display()}"
    programme = application.call.programme
    label = programme.type.decision_label
    result = {"推荐": "recommended", "入选": "selected", "入库": "selected"}.get(label, "awarded")
    day = data.get("issued_on") or timezone.localdate(decision.decided_at)
    award = services.award_record(
        actor=actor,
        person=application.person,
        organisation=application.organisation,
        programme_name=programme.name,
        programme=programme,
        application=application,
        level=LEVELS.get(programme.level, "district"),
        year=day.year,
        category=data.get("category", ""),
        rank=data.get("rank", ""),
        result=result,
        note=application.title,
    )
    return f"已登记人才奖项：{award.person}{award.get_result_display()}"


register_outcome("talent_award", talent_award)
