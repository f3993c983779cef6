"""Reads of the programme engine, scoped through the policies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from kechuang.core import dates
from kechuang.core.workdays import add_working_days
from kechuang.programmes import permissions, rules
from kechuang.programmes.models import (
    Application,
    Call,
    Objection,
    PublicityPeriod,
    ReviewAssignment,
    Score,
    TrainingParticipant,
)

S = Application.Status


def calls_for(user):
    return permissions.calls.queryset(user, "view").annotate(
        n_applications=Count("applications", filter=~Q(applications__status__in=[S.DRAFT, S.WITHDRAWN])),
        n_approved=Count("applications", filter=Q(applications__status=S.APPROVED)),
    )


def programmes_for(user):
    """Programmes organised in the user's region or above it (a district runs city/province calls too)."""
    from kechuang.programmes.models import Programme

    if user.region_id is None:
        return Programme.objects.none()
    ancestors = [p for p in user.region.path.split("/") if p]
    return Programme.objects.filter(is_active=True, region__code__in=ancestors).select_related("type")


def open_calls(now=None):
    now = now or dates.now()
    return Call.objects.select_related("programme__type").filter(opens_at__lte=now, closes_at__gt=now)


def applications_for(user, action: str = "view", **filters):
    return permissions.applications.queryset(user, action).filter(**filters)  # the rules never repeat a row


def score_summary(application: Application) -> dict:
    totals = []
    for assignment in application.assignments.all():
        if assignment.submitted_at is None:
            continue
        totals.append(sum((s.points for s in assignment.scores.all()), Decimal(0)))
    return {
        "count": len(totals),
        "mean": rules.mean(totals),
        "trimmed": rules.trimmed_mean(totals),
        "totals": totals,
    }


def ranking(call: Call) -> list[dict]:
    """Every reviewed (or later) application of a call with its mean, trimmed mean and rank."""
    applications = list(
        call.applications.exclude(status__in=[S.DRAFT, S.WITHDRAWN, S.SUBMITTED, S.RETURNED, S.REJECTED])
        .select_related("organisation", "person")
        .prefetch_related(
            Prefetch("assignments", queryset=ReviewAssignment.objects.prefetch_related("scores"))
        )
    )
    summaries = {a.pk: score_summary(a) for a in applications}
    ranked = rules.rank([(a.pk, summaries[a.pk]["trimmed"]) for a in applications])
    by_pk = {a.pk: a for a in applications}
    return [{"application": by_pk[pk], "rank": position, **summaries[pk]} for pk, _, position in ranked]


def scores_visible_to(user, application: Application):
    """Scores an expert may see: their own; others' only when the programme allows it. Staff see all."""
    qs = Score.objects.filter(assignment__application=application).select_related(
        "assignment__expert__person"
    )
    if permissions.sees_all_scores(user, application):
        return qs
    if permissions.sees_own_scores_only(user):
        return qs.filter(assignment__expert__person_id=user.person_id)
    return qs.none()


def score_summary_for(user, application: Application) -> dict | None:
    """The averages of an application's scores, for those who may see every expert's scores (else None)."""
    return score_summary(application) if permissions.sees_all_scores(user, application) else None


def published_publicities(today: dt.date | None = None):
    return PublicityPeriod.objects.select_related("call__programme__type").order_by("-starts_on")


def publicity_contact(period: PublicityPeriod) -> dict | None:
    """Where the public sends objections: the bureau contact of the call's region (`bureau_contact`)."""
    return bureau_contact(period.call.region)


def bureau_contact(region) -> dict | None:
    """The contact office and phone of the bureau of `region`, or of the nearest region above it that has
    them set (staff maintain them on the region's contact page): named on 公示 and decision letters."""
    while region is not None:
        if region.contact_phone:
            return {
                "bureau": region.name,
                "bureau_name": f"{region.name}科学技术局",
                "office": region.contact_office,
                "phone": region.contact_phone,
            }
        region = region.parent
    return None


def objection_by_receipt(receipt: str):
    return Objection.objects.select_related("publicity").filter(receipt=receipt).first()


def publicity_entries(period: PublicityPeriod):
    """The public list of a 公示: an application with an upheld objection not yet resolved is left off."""
    pending = Objection.objects.filter(upheld=True, resolution="").values("application_id")
    return (
        period.applications.exclude(pk__in=pending)
        .exclude(status__in=[S.WITHDRAWN, S.ACCEPTED])  # withdrawn or sent back to re-review on objection
        .select_related("organisation", "person")
        .order_by("organisation__name", "pk")
    )


def my_tasks(user, now=None) -> dict:
    """Staff work list across programmes: what to check, draw, decide and answer, and deadlines soon."""
    now = now or dates.now()
    today = timezone.localdate(now)
    apps = applications_for(user, "check")
    horizon = add_working_days(today, 7)
    return {
        "to_check": apps.filter(status=S.SUBMITTED).order_by("submitted_at"),
        "to_draw": apps.filter(status=S.ACCEPTED, call__programme__type__transition_key="default"),
        "to_publicise": apps.filter(status=S.REVIEWED),
        "to_decide": apps.filter(status=S.IN_PUBLICITY, publicity__ends_on__lt=today),
        "objections": objections_to_answer(user),
        "closing_calls": permissions.calls.queryset(user, "change").filter(
            closes_at__gte=now, closes_at__date__lte=horizon.date
        ),
        "publicity_ending": PublicityPeriod.objects.filter(
            pk__in=apps.values("publicity"), ends_on__gte=today, ends_on__lte=horizon.date
        ),
        "horizon": horizon,
    }


