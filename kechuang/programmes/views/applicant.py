"""Applicant pages: my applications, create and edit (with autosave and precheck), detail, actions."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.core import dates, files
from kechuang.core import services as core_services
from kechuang.core.permissions import get_object_or_404_for, is_firm_user
from kechuang.enterprises import selectors as enterprise_selectors
from kechuang.programmes import form_rules, permissions, precheck, replacement, rules, selectors, services
from kechuang.programmes.expert_forms import ReasonForm as RecuseForm
from kechuang.programmes.forms import ApplicationDataForm, ReasonForm
from kechuang.programmes.views.common import S, _fail


@login_required
def my_applications(request):
    if not is_firm_user(request.user):
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
            with core_services.attachments_atomic():  # a refused save keeps none of its files
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
                    request, "programmes/application_edit.html#saved", {"app": app, "now": dates.now()}
                )
            messages.success(request, "草稿已保存。")
            return redirect("programmes:application_detail", app.pk)
    return render(
        request,
        "programmes/application_edit.html",
        {"app": app, "form": form, "slots": _slots(app), **_precheck_context(app)},
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
    """Store the new files of each attachment slot. The same file again in the same slot (an autosave or a
    retry re-sends what the file input still holds) is not stored twice: its sha256 is already there."""
    uids = {}
    for f in schema:
        upload = request.FILES.get(f"f_{f['key']}") if f["type"] == "attachment" else None
        if upload:
            data = upload.read()
            digest = hashlib.sha256(data).hexdigest()
            if (
                selectors.application_files(app)
                .filter(uid__in=selectors.application_file_uids(app, f["key"]), sha256=digest)
                .exists()
            ):
                continue
            attachment = core_services.attachment_store(
                actor=request.user,
                data=data,
                original_name=upload.name,
                kind=f["key"],
                organisation=app.organisation,
                allowed=form_rules.slot_types(f),
                max_bytes=f["max_mb"] * 1024 * 1024 if f.get("max_mb") else None,
                label=f["label"],
            )
            uids[f["key"]] = [str(attachment.uid)]
    return uids


def _slots(app) -> list[dict]:
    """Each attachment slot (key, label) with its files as rows for `components/attachments.html`."""
    found = selectors.application_files_by_slot(app)
    return [
        {**f, "files": found[f["key"]]} for f in app.call.programme.form_schema if f["type"] == "attachment"
    ]


@login_required
def application_file(request, pk: int, uid):
    """One file of an application, for whoever may see the application (firm, its staff, drawn experts)."""
    return files.record_file(
        request, policy=permissions.applications, pk=pk, uid=uid, files_of=selectors.application_files
    )


@login_required
@require_POST
def application_file_remove(request, pk: int, uid):
    app = get_object_or_404_for(permissions.applications, request.user, "change", pk=pk)
    key = next(
        (
            f["key"]
            for f in app.call.programme.form_schema
            if f["type"] == "attachment" and str(uid) in selectors.application_file_uids(app, f["key"])
        ),
        None,
    )
    if key is None:
        raise Http404("文件不存在或无权访问。")
    try:
        services.application_remove_file(actor=request.user, application=app, key=key, uid=str(uid))
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "附件已删除。")
    return redirect("programmes:application_edit", app.pk)


@login_required
def application_detail(request, pk: int):
    app = get_object_or_404_for(permissions.applications, request.user, "view", pk=pk)
    if app.status == S.UNDER_REVIEW and services.expire_overdue(application=app):
        messages.info(request, "有专家逾期未确认，已按抽取记录补抽。")
    programme = app.call.programme
    sees_panel = permissions.sees_panel(request.user, app)
    context = {
        "app": app,
        "fields": _fields(app),
        "changes": app.status_changes.select_related("actor"),
        "checklist": rules.checklist(programme.form_schema, app.data),
        "is_staff": permissions.applications.allows(request.user, "check", app),
        "is_applicant": is_firm_user(request.user),
        "firm_url": enterprise_selectors.firm_page_url(request.user, app.organisation),
        "steps": rules.page_steps(programme.type.transition_key, app.status),
        "scores": _labelled(selectors.scores_visible_to(request.user, app), programme.scoring_sheet),
        "summary": selectors.score_summary_for(request.user, app),
        "draw": getattr(app, "draw", None) if hasattr(app, "draw") else None,
        "reason_form": ReasonForm(),
        "panel": selectors.panel(app) if sees_panel and hasattr(app, "draw") else None,
        "recuse_form": RecuseForm(),
        "may_decide": permissions.may_decide(request.user, app),
        "may_resolve_objections": permissions.objections.may(request.user, "resolve"),
        "sees_letter": permissions.sees_letter(request.user, app),
        **_precheck_context(app),
    }
    if context["draw"]:
        links = [link.record for link in context["draw"].replacements.order_by("sequence")]
        context["draw_ok"] = replacement.verify_chain(context["draw"].record, links)
    return render(request, "programmes/application_detail.html", context)


def _fields(app) -> list[dict]:
    """The form's fields with their values; an attachment slot with its files."""
    slots = {slot["key"]: slot["files"] for slot in _slots(app)}
    return [
        {**f, "value": app.data.get(f["key"]), "files": slots.get(f["key"], [])}
        for f in app.call.programme.form_schema
    ]


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
        if action == "draw":
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
