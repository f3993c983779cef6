from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kechuang.accounts.roles import Role
from kechuang.core import dates
from kechuang.core import services as core_services
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.tables import Column, build_table
from kechuang.programmes import permissions, precheck, rules, selectors, services
from kechuang.programmes.forms import (
    AnswerForm,
    ApplicationDataForm,
    AttendanceImportForm,
    CallForm,
    ObjectionForm,
    ProgrammeForm,
    ProgrammeTypeForm,
    PublicityForm,
    ReasonForm,
    ScoreForm,
)
from kechuang.programmes.models import Application, Programme, ProgrammeType

S = Application.Status


def _fail(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Applicant ---------------------------------------------------------------------------------------
@login_required
def my_applications(request):
    if request.user.role != Role.ENTERPRISE:
        raise PermissionDenied
    apps = selectors.applications_for(request.user).order_by("-created_at")
    return render(
        request,
        "programmes/my_applications.html",
        {
            "applications": apps,
            "open_calls": selectors.open_calls().filter(programme__type__applicant_kind="enterprise"),
        },
    )


@login_required
@require_POST
def application_create(request, call_pk: int):
    call = get_object_or_404_for(permissions.calls, request.user, "apply", pk=call_pk)
    try:
        app = services.application_create(
            actor=request.user,
            call=call,
            organisation=request.user.organisation,
            title=f"{call.programme.name}申报",
        )
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("programmes:my_applications")
    return redirect("programmes:application_edit", app.pk)


@login_required
def application_edit(request, pk: int):
    app = get_object_or_404_for(permissions.applications, request.user, "change", pk=pk)
    schema = app.call.programme.form_schema
    form = ApplicationDataForm(
        request.POST or None,
        request.FILES or None,
        schema=schema,
        initial_data=app.data,
        initial={"title": app.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            uids = _store_uploads(request, app, schema)
            services.application_save_draft(
                actor=request.user,
                application=app,
                data=form.data_for(app.data, uids),
                title=form.cleaned_data["title"],
                expected_version=int(request.POST.get("version", 0)),
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            if request.htmx:
                return render(
                    request, "programmes/application_edit.html#saved", {"app": app, "now": timezone.now()}
                )
            messages.success(request, "草稿已保存。")
            return redirect("programmes:application_detail", app.pk)
    return render(
        request, "programmes/application_edit.html", {"app": app, "form": form, **_precheck_context(app)}
    )


def _precheck_context(app) -> dict:
    """Live pre-check while the applicant can still edit; the stored (submission) result afterwards."""
    live = app.status in rules.EDITABLE_STATUSES
    result = precheck.run(app) if live else (app.eligibility or None)
    return {
        "precheck": result,
        "precheck_verdict": precheck.verdict(result),
        "precheck_stored": not live,
        "blocks": app.call.programme.eligibility_blocks,
    }


def _store_uploads(request, app, schema) -> dict[str, list[str]]:
    uids = {}
    for f in schema:
        upload = request.FILES.get(f"f_{f['key']}") if f["type"] == "attachment" else None
        if upload:
            attachment = core_services.attachment_store(
                actor=request.user,
                data=upload.read(),
                original_name=upload.name,
                kind=f["key"],
                organisation=app.organisation,
            )
            uids[f["key"]] = [str(attachment.uid)]
    return uids


@login_required
def application_detail(request, pk: int):
    app = get_object_or_404_for(permissions.applications, request.user, "view", pk=pk)
    programme = app.call.programme
    context = {
        "app": app,
        "fields": [{**f, "value": app.data.get(f["key"])} for f in programme.form_schema],
        "changes": app.status_changes.select_related("actor"),
        "checklist": rules.checklist(programme.form_schema, app.data),
        "is_staff": permissions.applications.allows(request.user, "check", app),
        "is_applicant": request.user.role == Role.ENTERPRISE,
        "steps": rules.TRANSITION_TABLES[programme.type.transition_key].get(app.status, {}),
        "scores": _labelled(selectors.scores_visible_to(request.user, app), programme.scoring_sheet),
        "summary": selectors.score_summary(app),
        "draw": getattr(app, "draw", None) if hasattr(app, "draw") else None,
        "reason_form": ReasonForm(),
        **_precheck_context(app),
    }
    if context["draw"]:
        context["draw_ok"] = rules.verify_draw(context["draw"].record)
    return render(request, "programmes/application_detail.html", context)


def _labelled(scores, sheet) -> list:
    """Scores with their criterion's label, in the order of the scoring sheet."""
    order = {c["code"]: (i, c["label"]) for i, c in enumerate(sheet)}
    scores = list(scores)
    for score in scores:
        score.label = order.get(score.criterion, (0, score.criterion))[1]
    return sorted(scores, key=lambda s: (s.assignment_id, order.get(s.criterion, (99,))[0]))


ACTIONS = {
    "submit": S.SUBMITTED,
    "withdraw": S.WITHDRAWN,
    "accept": S.ACCEPTED,
    "return": S.RETURNED,
    "reject": S.REJECTED,
    "not_approved": S.NOT_APPROVED,
}


@login_required
@require_POST
def application_action(request, pk: int, action: str):
    app = get_object_or_404_for(permissions.applications, request.user, "view", pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if action in ("approve", "decide_reject"):
            number = request.POST.get("certificate_number", "").strip()
            services.application_decide(
                actor=request.user,
                application=app,
                approve=action == "approve",
                reason=reason,
                outcome_data={"number": number} if number else None,
            )
        elif action == "draw":
            services.review_draw(actor=request.user, application=app)
        elif action in ACTIONS:
            services.application_transition(
                actor=request.user, application=app, to=ACTIONS[action], reason=reason
            )
        else:
            raise ValidationError("未知的操作。")
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "操作成功。")
    return redirect("programmes:application_detail", app.pk)


# --- Staff -------------------------------------------------------------------------------------------
@login_required
def call_list(request):
    if not permissions.calls.may(request.user, "view") or request.user.role == Role.ENTERPRISE:
        raise PermissionDenied
    columns = [
        Column("programme", "项目", "programme__name"),
        Column("name", "批次", "name"),
        Column("closes_at", "截止", "closes_at"),
        Column("n_applications", "申报数", "n_applications"),
        Column("n_approved", "批准数", "n_approved"),
    ]
    table = build_table(request, selectors.calls_for(request.user), columns, default_sort="-closes_at")
    template = "programmes/call_list.html#rows" if request.htmx else "programmes/call_list.html"
    perms_create = request.user.role == Role.STAFF
    return render(request, template, {"table": table, "perms_create": perms_create})


@login_required
def call_create(request):
    if not permissions.calls.may(request.user, "create") or request.user.role != Role.STAFF:
        raise PermissionDenied
    programmes = selectors.programmes_for(request.user)
    form = CallForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = services.call_create(
                actor=request.user, region=request.user.region, level=data["programme"].level, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "申报批次已创建。")
            return redirect("programmes:call_detail", call.pk)
    return render(request, "programmes/call_form.html", {"form": form})


@login_required
def call_detail(request, pk: int):
    call = get_object_or_404_for(permissions.calls, request.user, "view", pk=pk)
    if request.user.role == Role.ENTERPRISE:
        raise PermissionDenied
    apps = (
        call.applications.exclude(status=S.DRAFT)
        .select_related("organisation", "person")
        .order_by("status", "pk")
    )
    candidates = call.applications.filter(status__in=[S.REVIEWED, S.ACCEPTED])
    return render(
        request,
        "programmes/call_detail.html",
        {
            "call": call,
            "applications": apps,
            "ranking": selectors.ranking(call),
            "publicities": call.publicities.all(),
            "publicity_form": PublicityForm(candidates=candidates, initial={"starts_on": dates.today()}),
            "may_change": permissions.calls.allows(request.user, "change", call),
        },
    )


@login_required
@require_POST
def call_publicity(request, pk: int):
    call = get_object_or_404_for(permissions.calls, request.user, "change", pk=pk)
    candidates = call.applications.filter(status__in=[S.REVIEWED, S.ACCEPTED])
    form = PublicityForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            period = services.publicity_open(
                actor=request.user,
                call=call,
                applications=list(form.cleaned_data["applications"]),
                starts_on=form.cleaned_data["starts_on"],
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"公示已发布，截止{period.ends_on:%Y年%m月%d日}。{period.note}")
    else:
        messages.error(request, "请选择公示开始日期和拟公示名单。")
    return redirect("programmes:call_detail", call.pk)


@login_required
@require_POST
def call_decide_batch(request, pk: int):
    call = get_object_or_404_for(permissions.calls, request.user, "change", pk=pk)
    ids = request.POST.getlist("applications")
    apps = list(
        selectors.applications_for(request.user, "decide", call=call, pk__in=ids, status=S.IN_PUBLICITY)
    )
    decided, refused = services.decide_batch(actor=request.user, applications=apps, approve=True)
    messages.success(request, f"已批准{len(decided)}项。")
    for message in refused.values():
        messages.error(request, message)
    return redirect("programmes:call_detail", call.pk)


@login_required
@require_POST
def objection_answer(request, pk: int):
    objection = get_object_or_404_for(permissions.objections, request.user, "answer", pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(actor=request.user, objection=objection, **form.cleaned_data)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "异议已答复。")
    else:
        messages.error(request, "请填写答复内容。")
    return redirect("programmes:my_tasks")


@login_required
def my_tasks(request):
    if request.user.role != Role.STAFF:
        raise PermissionDenied
    return render(
        request,
        "programmes/my_tasks.html",
        {"tasks": selectors.my_tasks(request.user), "answer_form": AnswerForm()},
    )


# --- Configuration (programme types and programmes) -------------------------------------------------
@login_required
def config_list(request):
    if not permissions.programmes.may(request.user, "view"):
        raise PermissionDenied
    return render(
        request,
        "programmes/config_list.html",
        {
            "types": permissions.programme_types.queryset(request.user).order_by("code"),
            "programmes": permissions.programmes.queryset(request.user).order_by("type__code", "code"),
            "may_change": request.user.role == Role.STAFF,
        },
    )


@login_required
def programme_type_edit(request, pk: int | None = None):
    if pk is None:
        if not permissions.programme_types.may(request.user, "create"):
            raise PermissionDenied
        ptype = None
    else:
        ptype = get_object_or_404_for(permissions.programme_types, request.user, "change", pk=pk)
    form = ProgrammeTypeForm(request.POST or None, instance=ProgrammeType() if ptype is None else ptype)
    if request.method == "POST" and form.is_valid():
        try:
            if ptype is None:
                services.programme_type_create(actor=request.user, **form.cleaned_data)
            else:
                services.programme_type_update(
                    actor=request.user,
                    ptype=ptype,
                    expected_version=int(request.POST.get("version") or 0),
                    **form.cleaned_data,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "项目类型已保存。")
            return redirect("programmes:config_list")
    return render(request, "programmes/config_form.html", {"form": form, "obj": ptype, "what": "项目类型"})


@login_required
def programme_edit(request, pk: int | None = None):
    if pk is None:
        if not permissions.programmes.may(request.user, "create") or request.user.region_id is None:
            raise PermissionDenied
        programme = None
    else:
        programme = get_object_or_404_for(permissions.programmes, request.user, "change", pk=pk)
    form = ProgrammeForm(request.POST or None, instance=programme or Programme())
    if request.method == "POST" and form.is_valid():
        try:
            if programme is None:
                saved = services.programme_create(
                    actor=request.user, region=request.user.region, **form.cleaned_data
                )
            else:
                saved = services.programme_update(
                    actor=request.user,
                    programme=programme,
                    expected_version=int(request.POST.get("version") or 0),
                    **form.cleaned_data,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"项目“{saved.name}”已保存。")
            return redirect("programmes:config_list")
    return render(request, "programmes/config_form.html", {"form": form, "obj": programme, "what": "项目"})


# --- Expert ------------------------------------------------------------------------------------------
@login_required
def review_list(request):
    if request.user.role != Role.EXPERT:
        raise PermissionDenied
    return render(
        request, "programmes/review_list.html", {"assignments": selectors.expert_assignments(request.user)}
    )


@login_required
def review_score(request, pk: int):
    assignment = get_object_or_404_for(permissions.assignments, request.user, "review", pk=pk)
    app = assignment.application
    form = ScoreForm(request.POST or None, sheet=app.call.programme.scoring_sheet)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sheet = app.call.programme.scoring_sheet
        try:
            services.score_submit(
                actor=request.user,
                application=app,
                points={c["code"]: data[f"p_{c['code']}"] for c in sheet},
                comments={c["code"]: data[f"c_{c['code']}"] for c in sheet},
                comment=data["comment"],
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "评分已提交。")
            return redirect("programmes:review_list")
    return render(
        request, "programmes/review_score.html", {"assignment": assignment, "app": app, "form": form}
    )


# --- Public ------------------------------------------------------------------------------------------
def public_publicity_list(request):
    table = build_table(
        request,
        selectors.published_publicities(),
        [Column("starts_on", "公示开始", "starts_on"), Column("title", "标题")],
        default_sort="-starts_on",
        per_page=20,
    )
    return render(request, "programmes/public_publicity_list.html", {"table": table})


def public_publicity_detail(request, pk: int):
    period = get_object_or_404(selectors.published_publicities(), pk=pk)
    entries = selectors.publicity_entries(period)
    form = ObjectionForm(request.POST or None, request.FILES or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = None
            if data["evidence"]:
                evidence = core_services.attachment_store(
                    actor=None,
                    data=data["evidence"].read(),
                    original_name=data["evidence"].name,
                    kind="objection_evidence",
                    region=period.call.region,
                )
            services.objection_submit(
                publicity=period,
                name=data["name"],
                contact=data["contact"],
                reason=data["reason"],
                application=data["application"],
                evidence=evidence,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "您的异议已收到，我们将核实后答复。")
            return redirect("programmes:public_publicity_detail", period.pk)
    today = dates.today()
    return render(
        request,
        "programmes/public_publicity_detail.html",
        {
            "period": period,
            "entries": entries,
            "form": form,
            "is_open": period.starts_on <= today <= period.ends_on,
        },
    )


# --- Trainings ---------------------------------------------------------------------------------------
@login_required
def training_list(request):
    if request.user.role not in (Role.STAFF, Role.LEADER):
        raise PermissionDenied
    return render(
        request,
        "programmes/training_list.html",
        {
            "trainings": selectors.trainings_for(request.user),
            "per_topic": selectors.firms_trained(request.user.region),
        },
    )


@login_required
def training_detail(request, pk: int):
    training = get_object_or_404_for(permissions.trainings, request.user, "view", pk=pk)
    if request.user.role == Role.ENTERPRISE:
        return _training_for_firm(request, training)
    form = AttendanceImportForm(request.POST or None)
    if request.method == "POST":
        training = get_object_or_404_for(permissions.trainings, request.user, "change", pk=pk)
        try:
            if "material" in request.FILES:
                upload = request.FILES["material"]
                services.training_add_material(
                    actor=request.user, training=training, data=upload.read(), original_name=upload.name
                )
            elif "ticked" in request.POST:
                ids = [int(i) for i in request.POST.getlist("attended") if i.isdigit()]
                services.training_mark_attendance(actor=request.user, training=training, organisation_ids=ids)
            elif form.is_valid():
                services.training_import_attendance(
                    actor=request.user, training=training, lines=form.cleaned_data["lines"].splitlines()
                )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "签到已更新。")
            return redirect("programmes:training_detail", training.pk)
    participants = training.participants.select_related("organisation")
    materials = training.materials.all()
    return render(
        request,
        "programmes/training_detail.html",
        {"training": training, "participants": participants, "form": form, "materials": materials},
    )


def _training_for_firm(request, training):
    """An invited firm sees the training and its materials and registers its attendee."""
    if request.method == "POST":
        name = request.POST.get("attendee_name", "").strip()[:40]
        if not name:
            messages.error(request, "请填写参会人姓名。")
        else:
            services.training_register(
                actor=request.user,
                training=training,
                organisation=request.user.organisation,
                attendee_name=name,
            )
            messages.success(request, "报名成功。")
            return redirect("programmes:training_detail", training.pk)
    participant = training.participants.filter(organisation_id=request.user.organisation_id).first()
    return render(
        request,
        "programmes/training_firm.html",
        {"training": training, "participant": participant, "materials": training.materials.all()},
    )
