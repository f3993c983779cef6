"""Expert pages: my review tasks and the scoring form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from kechuang.core.permissions import get_object_or_404_for, is_expert_account
from kechuang.programmes import permissions, selectors, services
from kechuang.programmes.expert_forms import RespondForm
from kechuang.programmes.forms import ScoreForm
from kechuang.programmes.views.common import _fail


@login_required
def review_list(request):
    if not is_expert_account(request.user):
        raise PermissionDenied
    return render(
        request, "programmes/review_list.html", {"assignments": selectors.expert_assignments(request.user)}
    )


@login_required
def review_score(request, pk: int):
    assignment = get_object_or_404_for(permissions.assignments, request.user, "review", pk=pk)
    app = assignment.application
    if services.expire_overdue(application=app):  # a lazy check of the answer deadline
        assignment.refresh_from_db()
    if assignment.response == assignment.Response.PENDING and request.method == "GET":
        context = {"assignment": assignment, "app": app, "respond_form": RespondForm()}
        return render(request, "programmes/review_score.html", context)
    if not assignment.active:
        return render(request, "programmes/review_score.html", {"assignment": assignment, "app": app})
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
