"""Import history per module: every import and refused file of a spec (who, when, file, rows new / changed /
unchanged / refused), the uploaded file and the error file to download, and undo of a whole import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kechuang.core import files
from kechuang.core.imports import history, jobs
from kechuang.core.models import Attachment, Job
from kechuang.core.views.imports import _spec_for

PAGE = 30


def _entries(spec, user):
    """Commits, and previews that found errors (files refused before anything was written), newest first."""
    qs = history.imports_of(spec, user)
    previews = Job.objects.filter(kind=jobs.PREVIEW_KIND, params__spec=spec.name).exclude(
        result__error_file__in=("", None)
    )
    previews = previews.filter(pk__in=history.visible(previews, user))
    return (qs | previews).select_related("created_by").order_by("-created_at", "-pk")


@login_required
def import_history(request, spec: str):
    spec = _spec_for(request, spec)
    page = Paginator(_entries(spec, request.user), PAGE).get_page(request.GET.get("page"))
    rows = []
    for job in page:
        refusal = history.undo_refusal(job, request.user, quick=True) if job.kind == "import" else ""
        rows.append({"job": job, "undo": history.undo_of(job), "refusal": refusal})
    return render(request, "core/import_history.html", {"spec": spec, "page": page, "rows": rows})


def _job_for(request, pk: int) -> tuple:
    job = get_object_or_404(Job, pk=pk, kind__in=("import", jobs.PREVIEW_KIND))
    spec = _spec_for(request, job.params.get("spec", ""))
    visible = history.visible(Job.objects.filter(pk=job.pk), request.user)
    if not visible.exists():
        raise Http404
    return spec, job


@login_required
def import_file(request, pk: int):
    """The file as uploaded (kept with the import), for whoever may see the import."""
    _spec, job = _job_for(request, pk)
    attachment = get_object_or_404(Attachment, uid=job.params.get("attachment"))
    return files.attachment_response(request, attachment, preview=False)


@login_required
def import_error_file(request, pk: int):
    """The uploaded workbook with the error messages beside its rows."""
    _spec, job = _job_for(request, pk)
    uid = (job.result or {}).get("error_file")
    if not uid:
        raise Http404("该导入没有错误文件。")
    return files.attachment_response(request, get_object_or_404(Attachment, uid=uid), preview=False)


@login_required
@require_POST
def import_undo(request, pk: int):
    spec, job = _job_for(request, pk)
    try:
        undo = jobs.undo_job_start(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("core:import_history", spec.name)
    return redirect("core:job_status", undo.pk)


__all__ = ["import_error_file", "import_file", "import_history", "import_undo"]
