"""The programmes outcome handler: an approved application of a "project" programme becomes a plan project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.core.models import Organisation
from kechuang.projects import rules


def project_from_application(*, application, decision, actor, data=None) -> str:
    from kechuang.projects import services

    data = data or {}
    form = application.data or {}
    if application.organisation_id is None:
        raise ValidationError("立项结果只能写入承担单位（企业或机构）。")
    programme = application.call.programme
    try:
        total = Decimal(str(form.get("budget") or "0"))
        starts_on = dt.date.fromisoformat(
            str(data.get("starts_on") or form.get("start") or timezone.localdate(decision.decided_at))
        )
    except (InvalidOperation, ValueError):
        raise ValidationError("申报书中的总投资或开始日期无效，无法立项。") from None
    fiscal = (
        Decimal(str(data["fiscal"])) if data.get("fiscal") not in (None, "") else rules.default_support(total)
    )
    years = int(data.get("years") or 2)
    ends_on = starts_on.replace(year=starts_on.year + years) - dt.timedelta(days=1)
    partner_name = str(form.get("partner") or "").strip()
    partners = list(Organisation.objects.filter(name=partner_name)[:1]) if partner_name else []
    level_field = {
        "district": "fiscal_district",
        "city": "fiscal_city",
        "province": "fiscal_province",
        "national": "fiscal_national",
    }
    project = services.project_register(
        actor=actor,
        region=programme.region,
        name=application.title,
        level=programme.level,
        plan_name=programme.name,
        school_city=programme.type.code == "school_city",
        undertaking_unit=application.organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        year=timezone.localdate(decision.decided_at).year,
        goals=str(form.get("goals") or ""),
        partners=partners,
        application=application,
        **{level_field[programme.level]: fiscal, "self_raised": max(total - fiscal, Decimal("0.00"))},
    )
    return f"已立项为计划项目 {project.number}"
