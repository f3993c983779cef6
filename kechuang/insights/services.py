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
    items = [{"organisation": org, "year": year, "source": source, "score": score} for org, score in parsed]
    return sum(changed for _row, changed in official_scores_set(actor=actor, items=items))


def official_score_set(
    *, actor, organisation, year: int, source: str, score: Decimal
) -> tuple[OfficialScore, bool]:
    """One published score of a firm of the actor's region (new or updated; audited). Returns the row and
    whether it was new or changed."""
    item = {"organisation": organisation, "year": year, "source": source, "score": score}
    return official_scores_set(actor=actor, items=[item])[0]


def official_scores_set(*, actor, items: list[dict]) -> list[tuple[OfficialScore, bool]]:
    """`official_score_set` for many scores at once (the import: a fixed number of queries per file): `items`
    are {"organisation", "year", "source", "score"}; stored scores read and locked at once, new ones inserted
    and changed ones updated in bulk, each audited. Returns each row and whether it was new or changed."""
    region = actor.region
    if region is None or not permissions.regions.allows(actor, "import", region):
        raise PermissionDenied("无权导入该地区的官方积分。")
    for item in items:
        organisation = item["organisation"]
        if not organisation.region or not organisation.region.path.startswith(region.path):
            raise ValidationError({"organisation": f"{organisation.name}不是本地区企业。"})
        item["source"] = (item["source"] or "").strip()
        if not item["source"]:
            raise ValidationError({"source": "请填写来源（如：山东省科技厅2023年企业创新积分）。"})
        if item["score"] < 0 or item["score"] >= 100000:
            raise ValidationError({"score": f"积分“{item['score']}”不是有效数字。"})
        item["score"] = item["score"].quantize(Decimal("0.01"))
    wanted = {(item["organisation"].pk, item["year"], item["source"]) for item in items}
    out, new, changed = [], [], []
    with transaction.atomic():
        found = OfficialScore.objects.select_for_update().filter(
            organisation_id__in={k[0] for k in wanted}, year__in={k[1] for k in wanted}
        )
        stored = {k: r for r in found if (k := (r.organisation_id, r.year, r.source)) in wanted}
        for item in items:
            row = stored.get((item["organisation"].pk, item["year"], item["source"]))
            if row is None:
                row = OfficialScore(**item, imported_by=actor)
                new.append(row)
            elif row.score != item["score"]:
                row.organisation = item["organisation"]  # read once: labels its audit event without a query
                row.score, row.imported_by = item["score"], actor
                changed.append(row)
            else:
                out.append((row, False))
                continue
            out.append((row, True))
        try:
            with transaction.atomic():
                OfficialScore.objects.bulk_create(new)
        except IntegrityError:
            raise ValidationError("导入期间有人录入了相同的官方积分，未保存任何数据，请重新导入。") from None
        OfficialScore.objects.bulk_update(changed, ["score", "imported_by"])
        audit.record_many(
            actor=actor,
            entries=[
                ("insights.official_score", row, {"score": row.score, "source": row.source})
                for row, wrote in out
                if wrote
            ],
        )
    return out


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
    item = {"organisation": organisation, "year": year, "values": values, "reported_on": reported_on}
    return firm_years_set(actor=actor, source=source, items=[item | {"expected_version": expected_version}])[
        0
    ]


def firm_years_set(*, actor, source: str, items: list[dict]) -> list[FirmYearFact]:
    """`firm_year_set` for many firms and years at once (the import: a fixed number of queries per file):
    `items` are {"organisation", "year", "values", "reported_on", "expected_version"}; the stored records are
    read and locked at once, written in bulk, each audited."""
    if source not in FirmYearFact.Source.values:
        raise ValidationError({"source": "来源无效。"})
    today = dates.today()
    for item in items:
        if not permissions.firm_years.may_report_for(actor, item["organisation"]):
            raise PermissionDenied("无权填报该企业的创新积分补充数据。")
        unknown = set(item["values"]) - set(FirmYearFact.FIGURES)
        if unknown:
            raise ValidationError(f"未知的字段：{', '.join(sorted(unknown))}")
        if not 2000 <= item["year"] <= today.year:
            raise ValidationError({"year": f"年度应在 2000—{today.year} 之间。"})
        item["reported_on"] = item.get("reported_on") or today
        if item["reported_on"] > today:
            raise ValidationError({"reported_on": "报送日期不能晚于今天。"})
    wanted = {(item["organisation"].pk, item["year"]) for item in items}
    with transaction.atomic():
        found = FirmYearFact.current.select_for_update().filter(
            organisation_id__in={k[0] for k in wanted}, year__in={k[1] for k in wanted}
        )
        stored = {k: f for f in found if (k := (f.organisation_id, f.year)) in wanted}
        out, new, revised, befores = [], [], [], []
        for item in items:
            row = stored.get((item["organisation"].pk, item["year"]))
            expected = item.get("expected_version")
            if expected is not None and expected != (row.version if row else 0):
                raise StaleObject()
            befores.append(None if row is None else {f: getattr(row, f) for f in FirmYearFact.FIGURES})
            if row is None:
                row = FirmYearFact(organisation=item["organisation"], year=item["year"], **item["values"])
                row.recorded_at, row.changed_by = dates.now(), actor
                new.append(row)
            else:
                versions.check_date(row, item["reported_on"])
                row.organisation = item["organisation"]  # read once: labels its audit event without a query
                revised.append((row, item["reported_on"], item["values"]))
            out.append(row)
        versions.revise_many(revised, actor=actor, voided=False)
        for row, item in zip(out, items, strict=True):
            if row.pk is not None:
                row.version += 1
            row.source, row.reported_on, row.submitted_by = source, item["reported_on"], actor
            versions.clean_resolved(row)
        fields = (*FirmYearFact.FIGURES, "source", "reported_on", "submitted_by", "voided", "change_reason")
        versions.save_many(
            FirmYearFact, new, [r for r, *_ in revised], (*fields, "changed_by", "recorded_at")
        )
        audit.record_many(
            actor=actor,
            entries=[
                ("insights.firm_year_set", row, {"before": before,
                                                  "after": {f: getattr(row, f) for f in FirmYearFact.FIGURES}})
                for row, before in zip(out, befores, strict=True)
            ],
        )  # fmt: skip
    return out
