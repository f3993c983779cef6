"""Writes on statistics data: keyword-only, one transaction, validated, audited, optimistic locking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kechuang.core import audit, dates, versions
from kechuang.core.indicators import Period
from kechuang.core.models import Organisation, Region
from kechuang.core.services import StaleObject
from kechuang.statistics import rules, totals
from kechuang.statistics.models import (
    EnterpriseFact,
    FactSource,
    FactStatus,
    RegionFact,
    SubmissionDeadline,
    Target,
)

VALUE_FIELDS = (
    "rd_internal",
    "rd_hnte",
    "rd_super_deduction",
    "has_rd_projects",
    "rd_project_count",
    "operating_revenue",
    "sales_revenue",
    "hightech_income",
    "industrial_output",
    "hightech_output",
    "above_size",
    "staff",
    "st_staff",
    "net_assets",
    "total_assets",
    "total_costs",
)
AUDITED_FIELDS = (*VALUE_FIELDS, "town_id", "status", "source", "reported_on")
VERSION_FIELDS = ("voided", "change_reason")
VERSION_COLUMNS = ("voided", "change_reason", "changed_by", "recorded_at", "reported_on")
REGION_FACT_FIELDS = (
    "gdp",
    "industrial_output_above_size",
    "rd_published",
    "rd_intensity_published",
    "hightech_share_published",
    "status",
    "source",
    "reported_on",
)


def _period_lookup(period: Period) -> dict:
    return {"year": period.year, "quarter": period.quarter, "month": period.month}


@transaction.atomic
def fact_submit(
    *,
    actor,
    organisation: Organisation,
    period: Period,
    values: dict,
    status: str = FactStatus.ESTIMATE,
    source: str = FactSource.ENTERPRISE,
    town: Region | None = None,
    reported_on: dt.date | None = None,
    expected_version: int | None = None,
) -> EnterpriseFact:
    """Create or update one firm's facts for one period.

    `expected_version` is the version the caller saw: 0 = "there was no row", None = "whatever is there
    now" (imports, which read and compare-and-set inside this transaction). A concurrent change between
    reading and writing raises StaleObject and nothing of this call is saved.
    """
    unknown = set(values) - set(VALUE_FIELDS)
    if unknown:
        raise ValidationError(f"未知的统计字段：{', '.join(sorted(unknown))}")
    if period.quarter and period.month:
        raise ValidationError("统计期只能是年度、季度或月份之一。")
    errors = rules.check_fact(values)
    if errors:
        raise ValidationError(errors)
    if status not in FactStatus.values:
        raise ValidationError({"status": "数据状态无效。"})
    existing = EnterpriseFact.current.filter(organisation=organisation, **_period_lookup(period)).first()
    now = dates.now()
    reported_on = reported_on or dates.today()
    if existing is None:
        if expected_version not in (None, 0):
            raise StaleObject()
        fact = EnterpriseFact(
            organisation=organisation,
            town=town or organisation.region,
            status=status,
            source=source,
            reported_on=reported_on,
            submitted_by=actor if getattr(actor, "pk", None) else None,
            submitted_at=now,
            recorded_at=now,
            **_period_lookup(period),
            **values,
        )
        fact.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                fact.save()
        except IntegrityError:
            # Someone created the same period between our read and write: refuse, do not overwrite.
            raise StaleObject() from None
        audit.record(
            actor=actor,
            action="statistics.fact_create",
            obj=fact,
            changes=audit.snapshot(fact, AUDITED_FIELDS),
        )
        totals.refresh([totals.key_of(fact)])
        return fact

    if (
        existing.status == FactStatus.FINAL
        and existing.source == FactSource.BUREAU
        and source == FactSource.ENTERPRISE
    ):
        raise ValidationError("该期数据已由统计部门核定（年报），企业不能修改；如需更正请联系区科技局。")
    if existing.voided and expected_version == 0:
        expected_version = existing.version  # the form saw no row: a voided period is filled in anew
    changes = dict(values)  # only the given fields change; the others keep the stored values
    if town is not None:
        changes["town"] = town
    changes.update(status=status, source=source)
    return _revise(
        actor=actor,
        fact=existing,
        on=reported_on,
        expected_version=expected_version,
        action="statistics.fact_update",
        voided=False,  # a new submission for a voided period counts again, as a new version
        **changes,
    )


def _revise(
    *, actor, fact, on, expected_version, action, reason="", voided=None, **changes
) -> EnterpriseFact:
    """Add a version of `fact` known from `on` (`core.versions.revise`), refusing a concurrent change."""
    if on < fact.reported_on:
        raise ValidationError(
            {
                "reported_on": f"报送日期（{on:%Y-%m-%d}）不能早于该期现有数据的报送日期"
                f"（{fact.reported_on:%Y-%m-%d}）：已计入的历史版本不能改写。"
            }
        )
    version = fact.version if expected_version is None else expected_version
    before = audit.snapshot(fact, AUDITED_FIELDS + VERSION_FIELDS)
    old_key = totals.key_of(fact)  # a change of town moves the fact out of this group
    versions.revise(fact, on=on, actor=actor, reason=reason, voided=voided, **changes)
    fact.submitted_by = actor if getattr(actor, "pk", None) else None
    fact.submitted_at = fact.recorded_at
    fact.full_clean(validate_constraints=False)
    updated = EnterpriseFact.versions.filter(pk=fact.pk, version=version, superseded_on__isnull=True).update(
        **{
            name: getattr(fact, name)
            for name in (*VALUE_FIELDS, "town_id", "status", "source", "reported_on")
        },
        **{name: getattr(fact, name) for name in ("voided", "change_reason", "changed_by", "recorded_at")},
        submitted_by=fact.submitted_by,
        submitted_at=fact.submitted_at,
        version=version + 1,
    )
    if not updated:
        raise StaleObject()
    fact.version = version + 1
    changes = audit.diff(before, audit.snapshot(fact, AUDITED_FIELDS + VERSION_FIELDS))
    audit.record(actor=actor, action=action, obj=fact, changes=changes)
    totals.refresh([old_key, totals.key_of(fact)])
    return fact


@transaction.atomic
def fact_void(*, actor, fact: EnterpriseFact, reason: str, on: dt.date | None = None, expected_version=None):
    """作废: the fact was a mistake and counts for nothing from the start. Figures as of dates before `on` (the
    day it is voided, default today) keep it, as they were known then; nothing is deleted."""
    reason = versions.required_reason(reason)
    if fact.voided:
        raise ValidationError("该数据已作废。")
    return _revise(
        actor=actor,
        fact=fact,
        on=on or dates.today(),
        expected_version=expected_version,
        action="statistics.fact_void",
        reason=reason,
        voided=True,
    )


@transaction.atomic
def fact_correct(
    *,
    actor,
    fact: EnterpriseFact,
    values: dict,
    reason: str,
    on: dt.date | None = None,
    expected_version=None,
) -> EnterpriseFact:
    """更正: new values (only the given fields) counting from `on` (default today), the earlier version kept
    for the dates before; a reason is required."""
    reason = versions.required_reason(reason)
    if fact.voided:
        raise ValidationError("已作废的数据不能更正。")
    unknown = set(values) - set(VALUE_FIELDS) - {"status"}
    if unknown:
        raise ValidationError(f"未知的统计字段：{', '.join(sorted(unknown))}")
    errors = rules.check_fact({**{n: getattr(fact, n) for n in VALUE_FIELDS}, **values})
    if errors:
        raise ValidationError(errors)
    return _revise(
        actor=actor,
        fact=fact,
        on=on or dates.today(),
        expected_version=expected_version,
        action="statistics.fact_correct",
        reason=reason,
        **values,
    )


@transaction.atomic
def region_fact_set(
    *, actor, region: Region, period: Period, expected_version: int | None = None, **fields
) -> RegionFact:
    """Create a region's figures for a period, or add a version (only the given fields change; the earlier
    version keeps counting as of dates before the new `reported_on`, default today)."""
    item = {"region": region, "period": period, "expected_version": expected_version, "fields": fields}
    return region_facts_set(actor=actor, items=[item])[0]


def _period_key(region_id: int, period: Period) -> tuple:
    return (region_id, period.year, period.quarter, period.month)


@transaction.atomic
def region_facts_set(*, actor, items: list[dict]) -> list[RegionFact]:
    """`region_fact_set` for many regions and periods at once (the import: a fixed number of queries per
    file): `items` are {"region", "period", "fields", "expected_version" (optional)}. The stored rows are read
    and locked at once; new ones are inserted and revised ones written in bulk, each audited."""
    for item in items:
        unknown = set(item["fields"]) - set(REGION_FACT_FIELDS)
        if unknown:
            raise ValidationError(f"未知的区域统计字段：{', '.join(sorted(unknown))}")
        for name in ("gdp", "industrial_output_above_size", "rd_published", "rd_intensity_published"):
            if item["fields"].get(name) is not None and item["fields"][name] < 0:
                raise ValidationError({name: "区域统计数据不能为负数。"})
    wanted = {_period_key(item["region"].pk, item["period"]) for item in items}
    found = RegionFact.current.select_for_update().filter(
        region_id__in={k[0] for k in wanted}, year__in={k[1] for k in wanted}
    )
    stored = {k: f for f in found if (k := (f.region_id, f.year, f.quarter, f.month)) in wanted}
    today, now = dates.today(), dates.now()
    out, new, revised, entries = [], [], [], []
    for item in items:
        region, period, fields = item["region"], item["period"], dict(item["fields"])
        existing = stored.get(_period_key(region.pk, period))
        if existing is None:
            fields.setdefault("reported_on", today)
            fact = RegionFact(region=region, **_period_lookup(period), **fields, recorded_at=now)
            versions.clean_resolved(fact)
            new.append(fact)
            out.append(fact)
            continue
        on = fields.pop("reported_on", None) or max(today, existing.reported_on)
        if on < existing.reported_on:
            raise ValidationError(
                {"reported_on": "发布日期不能早于该期现有数据的发布日期：已计入的历史版本不能改写。"}
            )
        if item.get("expected_version") is not None and item["expected_version"] != existing.version:
            raise StaleObject()
        existing.region = region  # the instance read once: labels its audit event without a query
        revised.append((existing, on, fields, audit.snapshot(existing, REGION_FACT_FIELDS)))
        out.append(existing)
    versions.revise_many([(f, on, fields) for f, on, fields, _ in revised], actor=actor, voided=False)
    for fact, *_ in revised:
        versions.clean_resolved(fact)
        fact.version += 1
    versions.save_many(RegionFact, new, [f for f, *_ in revised], (*REGION_FACT_FIELDS, *VERSION_COLUMNS))
    for fact in new:
        entries.append(("statistics.region_fact_create", fact, audit.snapshot(fact, REGION_FACT_FIELDS)))
    for fact, _on, _fields, before in revised:
        after = audit.snapshot(fact, REGION_FACT_FIELDS)
        entries.append(("statistics.region_fact_update", fact, audit.diff(before, after)))
    audit.record_many(actor=actor, entries=entries)
    return out


@transaction.atomic
def target_set(
    *,
    actor,
    region: Region,
    year: int,
    indicator: str,
    value: Decimal,
    note: str = "",
    recorded_on: dt.date | None = None,
) -> Target:
    """Set a yearly target. The first one counts from `recorded_on`, by default the start of its year (targets
    are issued then; one entered late is still the year's target); a change adds a version counting from
    `recorded_on`, by default today, and figures as of earlier dates keep the earlier target."""
    item = {"region": region, "year": year, "indicator": indicator, "value": value, "note": note}
    return targets_set(actor=actor, items=[item | {"recorded_on": recorded_on}])[0]


@transaction.atomic
def targets_set(*, actor, items: list[dict]) -> list[Target]:
    """`target_set` for many targets at once (the import: a fixed number of queries per file): `items` are
    {"region", "year", "indicator", "value", "note", "recorded_on"}; stored targets read and locked at once,
    written in bulk, each audited."""
    from kechuang.core import indicators

    for item in items:
        try:
            indicators.get(item["indicator"])
        except KeyError as exc:
            raise ValidationError({"indicator": str(exc.args[0])}) from None
    wanted = {(item["region"].pk, item["year"], item["indicator"]) for item in items}
    found = Target.current.select_for_update().filter(
        region_id__in={k[0] for k in wanted}, year__in={k[1] for k in wanted}
    )
    stored = {k: t for t in found if (k := (t.region_id, t.year, t.indicator)) in wanted}
    today, now = dates.today(), dates.now()
    out, new, revised, befores = [], [], [], []
    for item in items:
        region, year, value, note = item["region"], item["year"], item["value"], item.get("note", "")
        target = stored.get((region.pk, year, item["indicator"]))
        recorded_on = item.get("recorded_on")
        if recorded_on is None:
            recorded_on = today if target is not None else min(today, dt.date(year, 1, 1))
        item["recorded_on"] = recorded_on
        befores.append(None if target is None else {"value": target.value, "note": target.note})
        if target is None:
            target = Target(region=region, year=year, indicator=item["indicator"], value=value, note=note)
            target.recorded_on, target.recorded_at = recorded_on, now
            versions.clean_resolved(target)
            new.append(target)
        else:
            if recorded_on < target.recorded_on:
                raise ValidationError({"recorded_on": "下达日期不能早于现有目标的下达日期。"})
            target.region = region  # the instance read once: labels its audit event without a query
            revised.append((target, recorded_on, {"value": value, "note": note}))
        out.append(target)
    versions.revise_many(revised, actor=actor, voided=False)
    for target, *_ in revised:
        target.version += 1
        versions.clean_resolved(target)
    versions.save_many(
        Target, new, [t for t, *_ in revised], ("value", "note", "recorded_on", *VERSION_COLUMNS[:4])
    )
    audit.record_many(
        actor=actor,
        entries=[
            ("statistics.target_set", target, {"before": before, "after": {
                "value": item["value"], "note": item.get("note", ""), "recorded_on": item["recorded_on"]}})
            for target, before, item in zip(out, befores, items, strict=True)
        ],
    )  # fmt: skip
    return out


@transaction.atomic
def deadline_set(
    *, actor, region: Region, period: Period, due_on: dt.date, note: str = ""
) -> SubmissionDeadline:
    deadline, created = SubmissionDeadline.objects.update_or_create(
        region=region, **_period_lookup(period), defaults={"due_on": due_on, "note": note}
    )
    deadline.full_clean()
    audit.record(
        actor=actor,
        action="statistics.deadline_set",
        obj=deadline,
        changes={"period": str(period), "due_on": due_on, "created": created},
    )
    return deadline


@transaction.atomic
def remind_missing(*, actor, deadline: SubmissionDeadline, today: dt.date | None = None) -> int:
    """Notify the users of every firm in the deadline's region that has not reported the period.

    Returns the number of firms reminded. Sends nothing for firms that already reported.
    """
    from django.urls import reverse

    from kechuang.accounts.models import User
    from kechuang.core.roles import Role
    from kechuang.notifications.services import notify
    from kechuang.statistics.selectors import missing_firms

    firms = list(missing_firms(deadline))
    users = list(
        User.objects.filter(role=Role.ENTERPRISE, is_active=True, organisation__in=firms).select_related(
            "organisation"
        )
    )
    today = today or dates.today()
    overdue = "已逾期，" if today > deadline.due_on else ""
    notify(
        users=users,
        kind="statistics.reminder",
        title=f"请报送{deadline.period_label}统计数据",
        body=f"{overdue}{deadline.period_label}研发投入、产值等统计数据的报送截止日期为{deadline.due_on:%Y年%m月%d日}，贵单位尚未报送，请尽快在线填报。",
        url=reverse("statistics:fact_edit") + f"?period={deadline.period}",
    )
    SubmissionDeadline.objects.filter(pk=deadline.pk).update(last_reminded_at=dates.now())
    audit.record(
        actor=actor,
        action="statistics.remind",
        obj=deadline,
        changes={"firms": [f.pk for f in firms], "users": [u.pk for u in users]},
    )
    return len(firms)
