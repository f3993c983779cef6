"""Recusal from the records the platform already holds (read only): which pool experts worked with the
applicant organisations — through their employer (cooperation projects, agreements, plan projects as
undertaking or partner unit) or in person (leader or member of the applicant's projects, consultations and
matchmaking contacts with the applicant). Modules that are not installed are skipped."""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.db.models import Q


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _pairs(model_label: str, a: str, b: str, orgs) -> dict[int, set[int]]:
    """Partner organisation → the applicant organisations it has a record with (both directions)."""
    model, out = _model(model_label), defaultdict(set)
    if model is None:
        return out
    for x, y in model.objects.filter(Q(**{f"{a}__in": orgs}) | Q(**{f"{b}__in": orgs})).values_list(a, b):
        if x in orgs:
            out[y].add(x)
        if y in orgs:
            out[x].add(y)
    return out


def related_orgs_by_expert(experts, applicant_org_ids) -> dict[int, tuple[int, ...]]:
    """Expert id → the applicant organisations the expert is related to (only experts with a relation)."""
    orgs = set(applicant_org_ids)
    if not orgs:
        return {}
    by_org: dict[int, set[int]] = defaultdict(set)
    for label, a, b in (
        ("cooperation.CooperationProject", "organisation_id", "partner_id"),
        ("cooperation.Agreement", "firm_id", "partner_id"),
        ("projects.ProjectPartner", "project__undertaking_unit_id", "organisation_id"),
    ):
        for partner, applicants in _pairs(label, a, b, orgs).items():
            by_org[partner] |= applicants
    by_person: dict[int, set[int]] = defaultdict(set)
    by_expert: dict[int, set[int]] = defaultdict(set)
    project = _model("projects.Project")
    if project is not None:
        for person, unit in project.objects.filter(
            undertaking_unit__in=orgs, leader__isnull=False
        ).values_list("leader_id", "undertaking_unit_id"):
            by_person[person].add(unit)
        member = _model("projects.ProjectMember")
        for person, unit in member.objects.filter(project__undertaking_unit__in=orgs).values_list(
            "person_id", "project__undertaking_unit_id"
        ):
            by_person[person].add(unit)
    consultation = _model("cooperation.Consultation")
    if consultation is not None:
        for expert, org in consultation.objects.filter(organisation__in=orgs).values_list(
            "expert_id", "organisation_id"
        ):
            by_expert[expert].add(org)
        contact = _model("cooperation.Contact")
        for expert, org in contact.objects.filter(
            need__organisation__in=orgs, expert__isnull=False, status__in=["contacted", "agreed"]
        ).values_list("expert_id", "need__organisation_id"):
            by_expert[expert].add(org)
    out = {}
    for e in experts:
        related = by_expert.get(e.pk, set()) | by_person.get(e.person_id, set())
        if e.employer_id is not None:
            related |= by_org.get(e.employer_id, set())
        if related:
            out[e.pk] = tuple(sorted(related))
    return out
