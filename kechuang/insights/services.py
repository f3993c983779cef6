"""Writes of the insights module: resolving radar entries, importing official scores, and the firms' yearly
score figures (self-report or staff; versioned) — all audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kechuang.core import audit, dates, versions
from kechuang.core.indicators import Period
from kechuang.core.models import Organisation
from kechuang.core.services import StaleObject
from kechuang.insights import permissions
from kechuang.insights.models import FirmYearFact, OfficialScore, RadarResolution
from kechuang.insights.rules.radar import ANOMALIES, GAPS, LEADS


def radar_resolve(
    *, actor, deadline, organisation: Organisation, code: str, outcome: str, reason: str, on: dt.date
) -> RadarResolution:
    """Settle one radar entry of `deadline`'s period with an outcome and a reason."""
    if not permissions.radar.allows(actor, "resolve", deadline):
        raise PermissionDenied("无权处理该地区的应统尽统线索。")
    kind, _, name = code.partition(":")
    if not {"gap": GAPS, "anomaly": ANOMALIES, "lead": LEADS}.get(kind, {}).get(name):
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
    with transaction.atomic():
        return sum(
            official_score_set(actor=actor, organisation=org, year=year, source=source, score=score)[1]
            for org, score in parsed
        )


def official_score_set(
    *, actor, organisation, year: int, source: str, score: Decimal
) -> tuple[OfficialScore, bool]:
    """One published score of a firm of the actor's region (new or updated; audited). Returns the row and
    whether it was new or changed."""
    region = actor.region
    if region is None or not permissions.regions.allows(actor, "import", region):
        raise PermissionDenied("无权导入该地区的官方积分。")
    if not organisation.region or not organisation.region.path.startswith(region.path):
        raise ValidationError({"organisation": f"{organisation.name}不是本地区企业。"})
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": "请填写来源（如：山东省科技厅2023年企业创新积分）。"})
    if score < 0 or score >= 100000:
        raise ValidationError({"score": f"积分“{score}”不是有效数字。"})
    score = score.quantize(Decimal("0.01"))
    with transaction.atomic():
        row, created = OfficialScore.objects.get_or_create(
            organisation=organisation,
            year=year,
            source=source,
            defaults={"score": score, "imported_by": actor},
        )
        if not created and row.score == score:
            return row, False
        if not created:
            row.score, row.imported_by = score, actor
            row.save(update_fields=["score", "imported_by"])
        audit.record(
            actor=actor, action="insights.official_score", obj=row, changes={"score": score, "source": source}
        )
    return row, True


def firm_year_source(user, organisation) -> str:
    """Who reports: the firm itself (企业自报) or staff entering what it sent."""
    own = permissions.is_own_firm(user, organisation)
    return FirmYearFact.Source.FIRM if own else FirmYearFact.Source.STAFF


def firm_year_set(
    *,
    actor,
    organisation: Organisation,
    year: int,
    values: dict,
    source: str,
    reported_on: dt.date | None = None,
    expected_version: int | None = None,
) -> FirmYearFact:
    """Create a firm's yearly score figures, or add a version counting from `reported_on` (default today):
    only the figures in `values` change (None clears one). `expected_version`: the version the form saw
    (0 = none yet; None = whatever is there, for imports)."""
    if not permissions.firm_years.may_report_for(actor, organisation):
        raise PermissionDenied("无权填报该企业的创新积分补充数据。")
    unknown = set(values) - set(FirmYearFact.FIGURES)
    if unknown:
        raise ValidationError(f"未知的字段：{', '.join(sorted(unknown))}")
    if source not in FirmYearFact.Source.values:
        raise ValidationError({"source": "来源无效。"})
    today = dates.today()
    if not 2000 <= year <= today.year:
        raise ValidationError({"year": f"年度应在 2000—{today.year} 之间。"})
    reported_on = reported_on or today
    if reported_on > today:
        raise ValidationError({"reported_on": "报送日期不能晚于今天。"})
    with transaction.atomic():
        stored = FirmYearFact.current.select_for_update().filter(organisation=organisation, year=year).first()
        if expected_version is not None and expected_version != (stored.version if stored else 0):
            raise StaleObject()
        before = None if stored is None else {f: getattr(stored, f) for f in FirmYearFact.FIGURES}
        if stored is None:
            row = FirmYearFact(organisation=organisation, year=year, **values)
            row.recorded_at, row.changed_by = dates.now(), actor
        else:
            versions.check_date(stored, reported_on)
            row = versions.revise(stored, on=reported_on, actor=actor, voided=False, **values)
            row.version += 1
        row.source, row.reported_on, row.submitted_by = source, reported_on, actor
        row.full_clean(validate_constraints=False)
        row.save()
        audit.record(
            actor=actor,
            action="insights.firm_year_set",
            obj=row,
            changes={"before": before, "after": {f: getattr(row, f) for f in FirmYearFact.FIGURES}},
        )
    return row
