"""Writes of the insights module: resolving radar entries and importing official scores (audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kechuang.core import audit
from kechuang.core.indicators import Period
from kechuang.core.models import Organisation
from kechuang.insights import permissions
from kechuang.insights.models import OfficialScore, RadarResolution
from kechuang.insights.rules.radar import ANOMALIES, GAPS


def radar_resolve(
    *, actor, deadline, organisation: Organisation, code: str, outcome: str, reason: str, on: dt.date
) -> RadarResolution:
    """Settle one radar entry of `deadline`'s period with an outcome and a reason."""
    if not permissions.radar.allows(actor, "resolve", deadline):
        raise PermissionDenied("无权处理该地区的应统尽统线索。")
    kind, _, name = code.partition(":")
    if not ((kind == "gap" and name in GAPS) or (kind == "anomaly" and name in ANOMALIES)):
        raise ValidationError({"code": "线索类型不正确。"})
    if not organisation.region or not organisation.region.path.startswith(deadline.region.path):
        raise ValidationError({"organisation": "该企业不在本报送日历的地区内。"})
    period: Period = deadline.period
    resolution = RadarResolution(
        organisation=organisation,
        year=period.year,
        quarter=period.quarter,
        month=period.month,
        code=code,
        outcome=outcome,
        reason=(reason or "").strip(),
        resolved_on=on,
        resolved_by=actor,
    )
    if not resolution.reason:
        raise ValidationError({"reason": "请填写处理说明。"})
    resolution.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            resolution.save()
            audit.record(
                actor=actor,
                action="insights.radar_resolve",
                obj=resolution,
                changes={"code": code, "outcome": outcome, "reason": resolution.reason},
            )
    except IntegrityError:
        raise ValidationError("该线索已处理过，请刷新页面。") from None
    return resolution


def official_scores_import(*, actor, region, year: int, source: str, rows: list[tuple[str, str]]) -> int:
    """Official scores (credit code, score) published for `year`: all rows or none; returns how many were
    new or changed. Firms outside the actor's region and unparsable scores are refused with the line number."""
    if not permissions.regions.allows(actor, "import", region):
        raise PermissionDenied("无权导入该地区的官方积分。")
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": "请填写来源（如：山东省科技厅2023年企业创新积分）。"})
    firms = {
        o.credit_code: o
        for o in Organisation.objects.filter(
            kind=Organisation.Kind.ENTERPRISE, region__path__startswith=region.path
        )
    }
    errors, parsed = [], []
    for line, (code, text) in enumerate(rows, start=1):
        org = firms.get(code.strip().upper())
        try:
            score = Decimal(text.strip())
        except (InvalidOperation, AttributeError):
            score = None
        if org is None:
            errors.append(f"第{line}行：统一社会信用代码 {code} 不是本地区企业")
        elif score is None or score < 0 or score >= 100000:
            errors.append(f"第{line}行：积分“{text}”不是有效数字")
        else:
            parsed.append((org, score.quantize(Decimal("0.01"))))
    if errors:
        raise ValidationError(errors)
    changed = 0
    with transaction.atomic():
        for org, score in parsed:
            row, created = OfficialScore.objects.get_or_create(
                organisation=org, year=year, source=source, defaults={"score": score, "imported_by": actor}
            )
            if not created and row.score != score:
                row.score, row.imported_by = score, actor
                row.save(update_fields=["score", "imported_by"])
            elif not created:
                continue  # unchanged
            changed += 1
            audit.record(
                actor=actor,
                action="insights.official_score",
                obj=row,
                changes={"score": score, "source": source},
            )
    return changed