def objections_to_answer(user):
    return (
        permissions.objections.queryset(user, "answer")
        .filter(status=Objection.Status.OPEN)
        .select_related("publicity", "application__organisation", "evidence")
        .order_by("submitted_at", "pk")
    )


def expert_assignments(user):
    return permissions.assignments.queryset(user, "review").select_related(
        "application__call__programme", "application__organisation"
    )


def trainings_for(user):
    return (
        permissions.trainings.queryset(user, "view")
        .annotate(
            n_invited=Count("participants", filter=Q(participants__invited=True), distinct=True),
            n_registered=Count("participants", filter=Q(participants__registered=True), distinct=True),
            n_attended=Count("participants", filter=Q(participants__attended=True), distinct=True),
        )
        .distinct()
    )


def firms_trained(region, year: int | None = None):
    """Distinct firms that attended, per topic and year (the "50余家企业参加…培训" figure)."""
    qs = TrainingParticipant.objects.filter(attended=True, training__region__path__startswith=region.path)
    if year:
        qs = qs.filter(training__held_on__year=year)
    return (
        qs.values("training__topic", "training__held_on__year")
        .annotate(firms=Count("organisation", distinct=True))
        .order_by("-training__held_on__year", "training__topic")
    )


def application_file_uids(application: Application, key: str | None = None) -> list[str]:
    """The stored file uids of an application's attachment slots (one slot when `key` is given)."""
    from kechuang.core.files import valid_uids

    uids: list[str] = []
    for f in application.call.programme.form_schema:
        if f["type"] == "attachment" and key in (None, f["key"]):
            uids += valid_uids(application.data.get(f["key"]))
    return uids


def application_files(application: Application):
    """Every file of an application's attachment slots (an Attachment queryset)."""
    from kechuang.core.models import Attachment

    return Attachment.objects.filter(uid__in=application_file_uids(application))


def application_files_by_slot(application: Application) -> dict[str, list]:
    """Slot key → its files in upload order (one query for the whole application)."""
    by_uid = {str(a.uid): a for a in application_files(application)}
    return {
        f["key"]: [by_uid[u] for u in application_file_uids(application, f["key"]) if u in by_uid]
        for f in application.call.programme.form_schema
        if f["type"] == "attachment"
    }


def objection_files(objection):
    """An objection's evidence (an Attachment queryset: empty when none was attached)."""
    from kechuang.core.models import Attachment

    return Attachment.objects.filter(pk=objection.evidence_id)


def expert_pool(user, q: str = ""):
    """The 专家库 the user maintains or reads, with whether each expert has an account."""
    from django.db.models import Exists, OuterRef

    from kechuang.accounts.models import User
    from kechuang.core.roles import Role

    qs = permissions.experts.queryset(user, "view").annotate(
        has_account=Exists(User.objects.filter(person_id=OuterRef("person_id"), role=Role.EXPERT))
    )
    if q:
        qs = qs.filter(Q(person__name__contains=q) | Q(employer__name__contains=q) | Q(title__contains=q))
    return qs.order_by("-is_active", "person__name")


def own_expert(user):
    """The expert record of the signed-in expert, or None."""
    return permissions.experts.queryset(user, "self").first()


def panel(application):
    """Everyone drawn for an application in draw order, with answers, 代录 and replacement links."""
    return (
        application.assignments.select_related(
            "expert__person", "expert__employer", "entered_by", "paper_sheet", "replacement", "replacing"
        )
        .prefetch_related("expert__person__accounts")
        .order_by("pk")
    )


def call_decisions(call: Call):
    """(application, score summary, decision or None) for every application of a call past 形式审查 (the
    decisions export), in ranking order of status then pk; three queries whatever the size."""
    applications = (
        call.applications.exclude(status__in=[S.DRAFT, S.WITHDRAWN, S.SUBMITTED, S.RETURNED])
        .select_related("organisation", "person", "decision__decided_by")
        .prefetch_related(
            Prefetch("assignments", queryset=ReviewAssignment.objects.prefetch_related("scores"))
        )
        .order_by("status", "pk")
    )
    for app in applications:
        decision = app.decision if hasattr(app, "decision") else None
        yield app, score_summary(app), decision


def call_applications(call: Call):
    """Every submitted (non-draft) application of a call, for the applications export."""
    return (
        call.applications.exclude(status=S.DRAFT)
        .select_related("organisation", "person")
        .order_by("submitted_at", "pk")
    )


def public_calls(now=None):
    """Calls shown on the portal: every call already open (open ones first, then the latest closed)."""
    now = now or dates.now()
    return (
        Call.objects.select_related("programme__type", "region")
        .filter(opens_at__lte=now, programme__is_active=True)
        .prefetch_related("guides")
    )


def assignment_sheet_files(assignment):
    """The scanned paper score sheet of a 代录 entry (an Attachment queryset: empty when none)."""
    from kechuang.core.models import Attachment

    return Attachment.objects.filter(pk=assignment.paper_sheet_id)


def call_guide_files(call: Call):
    return call.guides.all()
