"""Applicant pages: my applications, create and edit (with autosave and precheck), detail, actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.accounts.roles import Role
from kechuang.core import dates
from kechuang.core import services as core_services
from kechuang.core.permissions import get_object_or_404_for
from kechuang.programmes import permissions, precheck, rules, selectors, services
from kechuang.programmes.forms import ApplicationDataForm, ReasonForm
from kechuang.programmes.views.common import S, _fail


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
        "summary": selectors.score_summary_for(request.user, app),
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
