"""Writes on achievements and awards, audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.achievements.models import Achievement, Award
from kechuang.core import audit
from kechuang.core.kit import save_edit
from kechuang.core.services import attachment_store


def _evidence(actor, files, organisation):
    return [
        attachment_store(
            actor=actor, data=data, original_name=name, kind="achievement_evidence", organisation=organisation
        )
        for data, name in files
    ]


def _check_year(year: int, on: dt.date | None):
    if on and on.year != year:
        raise ValidationError({"recognised_on": "登记日期须在所填年度内。"})


@transaction.atomic
def achievement_record(
    *,
    actor,
    title: str,
    organisation,
    level: str,
    year: int,
    recognised_on: dt.date | None = None,
    field_code: str = "",
    project_name: str = "",
    application=None,
    summary: str = "",
    is_published: bool = False,
    files=(),
) -> Achievement:
    _check_year(year, recognised_on)
    if organisation.kind == "foreign":
        raise ValidationError({"organisation": "科技成果须登记到境内完成单位。"})
    if Achievement.objects.filter(
        title=title.strip(), organisation=organisation, year=year, level=level
    ).exists():
        raise ValidationError("该单位同年度同级别已登记同名成果。")
    a = Achievement(
        title=title.strip(),
        organisation=organisation,
        level=level,
        year=year,
        recognised_on=recognised_on,
        field_code=field_code,
        project_name=project_name,
        application=application,
        summary=summary,
        is_published=is_published,
    )
    a.full_clean()
    a.save()
    a.evidence.set(_evidence(actor, files, organisation))
    audit.record(
        actor=actor,
        action="achievement.record",
        obj=a,
        changes=audit.snapshot(
            a, ["title", "organisation_id", "level", "year", "project_name", "is_published"]
        ),
    )
    return a


@transaction.atomic
def award_record(
    *,
    actor,
    name: str,
    organisation,
    level: str,
    year: int,
    grade: str = Award.Grade.OTHER,
    achievement: Achievement | None = None,
    project_name: str = "",
    is_published: bool = False,
    files=(),
) -> Award:
    if achievement is not None and achievement.organisation_id != organisation.pk:
        raise ValidationError({"achievement": "获奖成果须属于获奖单位。"})
    award = Award(
        name=name.strip(),
        organisation=organisation,
        level=level,
        year=year,
        grade=grade,
        achievement=achievement,
        project_name=project_name or (achievement.title if achievement else ""),
        is_published=is_published,
    )
    award.full_clean()
    award.save()
    award.evidence.set(_evidence(actor, files, organisation))
    audit.record(
        actor=actor,
        action="award.record",
        obj=award,
        changes=audit.snapshot(
            award, ["name", "organisation_id", "level", "year", "grade", "achievement_id"]
        ),
    )
    return award


def _add_evidence(actor, obj, files, action):
    if files:
        added = _evidence(actor, files, obj.organisation)
        obj.evidence.add(*added)
        audit.record(
            actor=actor, action=action, obj=obj, changes={"evidence": [a.original_name for a in added]}
        )


@transaction.atomic
def achievement_update(*, actor, achievement: Achievement, version: int, files=(), **values) -> Achievement:
    """Edit an achievement (audited diff, compare-and-set on version); new evidence files are added."""

    def check(a):
        _check_year(a.year, a.recognised_on)
        if a.organisation.kind == "foreign":
            raise ValidationError({"organisation": "科技成果须登记到境内完成单位。"})
        twin = Achievement.objects.filter(
            title=a.title, organisation=a.organisation, year=a.year, level=a.level
        )
        if twin.exclude(pk=a.pk).exists():
            raise ValidationError("该单位同年度同级别已登记同名成果。")

    a = save_edit(
        actor=actor, obj=achievement, version=version, action="achievement.update", values=values, check=check
    )
    _add_evidence(actor, a, files, "achievement.evidence_add")
    return a


@transaction.atomic
def award_update(*, actor, award: Award, version: int, files=(), **values) -> Award:
    def check(w):
        if w.achievement is not None and w.achievement.organisation_id != w.organisation_id:
            raise ValidationError({"achievement": "获奖成果须属于获奖单位。"})

    w = save_edit(actor=actor, obj=award, version=version, action="award.update", values=values, check=check)
    _add_evidence(actor, w, files, "award.evidence_add")
    return w
