"""Reads, and the matchmaking candidates built from records (experts' expertise and fields, offered
achievements, and past cooperation of the need's firm with each expert's employer or institute)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from kechuang.cooperation import permissions, rules
from kechuang.cooperation.models import Agreement, Contact, CooperationProject, OfferedAchievement, TechNeed
from kechuang.core.models import DictItem
from kechuang.programmes.models import Expert


def field_names() -> dict[str, str]:
    return dict(DictItem.objects.filter(dict_type__code="hnte_field").values_list("code", "name"))


def partner_history(firm_id: int) -> Counter:
    """How often the firm has cooperated with each partner organisation (projects and agreements)."""
    counts = Counter(
        CooperationProject.objects.filter(organisation_id=firm_id).values_list("partner_id", flat=True)
    )
    counts.update(Agreement.objects.filter(firm_id=firm_id).values_list("partner_id", flat=True))
    return counts


def expert_history(firm_id: int) -> Counter:
    return Counter(
        Contact.objects.filter(
            need__organisation_id=firm_id, status="agreed", expert__isnull=False
        ).values_list("expert_id", flat=True)
    )


def expert_candidates(need: TechNeed) -> list[rules.Candidate]:
    partners = partner_history(need.organisation_id)
    direct = expert_history(need.organisation_id)
    names = field_names()
    experts = (
        Expert.objects.filter(is_active=True, category=Expert.Category.TECHNICAL)
        .exclude(talent_profile__availability__in=["busy", "retired"])
        .exclude(conflicts=need.organisation_id)
        .select_related("person", "employer", "talent_profile")
    )
    out = []
    for e in experts:
        profile = getattr(e, "talent_profile", None)
        text = " ".join([profile.expertise if profile else "", *(names.get(c, "") for c in e.fields)])
        history = direct.get(e.pk, 0) + (partners.get(e.employer_id, 0) if e.employer_id else 0)
        label = f"{e.person.name}（{e.employer.name if e.employer else ''}）"
        out.append(rules.Candidate(e.pk, label, text, frozenset(e.fields), history))
    return out


def offered_candidates(need: TechNeed) -> list[rules.Candidate]:
    partners = partner_history(need.organisation_id)
    return [
        rules.Candidate(
            o.pk,
            f"{o.title}（{o.institute.name}）",
            f"{o.title} {o.description}",
            frozenset([o.field_code]) if o.field_code else frozenset(),
            partners.get(o.institute_id, 0),
        )
        for o in OfferedAchievement.objects.filter(is_published=True).select_related("institute")
    ]


def match_experts(need: TechNeed, limit=10) -> list[rules.Match]:
    text = f"{need.title} {need.description}"
    return rules.rank(text, need.field_code, expert_candidates(need), field_names=field_names(), limit=limit)


def match_offered(need: TechNeed, limit=10) -> list[rules.Match]:
    text = f"{need.title} {need.description}"
    return rules.rank(text, need.field_code, offered_candidates(need), field_names=field_names(), limit=limit)


def needs_for(user, *, q="", status=""):
    qs = permissions.needs.queryset(user, "view").select_related("organisation")
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(organisation__name__icontains=q)
        )
    return qs.filter(status=status) if status else qs


def contacts_for(user, *, status=""):
    qs = permissions.contacts.queryset(user, "view").select_related(
        "need__organisation", "expert__person", "offered__institute"
    )
    return qs.filter(status=status) if status else qs


def region_q(region, path: str) -> Q:
    return Q(**{f"{path}path__startswith": region.path})


def agreements_in(region):
    return Agreement.objects.filter(region_q(region, "firm__region__")).select_related("firm", "partner")


def transfers_in(region):
    from kechuang.cooperation.models import ExpectedTransfer

    return ExpectedTransfer.objects.filter(region_q(region, "firm__region__")).select_related("firm")


def projects_in(region):
    return CooperationProject.objects.filter(region_q(region, "organisation__region__")).select_related(
        "organisation", "partner"
    )


def _text(qs, q, *fields):
    if not q:
        return qs
    cond = Q()
    for f in fields:
        cond |= Q(**{f"{f}__icontains": q})
    return qs.filter(cond)


def offered_for(user, *, q="", maturity=""):
    qs = _text(
        permissions.offered.queryset(user, "view").select_related("institute"),
        q,
        "title",
        "description",
        "institute__name",
    )
    return qs.filter(maturity=maturity) if maturity else qs


def agreements_for(user, *, q="", year=None):
    qs = _text(
        permissions.agreements.queryset(user, "view").select_related("firm", "partner", "event"),
        q,
        "subject",
        "firm__name",
        "partner__name",
    )
    return qs.filter(signed_on__year=year) if year else qs


def transfers_for(user, *, q="", status=""):
    qs = _text(permissions.transfers.queryset(user, "view").select_related("firm"), q, "title", "firm__name")
    return qs.filter(status=status) if status else qs


def events_for(user, *, q="", year=None):
    qs = _text(permissions.events.queryset(user, "view"), q, "name", "place", "summary")
    return qs.filter(starts_on__year=year) if year else qs


def projects_for(user, *, q="", year=None, status=""):
    qs = _text(
        permissions.projects.queryset(user, "view").select_related("organisation", "partner"),
        q,
        "title",
        "organisation__name",
        "partner__name",
    )
    if year:
        qs = qs.filter(year=year)
    return qs.filter(status=status) if status else qs
