"""申报 over JSON (mounted at /api/programmes/): open calls (public), the caller's applications (scoped by the
same policy as the pages), drafts and submission through the same services, an expert's review tasks."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from kechuang.api.paging import BoundedLimitOffset, paginate_rows, rows
from kechuang.core.permissions import get_object_or_404_for, is_expert_account, is_firm_user
from kechuang.programmes import permissions, precheck, selectors, services
from kechuang.programmes.models import Application

router = Router(tags=["programmes"])


class GuideOut(Schema):
    name: str = Field(..., description="文件名")
    content_type: str = Field(..., description="文件类型（MIME）")
    type_label: str = Field(..., description="文件类型（中文）")
    size: int = Field(..., description="大小（字节）")
    url: str = Field(
        ..., description="下载地址（公开页面的文件地址：批次在门户公开时任何人可下载，否则 404）"
    )


class CallOut(Schema):
    id: int
    programme: str
    programme_type: str
    applicant_kind: str
    name: str
    level: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    quota: int | None
    recommending_unit: str
    notice: str
    max_per_org: int = Field(..., description="每单位限报项数（已撤回的不计）")
    guides: list[GuideOut] = Field(..., description="申报指南及附件（批次在门户公开时列出）")


class ApplicationOut(Schema):
    id: int
    call_id: int
    call: str
    applicant: str
    title: str
    field_code: str
    status: str
    status_label: str
    version: int
    submitted_at: dt.datetime | None


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    reason: str


class ApplicationDetailOut(ApplicationOut):
    data: dict
    form_schema: list
    eligibility: dict | None = Field(None, description="提交时保存的资格预审结果；可编辑时为实时预审")
    status_changes: list[StatusChangeOut]


class DraftCreateIn(Schema):
    call_id: int
    title: str = ""
    field_code: str = ""
    data: dict = {}


class DraftUpdateIn(Schema):
    version: int = Field(..., description="读取时的 version（乐观锁）")
    data: dict
    title: str | None = None


class AssignmentOut(Schema):
    id: int
    application_id: int
    call: str
    applicant: str
    title: str
    submitted_at: dt.datetime | None


def _call(call) -> dict:
    return {
        "id": call.pk,
        "programme": call.programme.name,
        "programme_type": call.programme.type.name,
        "applicant_kind": call.programme.type.applicant_kind,
        "name": call.name,
        "level": call.level,
        "opens_at": call.opens_at,
        "closes_at": call.closes_at,
        "quota": call.quota,
        "recommending_unit": call.recommending_unit,
        "notice": call.notice,
        "max_per_org": call.max_per_org,
        "guides": _guides(call),
    }


def _guides(call) -> list[dict]:
    """The call's guide documents, with the portal's download address (the public policy decides: a call of
    an inactive programme is not on the portal, so its files are not listed)."""
    if not call.programme.is_active:
        return []
    return [
        {
            "name": g.original_name,
            "content_type": g.content_type,
            "type_label": g.type_label,
            "size": g.size,
            "url": reverse("programmes:public_call_file", args=[call.pk, g.uid]),
        }
        for g in call.guides.all()
    ]


def _app(app) -> dict:
    return {
        "id": app.pk,
        "call_id": app.call_id,
        "call": str(app.call),
        "applicant": app.applicant_name,
        "title": app.title,
        "field_code": app.field_code,
        "status": app.status,
        "status_label": app.get_status_display(),
        "version": app.version,
        "submitted_at": app.submitted_at,
    }


LIST_FIELDS = (
    "id",
    "call_id",
    "call__name",
    "call__programme__name",
    "organisation_id",
    "organisation__name",
    "person_id",
    "person__name",
    "title",
    "field_code",
    "status",
    "version",
    "submitted_at",
)
STATUS_LABELS = {
    k: str(v) for k, v in Application._meta.get_field("status").flatchoices
}  # get_status_display


def _app_rows(page: list[dict]) -> list[dict]:
    """`_app` for a page of `.values(*LIST_FIELDS)` rows (`str(call)`, `applicant_name` spelled out)."""
    out = []
    for r in page:
        if r["organisation_id"]:
            applicant = r["organisation__name"]
        else:
            applicant = r["person__name"] if r["person_id"] else ""
        out.append(
            {
                "id": r["id"],
                "call_id": r["call_id"],
                "call": f"{r['call__programme__name']}（{r['call__name']}）",
                "applicant": applicant,
                "title": r["title"],
                "field_code": r["field_code"],
                "status": r["status"],
                "status_label": STATUS_LABELS.get(r["status"], r["status"]),
                "version": r["version"],
                "submitted_at": r["submitted_at"],
            }
        )
    return out


def _detail(app) -> dict:
    from kechuang.programmes.rules import EDITABLE_STATUSES

    live = app.status in EDITABLE_STATUSES
    return {
        **_app(app),
        "data": app.data,
        "form_schema": app.call.programme.form_schema,
        "eligibility": precheck.run(app) if live else (app.eligibility or None),
        "status_changes": [
            {"from_status": c.from_status, "to_status": c.to_status, "at": c.at, "reason": c.reason}
            for c in app.status_changes.all()
        ],
    }


@router.get("/calls", response=list[CallOut], auth=None)
@paginate(BoundedLimitOffset)
def open_calls(request):
    """Calls open for applications now (public notices; no login needed), each with its guide documents
    (申报指南: name, type, size and the portal's download address)."""
    calls = selectors.open_calls().select_related("programme").prefetch_related("guides")
    return [_call(c) for c in calls.order_by("closes_at", "pk")]


@router.get("/applications", response=list[ApplicationOut])
@paginate_rows
def applications(request, status: str | None = None):
    """The caller's applications: a firm its own, staff their region's, an expert those drawn to them."""
    qs = selectors.applications_for(request.auth)
    if status:
        qs = qs.filter(status=status)
    return rows(qs.order_by("-created_at", "-pk"), LIST_FIELDS, _app_rows)


@router.get("/applications/{application_id}", response=ApplicationDetailOut)
def application(request, application_id: int):
    app = get_object_or_404_for(permissions.applications, request.auth, "view", pk=application_id)
    return _detail(app)


@router.post("/applications", response={201: ApplicationDetailOut})
def application_create(request, payload: DraftCreateIn):
    if not is_firm_user(request.auth) or not request.auth.organisation_id:
        raise PermissionDenied
    call = get_object_or_404_for(permissions.calls, request.auth, "apply", pk=payload.call_id)
    app = services.application_create(
        actor=request.auth,
        call=call,
        organisation=request.auth.organisation,
        title=payload.title.strip() or f"{call.programme.name}申报",
        field_code=payload.field_code,
    )
    if payload.data:
        app = services.application_save_draft(
            actor=request.auth, application=app, data=payload.data, expected_version=app.version
        )
    return Status(201, _detail(app))


@router.put("/applications/{application_id}/draft", response=ApplicationDetailOut)
def application_save_draft(request, application_id: int, payload: DraftUpdateIn):
    app = get_object_or_404_for(permissions.applications, request.auth, "change", pk=application_id)
    if payload.title is not None and not payload.title.strip():
        raise ValidationError({"title": "申报名称不能为空。"})
    app = services.application_save_draft(
        actor=request.auth,
        application=app,
        data=payload.data,
        title=payload.title,
        expected_version=payload.version,
    )
    return _detail(app)


@router.post("/applications/{application_id}/submit", response=ApplicationDetailOut)
def application_submit(request, application_id: int):
    app = get_object_or_404_for(permissions.applications, request.auth, "change", pk=application_id)
    app = services.application_transition(actor=request.auth, application=app, to="submitted")
    return _detail(app)


@router.get("/reviews", response=list[AssignmentOut])
@paginate(BoundedLimitOffset)
def reviews(request):
    """An expert's assigned applications (only those drawn to them)."""
    if not is_expert_account(request.auth):
        raise PermissionDenied
    return [
        {
            "id": a.pk,
            "application_id": a.application_id,
            "call": str(a.application.call),
            "applicant": a.application.applicant_name,
            "title": a.application.title,
            "submitted_at": a.submitted_at,
        }
        for a in selectors.expert_assignments(request.auth).order_by("submitted_at", "pk")
    ]
