"""Import pages: upload → preview (row errors) → confirm → result, or a background job for big files."""

import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from kechuang.core import imports, permissions, services
from kechuang.core.exports import XLSX_TYPE
from kechuang.core.imports import engine, jobs
from kechuang.core.models import Attachment, Job
from kechuang.core.uploads import UploadRejected


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）", help_text="可直接上传原始报表：标题行、合并单元格、合计行会自动识别。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx"})


def _spec_for(request, name: str) -> imports.ImportSpec:
    try:
        spec = imports.get(name)
    except KeyError:
        raise Http404 from None
    if not spec.may_import(request.user):
        raise PermissionDenied("您没有导入该数据的权限。")
    return spec


def _read(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as fh:
        return fh.read()


@login_required
def import_index(request):
    available = [s for s in imports.specs() if s.may_import(request.user)]
    return render(request, "core/import_index.html", {"specs": available})


@login_required
def import_upload(request, spec: str):
    spec = _spec_for(request, spec)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment = services.attachment_store(
                actor=request.user,
                data=upload.read(),
                original_name=upload.name,
                kind="import",
                region=request.user.region,
                allowed={XLSX_TYPE},
            )
        except UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            checked = engine.preview(spec, _read(attachment), request.user)
            return _preview_page(request, spec, attachment, checked)
    return render(request, "core/import_upload.html", {"spec": spec, "form": form})


def _preview_page(request, spec, attachment, checked):
    columns = [c for c in spec.columns if c.key in checked.column_map]
    context = {
        "spec": spec,
        "attachment": attachment,
        "preview": checked,
        "sample": [
            (r.number, [r.data.get(c.key) for c in columns]) for r in checked.ok_rows[: engine.PREVIEW_ROWS]
        ],
        "columns": columns,
        "background": checked.data_rows > engine.BACKGROUND_ROWS,
    }
    return render(request, "core/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request, spec: str):
    spec = _spec_for(request, spec)
    try:
        uid = uuid.UUID(request.POST.get("attachment", ""))
    except ValueError:
        raise Http404 from None
    mine = Attachment.objects.filter(uploaded_by=request.user, kind="import")
    attachment = permissions.get_object_or_404_for(
        permissions.attachments, request.user, "view", qs=mine, uid=uid
    )
    data = _read(attachment)
    checked = engine.preview(spec, data, request.user)
    if checked.errors:
        return _preview_page(request, spec, attachment, checked)
    if checked.data_rows > engine.BACKGROUND_ROWS:
        job = jobs.import_job_start(
            actor=request.user, spec=spec, attachment=attachment, rows=checked.data_rows
        )
        return redirect("core:job_status", job.pk)
    try:
        result = engine.commit(
            spec, data, actor=request.user, filename=attachment.original_name, checked=checked
        )
    except imports.ImportRejected as exc:
        checked.errors = exc.errors
        return _preview_page(request, spec, attachment, checked)
    return render(request, "core/import_result.html", {"spec": spec, "result": result, "preview": checked})


@login_required
def import_template(request, spec: str):
    spec = _spec_for(request, spec)
    response = HttpResponse(imports.template_workbook(spec), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{spec.title}导入模板.xlsx")
    return response


@login_required
def import_job_result(request, pk: int):
    job = get_object_or_404(Job, created_by=request.user, kind="import", pk=pk)
    return render(request, "core/import_job_result.html", {"job": job})
