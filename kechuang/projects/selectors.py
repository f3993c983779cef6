"""Reads of the projects module, already scoped through the policies."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum

from kechuang.core import dates
from kechuang.core.models import Organisation
from kechuang.projects import permissions, rules
from kechuang.projects.models import (
    CampaignItem,
    Finding,
    Level,
    Project,
    ProjectStatus,
)

ZERO = Decimal("0.00")


def projects_for(user, *, level="", status="", year=None, q="", action="view"):
    """Projects of the user's scope, with their undertaking unit (name only).

    The unit is prefetched for the rows read, not joined: joined, the planner hashes every organisation of
    the database (200k firms at province scale) before sorting and cutting a page (EXPLAIN ANALYZE,
    PostgreSQL, 20k organisations: 12 ms for 50 rows, 2 + 1 ms prefetched). No caller shows the leader or
    the field, so they are not read.
    """
    units = Prefetch("undertaking_unit", queryset=Organisation.objects.only("name"))
    qs = permissions.projects.queryset(user, action).prefetch_related(units)
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(number__contains=q) | Q(undertaking_unit__name__contains=q))
    return qs


# The columns of the project list page (and its sort keys): `project_rows` reads only these.
LIST_FIELDS = (
    "number",
    "name",
    "level",
    "year",
    "starts_on",
    "ends_on",
    "status",
    "fiscal_remaining",
    "undertaking_unit_id",
)


def project_rows(qs):
    """`projects_for` narrowed to the columns the list page shows, as `.values()` dicts (with `id`)."""
    return qs.prefetch_related(None).values("id", *LIST_FIELDS)


# `get_level_display()` / `get_status_display()` for `.values()` rows.
LEVEL_LABELS = {k: str(v) for k, v in Project._meta.get_field("level").flatchoices}
STATUS_LABELS = {k: str(v) for k, v in Project._meta.get_field("status").flatchoices}


def unit_names(rows) -> dict[int, str]:
    """Undertaking unit names of a page of `project_rows` (one query for the page, no join)."""
    ids = {r["undertaking_unit_id"] for r in rows}
    return dict(Organisation.objects.filter(pk__in=ids).values_list("id", "name")) if ids else {}


def project_detail(project: Project) -> dict:
    return {
        "milestones": list(project.milestones.all()),
        "disbursements": list(project.disbursements.select_related("milestone")),
        "reports": list(
            project.reports.select_related("milestone", "submitted_by").prefetch_related("evidence")
        ),
        "changes": list(project.changes.select_related("requested_by", "decided_by")),
        "reviews": list(project.reviews.prefetch_related("experts__person")),
        "outcomes": list(project.outcomes.all()),
        "documents": list(project.documents.select_related("attachment")),
        "partners": list(project.partners.select_related("organisation")),
        "members": list(project.members.select_related("person")),
        "history": list(project.status_changes.select_related("actor")),
    }


def reserve_for(user, *, status="", year=None):
    qs = permissions.reserve.queryset(user, "view").select_related(
        "organisation", "field", "owner", "team", "target_programme", "project"
    )
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return qs


def reserve_vs_approved(user) -> list[dict]:
    """Per year: reserve entries, how many reached each status, and plan projects approved that year."""
    reserve = (
        permissions.reserve.queryset(user, "view")
        .values("year")
        .annotate(
            total=Count("pk"),
            applied=Count("pk", filter=Q(status__in=["applied", "approved"])),
            approved=Count("pk", filter=Q(status="approved")),
            dropped=Count("pk", filter=Q(status="dropped")),
        )
    )
    projects = dict(
        permissions.projects.queryset(user, "view")
        .values_list("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    rows = {r["year"]: {**r, "projects": projects.get(r["year"], 0)} for r in reserve}
    for year, n in projects.items():
        rows.setdefault(
            year, {"year": year, "total": 0, "applied": 0, "approved": 0, "dropped": 0, "projects": n}
        )
    return [rows[y] for y in sorted(rows, reverse=True)]


def campaign_items_for(user, campaign):
    return (
        permissions.campaign_items.queryset(user, "view")
        .filter(campaign=campaign)
        .select_related("project", "project__undertaking_unit", "inspector")
        .annotate(open_findings=Count("findings", filter=Q(findings__status="open")))
    )


def campaign_coverage(campaign) -> dict:
    """Coverage = inspected / in scope. In scope is every project active in the period, whether or not
    it was in the campaign when opened, so a project can never drop out of the denominator unseen."""
    from kechuang.projects.services.supervision import active_projects

    items = CampaignItem.objects.filter(campaign=campaign)
    in_campaign = items.count()
    inspected = items.filter(inspected_at__isnull=False).count()
    not_in_campaign = list(
        active_projects(campaign.region, campaign.period_start, campaign.period_end)
        .exclude(campaign_items__campaign=campaign)
        .select_related("undertaking_unit")
    )
    gaps = list(
        items.filter(inspected_at__isnull=True).select_related("project", "project__undertaking_unit")
    )
    uninspected = [i.project for i in gaps if not i.exception_reason]
    in_scope = in_campaign + len(not_in_campaign)
    return {
        "in_scope": in_scope,
        "inspected": inspected,
        "percent": rules.coverage(inspected, in_scope),
        "missing": uninspected + not_in_campaign,
        "exceptions": [i for i in gaps if i.exception_reason],
        "not_in_campaign": not_in_campaign,
        "by_level": list(
            items.values("project__level")
            .annotate(n=Count("pk"), done=Count("pk", filter=Q(inspected_at__isnull=False)))
            .order_by("project__level")
        ),
    }


def dashboard(user) -> dict:
    qs = permissions.projects.queryset(user, "view")
    labels_level = dict(Level.choices)
    labels_status = dict(ProjectStatus.choices)
    by_level = [
        (labels_level[r["level"]], r["n"], r["committed"] or ZERO, r["remaining"] or ZERO)
        for r in qs.values("level")
        .annotate(
            n=Count("pk"),
            committed=Sum("fiscal_district")
            + Sum("fiscal_city")
            + Sum("fiscal_province")
            + Sum("fiscal_national"),
            remaining=Sum("fiscal_remaining"),
        )
        .order_by("level")
    ]
    by_status = [
        (labels_status[r["status"]], r["n"])
        for r in qs.values("status").annotate(n=Count("pk")).order_by("status")
    ]
    by_field = [
        (r["field__name"] or "未分类", r["n"])
        for r in qs.values("field__name").annotate(n=Count("pk")).order_by("-n")
    ]
    towns = Counter()
    for parent, name, n in qs.values_list(
        "undertaking_unit__region__level", "undertaking_unit__region__name"
    ).annotate(n=Count("pk")):
        towns[name if parent == 4 else "其他/区外"] += n
    totals = qs.aggregate(
        n=Count("pk"),
        committed=Sum("fiscal_district")
        + Sum("fiscal_city")
        + Sum("fiscal_province")
        + Sum("fiscal_national"),
        remaining=Sum("fiscal_remaining"),
    )
    committed = totals["committed"] or ZERO
    return {
        "by_level": [(label, n, c, c - r) for label, n, c, r in by_level],
        "by_status": by_status,
        "by_field": by_field,
        "by_town": sorted(towns.items(), key=lambda kv: -kv[1]),
        "total": totals["n"],
        "committed": committed,
        "disbursed": committed - (totals["remaining"] or ZERO),
    }


def public_projects(region, *, year=None):
    """Published: district-level plan projects of the region (name, unit, level, period, fiscal funds, status)."""
    qs = Project.objects.filter(region__path__startswith=region.path, level=Level.DISTRICT).select_related(
        "undertaking_unit"
    )
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "number")


def findings_for(user, *, state: str = "", today=None):
    """Rectification demands the user may see: all, still open, overdue (open past the deadline), closed."""
    today = today or dates.today()
    qs = permissions.findings.queryset(user, "view").select_related(
        "item__project__undertaking_unit", "item__campaign", "item__inspector"
    )
    if state == "open":
        qs = qs.filter(status=Finding.Status.OPEN)
    elif state == "overdue":
        qs = qs.filter(status=Finding.Status.OPEN, deadline__lt=today)
    elif state == "closed":
        qs = qs.filter(status=Finding.Status.CLOSED)
    return qs.order_by("status", "deadline", "pk")


def project_files(project):
    """Every file of a project: its documents and its progress reports' evidence (an Attachment queryset)."""
    from django.db.models import Q

    from kechuang.core.models import Attachment
    from kechuang.projects.models import ProgressReport, ProjectDocument

    evidence = ProgressReport.evidence.through.objects.filter(progressreport__project=project)
    documents = ProjectDocument.objects.filter(project=project)
    return Attachment.objects.filter(
        Q(pk__in=evidence.values("attachment_id")) | Q(pk__in=documents.values("attachment_id"))
    )
