"""Plan projects over JSON: list and detail scoped by the project policy, milestones, and progress reports
filed by the undertaking unit. Outside the caller's scope every id is a 404, as on the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.responses import Status

from kechuang.api.paging import paginate_rows, rows
from kechuang.core.permissions import get_object_or_404_for
from kechuang.projects import permissions, selectors, services
from kechuang.projects.models import Milestone, Project

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    number: str
    name: str
    level: str
    level_label: str
    plan_name: str
    school_city: bool
    undertaking_unit: str
    year: int
    starts_on: dt.date
    ends_on: dt.date
    ended_on: dt.date | None
    status: str
    status_label: str
    fiscal_total: Decimal
    disbursed: Decimal
    self_raised: Decimal


class MilestoneOut(Schema):
    id: int
    seq: int
    title: str
    due_on: dt.date
    deliverable: str
    target: str
    status: str
    met_on: dt.date | None


class ProjectDetailOut(ProjectOut):
    goals: str
    partners: list[str]
    milestones: list[MilestoneOut]


class ReportIn(Schema):
    kind: str
    summary: str
    spent: Decimal = Decimal("0.00")
    milestone_id: int | None = None
    period: str = ""


class ReportOut(Schema):
    id: int
    project_id: int
    kind: str
    milestone_id: int | None
    period: str
    summary: str
    spent: Decimal
    status: str
    submitted_at: dt.datetime


def _out(p: Project) -> dict:
    return {
        "id": p.pk,
        "number": p.number,
        "name": p.name,
        "level": p.level,
        "level_label": p.get_level_display(),
        "plan_name": p.plan_name,
        "school_city": p.school_city,
        "undertaking_unit": p.undertaking_unit.name,
        "year": p.year,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "ended_on": p.ended_on,
        "status": p.status,
        "status_label": p.get_status_display(),
        "fiscal_total": p.fiscal_total,
        "disbursed": p.disbursed,
        "self_raised": p.self_raised,
    }


LIST_FIELDS = (
    "id",
    "number",
    "name",
    "level",
    "plan_name",
    "school_city",
    "undertaking_unit_id",
    "year",
    "starts_on",
    "ends_on",
    "ended_on",
    "status",
)
MONEY_FIELDS = (
    "fiscal_national",
    "fiscal_province",
    "fiscal_city",
    "fiscal_district",
    "fiscal_remaining",
    "self_raised",
)


def _page(page: list[dict]) -> list[dict]:
    """`_out` for a page of `.values(*LIST_FIELDS, *MONEY_FIELDS)` rows: the units' names in one query."""
    units = selectors.unit_names(page)
    out = []
    for r in page:
        # Project.fiscal_total and .disbursed, same arithmetic
        fiscal = r["fiscal_national"] + r["fiscal_province"] + r["fiscal_city"] + r["fiscal_district"]
        out.append(
            {
                "id": r["id"],
                "number": r["number"],
                "name": r["name"],
                "level": r["level"],
                "level_label": selectors.LEVEL_LABELS.get(r["level"], r["level"]),
                "plan_name": r["plan_name"],
                "school_city": r["school_city"],
                "undertaking_unit": units[r["undertaking_unit_id"]],
                "year": r["year"],
                "starts_on": r["starts_on"],
                "ends_on": r["ends_on"],
                "ended_on": r["ended_on"],
                "status": r["status"],
                "status_label": selectors.STATUS_LABELS.get(r["status"], r["status"]),
                "fiscal_total": fiscal,
                "disbursed": fiscal - r["fiscal_remaining"],
                "self_raised": r["self_raised"],
            }
        )
    return out


def _milestone(m: Milestone) -> dict:
    return {
        "id": m.pk,
        "seq": m.seq,
        "title": m.title,
        "due_on": m.due_on,
        "deliverable": m.deliverable,
        "target": m.target,
        "status": m.status,
        "met_on": m.met_on,
    }


def _project(request, project_id: int, action: str = "view") -> Project:
    return get_object_or_404_for(
        permissions.projects,
        request.auth,
        action,
        qs=Project.objects.select_related("undertaking_unit", "region"),
        pk=project_id,
    )


@router.get("/projects", response=list[ProjectOut])
@paginate_rows
def project_list(
    request, level: str = "", status: str = "", year: int | None = Query(None, ge=1900, le=2100), q: str = ""
) -> list[dict]:
    if not permissions.projects.may(request.auth, "view"):
        raise PermissionDenied
    qs = selectors.projects_for(request.auth, level=level, status=status, year=year, q=q.strip())
    return rows(qs.order_by("-year", "number"), (*LIST_FIELDS, *MONEY_FIELDS), _page)


@router.get("/projects/{project_id}", response=ProjectDetailOut)
def project_detail(request, project_id: int):
    project = _project(request, project_id)
    return {
        **_out(project),
        "goals": project.goals,
        "partners": [p.organisation.name for p in project.partners.select_related("organisation")],
        "milestones": [_milestone(m) for m in project.milestones.all()],
    }


@router.get("/projects/{project_id}/milestones", response=list[MilestoneOut])
def milestones(request, project_id: int):
    return [_milestone(m) for m in _project(request, project_id).milestones.all()]


@router.post("/projects/{project_id}/reports", response={201: ReportOut})
def report_submit(request, project_id: int, payload: ReportIn):
    """The undertaking unit files a progress report (periodic, or for one milestone of its 任务书)."""
    project = _project(request, project_id, "report")
    milestone = None
    if payload.milestone_id is not None:
        milestone = project.milestones.filter(pk=payload.milestone_id).first()
        if milestone is None:
            raise Http404("对象不存在或无权访问。")
    report = services.report_submit(
        actor=request.auth,
        project=project,
        kind=payload.kind,
        summary=payload.summary,
        spent=payload.spent,
        milestone=milestone,
        period=payload.period,
    )
    return Status(
        201,
        {
            "id": report.pk,
            "project_id": project.pk,
            "kind": report.kind,
            "milestone_id": report.milestone_id,
            "period": report.period,
            "summary": report.summary,
            "spent": report.spent,
            "status": report.status,
            "submitted_at": report.submitted_at,
        },
    )
