"""Pages for the reserve, 中期检查/验收, outcomes, documents, team changes and rectification follow-up.

Thin views over `services`: bind a form, fetch through a policy (404 outside scope), call one service,
show its Chinese message on the form when it refuses.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from kechuang.accounts.models import Team
from kechuang.core import dates, files
from kechuang.core import services as core_services
from kechuang.core.models import DictItem, Organisation
from kechuang.core.permissions import get_object_or_404_for, organisations
from kechuang.core.uploads import UploadRejected
from kechuang.projects import forms, permissions, rules, selectors, services
from kechuang.projects.models import Finding, ProjectReview, ReserveProject
from kechuang.projects.views import _error, _form_page, _project_action

NOT_FOUND = "对象不存在或无权访问。"


# --- Reserve ----------------------------------------------------------------------------------------
def _reserve_form(request, data=None, initial=None):
    from kechuang.programmes.models import Programme

    user = request.user
    region_path = user.region.path if user.region_id else "-"
    return forms.ReserveForm(
        data,
        initial=initial,
        organisations=organisations.queryset(user, "view").exclude(kind=Organisation.Kind.GOVERNMENT),
        fields=DictItem.objects.filter(dict_type__code="hnte_field", parent__isnull=True),
        owners=permissions.reserve_owner_candidates(user),
        teams=Team.objects.filter(region__path__startswith=region_path),
        programmes=Programme.objects.filter(region__path__in=services._ancestor_paths(region_path)),
    )


def _reserve_fields(data: dict) -> dict:
    data = dict(data)
    data.pop("version", None)
    return data


@login_required
def reserve_create(request):
    if not permissions.reserve.may(request.user, "create"):
        raise PermissionDenied
    form = _reserve_form(request, request.POST or None, initial={"year": dates.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            reserve = services.reserve_create(
                actor=request.user, region=request.user.region, **_reserve_fields(form.cleaned_data)
            )
            return redirect("projects:reserve_detail", reserve.pk)
        except ValidationError as exc:
            _error(form, exc)
    return _form_page(request, form, "录入储备项目")


@login_required
def reserve_detail(request, pk):
    reserve = get_object_or_404_for(
        permissions.reserve,
        request.user,
        "view",
        qs=ReserveProject.objects.select_related("organisation", "field", "owner", "team", "project"),
        pk=pk,
    )
    return render(
        request,
        "projects/reserve_detail.html",
        {
            "reserve": reserve,
            "history": reserve.status_changes.select_related("actor"),
            "may_change": permissions.reserve.allows(request.user, "change", reserve)
            and bool(rules.RESERVE_FLOW.allowed(reserve.status)),
        },
    )


@login_required
def reserve_edit(request, pk):
    reserve = get_object_or_404_for(permissions.reserve, request.user, "change", pk=pk)
    initial = {name: getattr(reserve, name) for name in services.RESERVE_EDITABLE}
    form = _reserve_form(request, request.POST or None, initial={**initial, "version": reserve.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.reserve_update(
                actor=request.user,
                reserve=reserve,
                expected_version=form.cleaned_data["version"] or 0,
                **_reserve_fields(form.cleaned_data),
            )
            return redirect("projects:reserve_detail", reserve.pk)
        except ValidationError as exc:
            _error(form, exc)
    return _form_page(request, form, f"修改储备项目：{reserve.title}")


@login_required
def reserve_move(request, pk):
    reserve = get_object_or_404_for(permissions.reserve, request.user, "change", pk=pk)
    labels = dict(ReserveProject.Status.choices)
    targets = [(s, labels[s]) for s in rules.RESERVE_FLOW.targets(reserve.status)]
    form = forms.ReserveMoveForm(
        request.POST or None,
        targets=targets,
        projects=selectors.projects_for(request.user, action="change")
        .filter(undertaking_unit_id=reserve.organisation_id)  # the same firm's projects only
        .order_by("-year", "number"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reserve_transition(actor=request.user, reserve=reserve, **form.cleaned_data)
            return redirect("projects:reserve_detail", reserve.pk)
        except ValidationError as exc:
            _error(form, exc)
    return _form_page(
        request, form, f"变更储备项目状态：{reserve.title}（当前：{reserve.get_status_display()}）"
    )


# --- 中期检查 / 验收 -------------------------------------------------------------------------------
@login_required
def review_draw(request, pk):
    return _project_action(
        request,
        pk,
        "review",
        forms.ReviewDrawForm,
        "抽取专家组（中期检查/验收）",
        lambda p, d: services.review_draw(actor=request.user, project=p, kind=d["kind"]),
    )


@login_required
def review_conclude(request, pk):
    review = get_object_or_404_for(
        permissions.reviews,
        request.user,
        "review",
        qs=ProjectReview.objects.select_related("project").prefetch_related("experts__person"),
        pk=pk,
    )
    form = forms.ReviewConcludeForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_conclude(actor=request.user, review=review, **form.cleaned_data)
            return redirect("projects:project_detail", review.project_id)
        except ValidationError as exc:
            _error(form, exc)
    title = f"{review.get_kind_display()}结论：{review.project.name}"
    return _form_page(request, form, title, review=review)


@login_required
def outcome_add(request, pk):
    return _project_action(
        request,
        pk,
        "change",
        forms.OutcomeForm,
        "登记项目成果",
        lambda p, d: services.outcome_add(actor=request.user, project=p, **d),
    )


# --- Documents and team ------------------------------------------------------------------------------
def _project_for_any(request, pk, actions):
    """The project when the user may do any of `actions` on it; a 404 otherwise."""
    for action in actions:
        qs = permissions.projects.queryset(request.user, action).filter(pk=pk)
        project = qs.select_related("undertaking_unit", "region").first()
        if project is not None:
            return project
    raise Http404(NOT_FOUND)


@login_required
def document_add(request, pk):
    project = _project_for_any(request, pk, ("change", "report"))
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_add(
                actor=request.user,
                project=project,
                data=upload.read(),
                original_name=upload.name,
                title=form.cleaned_data["title"],
            )
            return redirect("projects:project_detail", project.pk)
        except UploadRejected as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            _error(form, exc)
    return _form_page(request, form, f"上传项目文件：{project.name}", multipart=True)


@login_required
def team_change(request, pk):
    project = _project_for_any(request, pk, ("change", "request_change"))
    members = project.members.select_related("person").order_by("pk")
    form = forms.TeamChangeForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        payload = {
            "leader_name": d["leader_name"],
            "add": d["add"],
            "remove": [m.pk for m in d["remove"]],
        }
        try:
            services.change_request_submit(
                actor=request.user, project=project, kind="team", reason=d["reason"], payload=payload
            )
            return redirect("projects:project_detail", project.pk)
        except ValidationError as exc:
            _error(form, exc)
    return render(
        request,
        "projects/team_change.html",
        {"form": form, "project": project, "members": members, "title": f"团队变更：{project.name}"},
    )


# --- Rectification follow-up -------------------------------------------------------------------------
@login_required
def finding_list(request):
    if not permissions.findings.may(request.user, "view"):
        raise PermissionDenied
    state = request.GET.get("state", "open")
    today = dates.today()
    findings = list(selectors.findings_for(request.user, state=state, today=today)[:200])
    # The 跟踪 link only where the user may follow up (a leader reads the list; the page would 404).
    followable = set(
        permissions.findings.queryset(request.user, "follow_up")
        .filter(pk__in=[f.pk for f in findings])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "projects/finding_list.html",
        {
            "findings": findings,
            "followable": followable,
            "state": state,
            "today": today,
            "states": [("open", "整改中"), ("overdue", "已逾期"), ("closed", "已整改"), ("all", "全部")],
        },
    )


@login_required
def finding_follow_up(request, pk):
    finding = get_object_or_404_for(
        permissions.findings,
        request.user,
        "follow_up",
        qs=Finding.objects.select_related("item__project", "item__campaign"),
        pk=pk,
    )
    may_close = permissions.findings.allows(request.user, "close", finding)
    form = forms.FollowUpForm(request.POST or None, request.FILES or None, may_close=may_close)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("evidence")
        try:
            with core_services.attachments_atomic():  # a refused follow-up keeps no file
                services.finding_follow_up(
                    actor=request.user,
                    finding=finding,
                    follow_up=form.cleaned_data["follow_up"],
                    close=form.cleaned_data.get("close", False),
                    files=[(upload.name, upload.read())] if upload else [],
                )
            return redirect("projects:finding_list")
        except UploadRejected as exc:
            form.add_error("evidence", str(exc))
        except ValidationError as exc:
            _error(form, exc)
    return render(
        request,
        "projects/finding_follow_up.html",
        {"form": form, "finding": finding, "today": dates.today(), "files": finding.evidence.all()},
    )


@login_required
def finding_file(request, pk, uid):
    """A rectification's evidence, for whoever may see the finding."""
    return files.record_file(
        request, policy=permissions.findings, pk=pk, uid=uid, files_of=lambda f: f.evidence.all()
    )
