"""Writes of the talent module, audited. Experts themselves are created by programmes.services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from kechuang.core import audit
from kechuang.core.kit import save_edit
from kechuang.core.permissions import is_firm_user
from kechuang.core.services import StaleObject, person_create
from kechuang.core.workflow import Workflow, chain
from kechuang.talent.models import (
    ExpertProfile,
    ForeignExpert,
    ForeignExpertDemand,
    ForeignExpertProject,
    Nomination,
    TalentAward,
)


@transaction.atomic
def profile_update(
    *, actor, expert, expertise: str, availability: str, available_note: str = ""
) -> ExpertProfile:
    profile, created = ExpertProfile.objects.get_or_create(expert=expert)
    before = audit.snapshot(profile, ["expertise", "availability", "available_note"])
    profile.expertise, profile.availability, profile.available_note = (
        expertise.strip(),
        availability,
        available_note,
    )
    profile.full_clean()
    if not created:
        changed = ExpertProfile.objects.filter(pk=profile.pk, version=profile.version).update(
            expertise=profile.expertise,
            availability=availability,
            available_note=available_note,
            version=profile.version + 1,
        )
        if not changed:
            raise StaleObject()
        profile.version += 1
    else:
        profile.save()
    after = audit.snapshot(profile, ["expertise", "availability", "available_note"])
    audit.record(actor=actor, action="expert.profile_update", obj=expert, changes=audit.diff(before, after))
    return profile


@transaction.atomic
def award_record(
    *,
    actor,
    person,
    programme_name: str,
    year: int,
    organisation=None,
    category: str = "",
    rank: str = "",
    result: str = TalentAward.Result.AWARDED,
    level: str = "municipal",
    programme=None,
    application=None,
    note: str = "",
) -> TalentAward:
    if TalentAward.objects.filter(
        person=person, programme_name=programme_name.strip(), year=year, result=result, category=category
    ).exists():
        raise ValidationError("该人才同年度同一项目的结果已登记。")
    award = TalentAward(
        person=person,
        organisation=organisation,
        programme_name=programme_name.strip(),
        programme=programme,
        application=application,
        level=level,
        year=year,
        category=category,
        rank=rank,
        result=result,
        note=note,
    )
    award.full_clean()
    award.save()
    audit.record(
        actor=actor,
        action="talent_award.record",
        obj=award,
        changes=audit.snapshot(
            award, ["person_id", "organisation_id", "programme_name", "year", "category", "rank", "result"]
        ),
    )
    return award


@transaction.atomic
def foreign_expert_register(
    *, actor, person, field: str, region, field_code="", employer=None, expertise=""
) -> ForeignExpert:
    if person.nationality in ("", "中国"):
        raise ValidationError({"person": "外国专家须为外国国籍人员，请先在人员信息中填写国籍。"})
    fe = ForeignExpert(
        person=person,
        field=field,
        field_code=field_code,
        employer=employer,
        expertise=expertise,
        region=region,
    )
    fe.full_clean()
    fe.save()
    audit.record(
        actor=actor,
        action="foreign_expert.register",
        obj=fe,
        changes={"person": person.pk, "nationality": person.nationality, "field": field},
    )
    return fe


def _may_edit_demand(actor, demand: ForeignExpertDemand) -> bool:
    if is_firm_user(actor):
        return actor.organisation_id == demand.organisation_id
    return True


@transaction.atomic
def demand_submit(
    *, actor, organisation, need: str, field: str, duration_months: int, year: int
) -> ForeignExpertDemand:
    if is_firm_user(actor) and actor.organisation_id != organisation.pk:
        raise ValidationError("企业只能填报本企业的需求。")
    if not 1 <= duration_months <= 120:
        raise ValidationError({"duration_months": "引进期限须在1至120个月之间。"})
    demand = ForeignExpertDemand(
        organisation=organisation,
        need=need.strip(),
        field=field.strip(),
        duration_months=duration_months,
        year=year,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    demand.full_clean()
    demand.save()
    audit.record(
        actor=actor,
        action="foreign_demand.submit",
        obj=demand,
        changes=audit.snapshot(demand, ["organisation_id", "need", "field", "duration_months", "year"]),
    )
    return demand


@transaction.atomic
def demand_update(
    *, actor, demand: ForeignExpertDemand, version: int, need: str, field: str, duration_months: int
) -> ForeignExpertDemand:
    if not _may_edit_demand(actor, demand):
        raise ValidationError("企业只能修改本企业的需求。")
    if demand.status not in ("collected", "matching"):
        raise ValidationError("需求已匹配或关闭，不能再修改。")
    if not 1 <= duration_months <= 120:
        raise ValidationError({"duration_months": "引进期限须在1至120个月之间。"})
    before = audit.snapshot(demand, ["need", "field", "duration_months"])
    changed = ForeignExpertDemand.objects.filter(pk=demand.pk, version=version, status=demand.status).update(
        need=need.strip(), field=field.strip(), duration_months=duration_months, version=version + 1
    )
    if not changed:
        raise StaleObject()
    demand.refresh_from_db()
    audit.record(
        actor=actor,
        action="foreign_demand.update",
        obj=demand,
        changes=audit.diff(before, audit.snapshot(demand, ["need", "field", "duration_months"])),
    )
    return demand


DEMAND_FLOW = Workflow(
    chain(
        ("collected", "matching"),
        ("collected", "matched"),
        ("collected", "closed"),
        ("matching", "matched"),
        ("matching", "closed"),
        ("matching", "collected"),
        ("matched", "closed"),
    )
)


@transaction.atomic
def demand_transition(*, actor, demand: ForeignExpertDemand, to: str, expert: ForeignExpert | None = None):
    if is_firm_user(actor):
        raise ValidationError("需求的对接状态由科技局维护。")
    DEMAND_FLOW.check(demand.status, to, dict(ForeignExpertDemand.Status.choices))
    if to == "matched" and expert is None:
        raise ValidationError({"expert": "匹配须选择外国专家。"})
    changed = ForeignExpertDemand.objects.filter(pk=demand.pk, status=demand.status).update(
        status=to,
        matched_expert=expert if to == "matched" else demand.matched_expert,
        version=demand.version + 1,
    )
    if not changed:
        raise StaleObject()
    audit.record(
        actor=actor,
        action="foreign_demand.transition",
        obj=demand,
        changes={"status": [demand.status, to], "matched_expert": expert.pk if expert else None},
    )
    demand.refresh_from_db()
    return demand


@transaction.atomic
def project_record(
    *, actor, title, organisation, level, year, status="applied", expert=None, application=None
):
    project = ForeignExpertProject(
        title=title.strip(),
        organisation=organisation,
        level=level,
        year=year,
        status=status,
        expert=expert,
        application=application,
    )
    project.full_clean()
    project.save()
    audit.record(
        actor=actor,
        action="foreign_project.record",
        obj=project,
        changes=audit.snapshot(project, ["title", "organisation_id", "level", "year", "status", "expert_id"]),
    )
    return project


NOMINATION_FLOW = Workflow(
    chain(("draft", "recommended"), ("recommended", "awarded"), ("recommended", "not_awarded"))
)


@transaction.atomic
def nomination_create(
    *, actor, person, award: str, year: int, region, organisation=None, note=""
) -> Nomination:
    n = Nomination(
        person=person, award=award.strip(), year=year, region=region, organisation=organisation, note=note
    )
    n.full_clean()
    n.save()
    audit.record(
        actor=actor,
        action="nomination.create",
        obj=n,
        changes={"person": person.pk, "award": award, "year": year},
    )
    return n


@transaction.atomic
def nomination_transition(*, actor, nomination: Nomination, to: str) -> Nomination:
    NOMINATION_FLOW.check(nomination.status, to, dict(Nomination.Status.choices))
    if not Nomination.objects.filter(pk=nomination.pk, status=nomination.status).update(
        status=to, version=F("version") + 1
    ):
        raise StaleObject()
    audit.record(
        actor=actor,
        action="nomination.transition",
        obj=nomination,
        changes={"status": [nomination.status, to]},
    )
    nomination.refresh_from_db()
    return nomination


# Edits: one audited compare-and-set each (core.kit.save_edit), with the module's own checks.

AWARD_FIELDS = (
    "person",
    "organisation",
    "programme_name",
    "level",
    "year",
    "category",
    "rank",
    "result",
    "note",
)


def award_update(*, actor, award: TalentAward, version: int, **values) -> TalentAward:
    return save_edit(actor=actor, obj=award, version=version, action="talent_award.update", values=values)


@transaction.atomic
def foreign_expert_create(
    *,
    actor,
    name,
    nationality,
    region,
    field,
    gender="",
    phone="",
    email="",
    field_code="",
    employer=None,
    expertise="",
) -> ForeignExpert:
    """A new foreign expert: the person (with their nationality) and the expert entry, in one go."""
    if nationality.strip() in ("", "中国"):
        raise ValidationError({"nationality": "外国专家须填写外国国籍。"})
    person = person_create(
        actor=actor,
        name=name.strip(),
        nationality=nationality.strip(),
        gender=gender,
        phone=phone,
        email=email,
        organisation=employer,
        region=region,
    )
    return foreign_expert_register(
        actor=actor,
        person=person,
        field=field,
        region=region,
        field_code=field_code,
        employer=employer,
        expertise=expertise,
    )


def _foreign_check(fe):
    if fe.person.nationality in ("", "中国"):
        raise ValidationError({"nationality": "外国专家须填写外国国籍。"})


@transaction.atomic
def foreign_expert_update(*, actor, expert: ForeignExpert, version: int, nationality: str, **values):
    person = expert.person
    if nationality.strip() != person.nationality:
        before = person.nationality
        person.nationality = nationality.strip()
        _foreign_check(expert)
        person.full_clean()
        type(person).objects.filter(pk=person.pk).update(nationality=person.nationality)
        audit.record(
            actor=actor,
            action="foreign_expert.nationality",
            obj=expert,
            changes={"nationality": [before, person.nationality]},
        )
    return save_edit(actor=actor, obj=expert, version=version, action="foreign_expert.update", values=values)


def project_update(*, actor, project: ForeignExpertProject, version: int, **values) -> ForeignExpertProject:
    return save_edit(
        actor=actor, obj=project, version=version, action="foreign_project.update", values=values
    )


def nomination_update(*, actor, nomination: Nomination, version: int, **values) -> Nomination:
    def check(n):
        if n.status in ("awarded", "not_awarded"):
            raise ValidationError("评选结果已产生，推荐信息不能再修改。")

    return save_edit(
        actor=actor, obj=nomination, version=version, action="nomination.update", values=values, check=check
    )
