"""Writes on statistics data: keyword-only, one transaction, validated, audited, optimistic locking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kechuang.core import audit, dates
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
    existing = EnterpriseFact.objects.filter(organisation=organisation, **_period_lookup(period)).first()
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
    version = existing.version if expected_version is None else expected_version
    before = audit.snapshot(existing, AUDITED_FIELDS)
    old_key = totals.key_of(existing)  # a change of town moves the fact out of this group
    for name, value in values.items():
        setattr(existing, name, value)
    if town is not None:
        existing.town = town
    existing.status, existing.source, existing.reported_on = status, source, reported_on
    existing.submitted_by = actor if getattr(actor, "pk", None) else None
    existing.submitted_at = now
    existing.full_clean(validate_constraints=False)
    updated = EnterpriseFact.objects.filter(pk=existing.pk, version=version).update(
        **{
            name: getattr(existing, name)
            for name in (*VALUE_FIELDS, "town_id", "status", "source", "reported_on")
        },
        submitted_by=existing.submitted_by,
        submitted_at=now,
        version=version + 1,
    )
    if not updated:
        raise StaleObject()
    existing.version = version + 1
    changes = audit.diff(before, audit.snapshot(existing, AUDITED_FIELDS))
    audit.record(actor=actor, action="statistics.fact_update", obj=existing, changes=changes)
    totals.refresh([old_key, totals.key_of(existing)])
    return existing


@transaction.atomic
def region_fact_set(
    *, actor, region: Region, period: Period, expected_version: int | None = None, **fields
) -> RegionFact:
    unknown = set(fields) - set(REGION_FACT_FIELDS)
    if unknown:
        raise ValidationError(f"未知的区域统计字段：{', '.join(sorted(unknown))}")
    for name in ("gdp", "industrial_output_above_size", "rd_published", "rd_intensity_published"):
        if fields.get(name) is not None and fields[name] < 0:
            raise ValidationError({name: "区域统计数据不能为负数。"})
    existing = RegionFact.objects.filter(region=region, **_period_lookup(period)).first()
    if existing is None:
        fact = RegionFact(region=region, **_period_lookup(period), **fields)
        fact.full_clean()
        fact.save()
        audit.record(
            actor=actor,
            action="statistics.region_fact_create",
            obj=fact,
            changes=audit.snapshot(fact, REGION_FACT_FIELDS),
        )
        return fact
    before = audit.snapshot(existing, REGION_FACT_FIELDS)
    version = existing.version if expected_version is None else expected_version
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.full_clean(validate_constraints=False)
    if not RegionFact.objects.filter(pk=existing.pk, version=version).update(
        **{n: getattr(existing, n) for n in REGION_FACT_FIELDS}, version=version + 1
    ):
        raise StaleObject()
    existing.version = version + 1
    audit.record(
        actor=actor,
        action="statistics.region_fact_update",
        obj=existing,
        changes=audit.diff(before, audit.snapshot(existing, REGION_FACT_FIELDS)),
    )
    return existing


@transaction.atomic
def target_set(*, actor, region: Region, year: int, indicator: str, value: Decimal, note: str = "") -> Target:
    from kechuang.core import indicators

    try:
        indicators.get(indicator)
    except KeyError as exc:
        raise ValidationError({"indicator": str(exc.args[0])}) from None
    before = (
        Target.objects.filter(region=region, year=year, indicator=indicator).values("value", "note").first()
    )
    target, _ = Target.objects.update_or_create(
        region=region, year=year, indicator=indicator, defaults={"value": value, "note": note}
    )
    target.full_clean()
    audit.record(
        actor=actor,
        action="statistics.target_set",
        obj=target,
        changes={"before": before, "after": {"value": value, "note": note}},
    )
    return target


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
    from kechuang.accounts.roles import Role
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
