"""Outcome handler for programmes: an approved 平台称号 application lands here. A 认定/备案 decision
recognises the platform; a 推荐 decision (recommended upward, e.g. to the province) registers it as
申报中 at the target level, so the recognition can be recorded when the higher level decides."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.programmes.outcomes import register_outcome

LEVELS = {"national": "national", "province": "provincial", "city": "municipal", "district": "district"}


def kind_of(application, data: dict) -> str:
    """The platform kind: stated in the decision data or application, else named by the programme."""
    from kechuang.platforms.models import Kind

    kind = data.get("kind") or application.data.get("platform_kind") or ""
    if kind in Kind.values:
        return kind
    programme = application.call.programme
    text = f"{programme.type.name}{programme.name}"
    for value, label in Kind.choices:
        if label in text:
            return value
    raise ValidationError("无法确定平台类型：请在决定中注明平台类型。")


def platform_title(*, application, decision, actor, data=None) -> str:
    from kechuang.platforms import services
    from kechuang.platforms.models import Platform

    data = data or {}
    if application.organisation_id is None:
        raise ValidationError("平台称号只能授予单位。")
    kind = kind_of(application, data)
    day = data.get("issued_on") or timezone.localdate(decision.decided_at)
    programme = application.call.programme
    level = LEVELS.get(programme.level, "district")
    recommended = programme.type.decision_label == "推荐"
    document = data.get("number") or f"{application.call}{programme.type.decision_label}"
    existing = (
        Platform.objects.filter(operator_id=application.organisation_id, kind=kind)
        .exclude(status="revoked")
        .first()
    )
    if existing and existing.status in ("recognised", "evaluated") and existing.level == level:
        return f"{existing.name}已是{existing.get_level_display()}{existing.get_kind_display()}"
    if existing is None:
        existing = services.platform_create(
            actor=actor,
            name=application.title,
            kind=kind,
            level=level,
            operator=application.organisation,
            region=application.organisation.region or programme.region,
            description=f"来自申报：{application.call}",
            registered_on=day,
        )
    elif existing.level != level:
        existing = services.platform_set_level(
            actor=actor, platform=existing, level=level, on=day, document=document
        )
        if existing.status in ("recognised", "evaluated"):
            return f"已变更为{existing.get_level_display()}{existing.get_kind_display()}"
    if recommended:
        return f"已登记申报中的{existing.get_level_display()}{existing.get_kind_display()}"
    services.platform_transition(actor=actor, platform=existing, to="recognised", on=day, document=document)
    return f"已认定{existing.get_level_display()}{existing.get_kind_display()}"


register_outcome("platform", platform_title)
