from __future__ import annotations

from django.db.models import Count, Q

from kechuang.core.models import DictItem
from kechuang.talent import permissions
from kechuang.talent.models import ForeignExpertDemand, TalentAward


def field_names() -> dict[str, str]:
    return dict(DictItem.objects.filter(dict_type__code="hnte_field").values_list("code", "name"))


def experts_for(user, *, q="", field="", availability=""):
    qs = (
        permissions.experts.queryset(user, "view")
        .select_related("person", "employer", "talent_profile")
        .annotate(conflict_count=Count("conflicts"))
    )
    if q:
        qs = qs.filter(
            Q(person__name__icontains=q)
            | Q(employer__name__icontains=q)
            | Q(talent_profile__expertise__icontains=q)
        )
    if field:
        qs = (
            qs.filter(fields__contains=[field])
            if _json_contains()
            else qs.filter(fields__icontains=f'"{field}"')
        )
    if availability:
        if availability == "available":
            qs = qs.filter(Q(talent_profile__isnull=True) | Q(talent_profile__availability="available"))
        else:
            qs = qs.filter(talent_profile__availability=availability)
    return qs


def _json_contains() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


def awards_for(user, *, q="", year=None, result=""):
    qs = permissions.awards.queryset(user, "view").select_related("person", "organisation")
    if q:
        qs = qs.filter(
            Q(person__name__icontains=q) | Q(programme_name__icontains=q) | Q(organisation__name__icontains=q)
        )
    if year:
        qs = qs.filter(year=year)
    if result:
        qs = qs.filter(result=result)
    return qs


def demands_for(user, *, q="", year=None, status=""):
    qs = permissions.demands.queryset(user, "view").select_related("organisation", "matched_expert__person")
    if q:
        qs = qs.filter(Q(need__icontains=q) | Q(organisation__name__icontains=q) | Q(field__icontains=q))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs


def in_region_awards(region):
    return TalentAward.objects.filter(
        Q(person__region__path__startswith=region.path)
        | Q(person__region__isnull=True, organisation__region__path__startswith=region.path)
    )


def in_region_demands(region):
    return ForeignExpertDemand.objects.filter(organisation__region__path__startswith=region.path)


def foreign_for(user, *, q="", nationality=""):
    qs = permissions.foreign_experts.queryset(user, "view").select_related("person", "employer")
    if q:
        qs = qs.filter(Q(person__name__icontains=q) | Q(field__icontains=q) | Q(expertise__icontains=q))
    return qs.filter(person__nationality=nationality) if nationality else qs


def projects_for(user, *, q="", year=None, level="", status=""):
    qs = permissions.projects.queryset(user, "view").select_related("organisation", "expert__person")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(organisation__name__icontains=q))
    if year:
        qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    return qs.filter(status=status) if status else qs


def nominations_for(user, *, q="", year=None, status=""):
    qs = permissions.nominations.queryset(user, "view").select_related("person", "organisation")
    if q:
        qs = qs.filter(Q(person__name__icontains=q) | Q(award__icontains=q))
    if year:
        qs = qs.filter(year=year)
    return qs.filter(status=status) if status else qs


def people_for(user):
    """People a staff member may pick (for awards, nominations): of their region, by residence, employer
    or foreign-expert entry."""
    from kechuang.core.models import Person

    if user.region_id is None:
        return Person.objects.none()
    path = user.region.path
    return Person.objects.filter(
        Q(region__path__startswith=path)
        | Q(organisation__region__path__startswith=path)
        | Q(foreign_expert__region__path__startswith=path)
    ).distinct()
