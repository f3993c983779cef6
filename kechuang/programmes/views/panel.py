"""The review panel: the expert's answer to a draw, staff recusal and 代录 of a paper sheet, the scanned sheet,
and the printable draw record (with every replacement and its re-verification)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.core import files
from kechuang.core.permissions import get_object_or_404_for
from kechuang.programmes import permissions, replacement, selectors, services
from kechuang.programmes.expert_forms import ProxyScoreForm, ReasonForm, RespondForm
from kechuang.programmes.views.common import _fail


@login_required
@require_POST
def review_respond(request, pk: int):
    assignment = get_object_or_404_for(permissions.assignments, request.user, "respond", pk=pk)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择接受、谢绝或回避。")
        return redirect("programmes:review_score", assignment.pk)
    try:
        services.assignment_respond(
            actor=request.user,
            assignment=assignment,
            answer=form.cleaned_data["answer"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("programmes:review_score", assignment.pk)
    if form.cleaned_data["answer"] == "accept":
        messages.success(request, "已接受评审任务，请查阅申报材料后评分。")
        return redirect("programmes:review_score", assignment.pk)
    messages.success(request, "已记录您的答复，系统已另行补抽专家。感谢您的配合。")
    return redirect("programmes:review_list")


@login_required
@require_POST
def review_recuse(request, pk: int):
    assignment = get_object_or_404_for(permissions.assignments, request.user, "replace", pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请写明发现的利益冲突。")
        link = services.assignment_recuse(
            actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        if link is None:
            messages.warning(request, "已记录回避，但专家库中已无可补抽的专家，请扩充专家库。")
        else:
            messages.success(request, f"已记录回避并补抽：{link.chosen.expert}。")
    return redirect("programmes:application_detail", assignment.application_id)


@login_required
def review_proxy(request, pk: int):
    """代录: staff enter an expert's paper score sheet, with the scanned sheet attached."""
    assignment = get_object_or_404_for(permissions.assignments, request.user, "proxy", pk=pk)
    app = assignment.application
    sheet = app.call.programme.scoring_sheet
    form = ProxyScoreForm(request.POST or None, request.FILES or None, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["sheet"]
        try:
            services.score_enter_on_behalf(
                actor=request.user,
                assignment=assignment,
                points={c["code"]: data[f"p_{c['code']}"] for c in sheet},
                comments={c["code"]: data[f"c_{c['code']}"] for c in sheet},
                comment=data["comment"],
                sheet_data=upload.read(),
                sheet_name=upload.name,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    key = field if field in form.fields else f"p_{field}"
                    form.add_error(key if key in form.fields else None, errs)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已代录{assignment.expert}的评分（附纸质评分表）。")
            return redirect("programmes:application_detail", app.pk)
    return render(
        request, "programmes/review_proxy.html", {"assignment": assignment, "app": app, "form": form}
    )


@login_required
def review_sheet(request, pk: int, uid):
    """The scanned paper sheet of a 代录 entry: for whoever may see the assignment (404 otherwise)."""
    return files.record_file(
        request,
        policy=permissions.assignments,
        pk=pk,
        uid=uid,
        files_of=selectors.assignment_sheet_files,
    )


@login_required
def draw_record(request, pk: int):
    """The draw record as a printable document: rules, exclusions, the panel, every replacement with its
    reason, seeds and hashes, and the recomputation of the whole chain."""
    app = get_object_or_404_for(permissions.applications, request.user, "view", pk=pk)
    draw = getattr(app, "draw", None) if hasattr(app, "draw") else None
    if draw is None or not permissions.sees_panel(request.user, app):
        from django.http import Http404

        raise Http404("尚无抽取记录。")
    from kechuang.programmes.models import Expert

    links = list(draw.replacements.select_related("replaced__expert__person", "chosen__expert__person"))
    ids = {c["id"] for c in draw.record["candidates"]}
    names = {e.pk: str(e) for e in Expert.objects.filter(pk__in=ids).select_related("person")}
    context = {
        "app": app,
        "draw": draw,
        "links": links,
        "panel": selectors.panel(app),
        "chosen": [names.get(i, i) for i in draw.record["chosen"]],
        "exclusions": [{**x, "name": names.get(x["id"], x["id"])} for x in draw.record["exclusions"]],
        "pool_size": len(ids),
        "verified": replacement.verify_chain(draw.record, [link.record for link in links]),
        "reasons": replacement.REASONS,
    }
    return render(request, "programmes/draw_record.html", context)
