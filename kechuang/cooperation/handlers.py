"""Outcome handler for programmes: an approved 校城融合 project application becomes a CooperationProject
when the application names its partner institute (data["partner"] = organisation id or name)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.programmes.outcomes import register_outcome


def school_city_project(*, application, decision, actor, data=None) -> str:
    """Registered by programme-type code, so it runs instead of the generic 'project' handler; it calls
    that handler too (when the projects module registers one) so both records are written."""
    from kechuang.programmes.outcomes import registered

    generic = registered().get(application.call.programme.type.outcome_kind)
    parts = (
        [generic(application=application, decision=decision, actor=actor, data=data) or ""] if generic else []
    )
    parts.append(_cooperation_project(application=application, decision=decision, actor=actor, data=data))
    return "；".join(p for p in parts if p)


def _cooperation_project(*, application, decision, actor, data=None) -> str:
    from kechuang.cooperation import services
    from kechuang.cooperation.models import CooperationProject
    from kechuang.core.models import Organisation

    data = {**application.data, **(data or {})}
    ref = data.get("partner")
    if not ref:
        return ""
    partner = (
        Organisation.objects.filter(pk=ref).first()
        if str(ref).isdigit()
        else Organisation.objects.filter(name=str(ref)).first()
    )
    if partner is None:
        raise ValidationError(f"找不到合作单位：{ref}")
    if CooperationProject.objects.filter(application=application).exists():
        return "校城融合项目已登记"
    try:
        amount = Decimal(str(data.get("amount") or "0"))
    except InvalidOperation:
        amount = Decimal("0")
    services.project_record(
        actor=actor,
        title=application.title,
        organisation=application.organisation,
        partner=partner,
        year=timezone.localdate(decision.decided_at).year,
        amount=amount,
        application=application,
    )
    return f"已登记校城融合项目（合作单位：{partner.name}）"


register_outcome("school_city", school_city_project)
