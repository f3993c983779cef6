"""Import pages: upload → preview (computed by the worker, shown a page at a time) → confirm → commit (the
worker again) → result. The web process stores the file and reads stored preview rows; it never parses."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from kechuang.core import imports, services
from kechuang.core.exports import XLSX_TYPE
from kechuang.core.imports import jobs
from kechuang.core.imports.spec import MONEY_UNITS
from kechuang.core.models import Attachment, ImportRow, Job
from kechuang.core.uploads import UploadRejected

PAGE_ROWS = 50


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）", help_text="可直接上传原始报表：标题行、合并单元格、合计行会自动识别。"
    )

    def __init__(self, *args, spec: imports.ImportSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx"})
        for key in spec.file_defaults:  # e.g. 统计期, 数据状态 for the whole file
            column = spec.column(key)
            help_text = f"只用于本列空白的行；某行填写了不同的{column.label}时，该行不导入并说明原因。"
            if column.choices:
                field = forms.ChoiceField(
                    choices=[("", "（按表中每行填写）"), *column.choices], required=False
                )
            else:
                field = forms.CharField(max_length=40, required=False, help_text=column.help)
            field.label, field.help_text = (
                f"整个文件的{column.label}",
                f"{field.help_text} {help_text}".strip(),
            )
            field.widget.attrs["class"] = "form-select" if column.choices else "form-control"
            self.fields[key] = field
        if any(c.kind == "money" for c in spec.columns):
            self.fields["unit"] = forms.ChoiceField(
                label="金额单位",
                choices=[("", "（按表中注明，未注明为模板单位）"), *((u, u) for u in MONEY_UNITS)],
                required=False,
                help_text="表中没有注明单位时按此换算；表中注明了不同的单位时不导入并说明原因。",
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def clean(self):
        data = super().clean()
        for key in self.spec.file_defaults:
            value = data.get(key)
            if value and self.spec.canonical is not None:
                try:
                    data[key] = self.spec.canonical(key, value)
                except ValidationError as exc:
                    self.add_error(
                        key,
                        exc.message_dict.get(key, exc.messages)
                        if hasattr(exc, "error_dict")
                        else exc.messages,
                    )
        return data

    def defaults(self) -> dict:
        return {
            k: self.cleaned_data[k] for k in (*self.spec.file_defaults, "unit") if self.cleaned_data.get(k)
        }


def _spec_for(request, name: str) -> imports.ImportSpec:
    try:
        spec = imports.get(name)
    except KeyError:
        raise Http404 from None
    if not spec.may_import(request.user):
        raise PermissionDenied("您没有导入该数据的权限。")
    return spec


@login_required
def import_index(request):
    available = [s for s in imports.specs() if s.may_import(request.user)]
    return render(request, "core/import_index.html", {"specs": available})


@login_required
def import_upload(request, spec: str):
    spec = _spec_for(request, spec)
    form = UploadForm(request.POST or None, request.FILES or None, spec=spec)
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
            job = jobs.preview_job_start(
                actor=request.user, spec=spec, attachment=attachment, defaults=form.defaults()
            )
            return redirect("core:job_status", job.pk)
    return render(request, "core/import_upload.html", {"spec": spec, "form": form})


@login_required
def import_job_result(request, pk: int):
    """A preview (its counts and rows, a page at a time, filtered by outcome) or a commit's result."""
    job = get_object_or_404(Job, created_by=request.user, kind__in=("import", jobs.PREVIEW_KIND), pk=pk)
    if job.kind != jobs.PREVIEW_KIND:
        return render(request, "core/import_job_result.html", {"job": job})
    spec = imports.get(job.params["spec"])
    outcome = request.GET.get("outcome", "")
    rows = ImportRow.objects.filter(job=job).order_by("number", "pk")
    if outcome in ImportRow.Outcome.values:
        rows = rows.filter(outcome=outcome)
    page = Paginator(rows, PAGE_ROWS).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "spec": spec,
        "page": page,
        "outcome": outcome,
        "outcomes": ImportRow.Outcome.choices,
        "committed": Job.objects.filter(pk=job.result.get("commit_job")).first(),
    }
    return render(request, "core/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request, pk: int):
    """Commit a previewed file that had no errors, once: the worker writes it (and refuses it if the
    records changed since the preview)."""
    with transaction.atomic():  # the preview row locked: a second click cannot queue a second commit
        preview = get_object_or_404(
            Job.objects.select_for_update(), created_by=request.user, kind=jobs.PREVIEW_KIND, pk=pk
        )
        spec = _spec_for(request, preview.params["spec"])
        if preview.status != Job.Status.SUCCEEDED or not preview.result.get("ready"):
            raise Http404
        if preview.result.get("commit_job"):
            return redirect("core:job_status", preview.result["commit_job"])
        attachment = get_object_or_404(Attachment, uid=preview.params["attachment"], uploaded_by=request.user)
        job = jobs.import_job_start(
            actor=request.user,
            spec=spec,
            attachment=attachment,
            rows=preview.result.get("data_rows", 0),
            preview=preview,
        )
    return redirect("core:job_status", job.pk)


@login_required
def import_template(request, spec: str):
    spec = _spec_for(request, spec)
    response = HttpResponse(imports.template_workbook(spec), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{spec.title}导入模板.xlsx")
    return response
