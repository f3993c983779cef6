"""决定 pages: the decision form of one application, its letter (.docx / PDF) and a call's decisions as xlsx."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from kechuang.core import exports
from kechuang.core.permissions import get_object_or_404_for
from kechuang.programmes import permissions, selectors, services
from kechuang.programmes.decision_forms import DecisionForm
from kechuang.programmes.views.common import S

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def decision_form(request, pk: int):
    app = get_object_or_404_for(permissions.applications, request.user, "view", pk=pk)
    if not permissions.may_decide(request.user, app):
        raise PermissionDenied
    if hasattr(app, "decision"):
        return redirect("programmes:application_detail", app.pk)
    form = DecisionForm(request.POST or None, application=app)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.application_decide(
                actor=request.user, application=app, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已作出决定，通知文号 {decision.number}。")
            return redirect("programmes:application_detail", app.pk)
    return render(
        request,
        "programmes/decision_form.html",
        {
            "app": app,
            "form": form,
            "summary": selectors.score_summary_for(request.user, app),
            "open": app.status == S.IN_PUBLICITY,
        },
    )


@login_required
def decision_letter(request, pk: int, fmt: str):
    """The letter as kept at the decision (.docx) or its PDF (converted once from those bytes); audited."""
    app = get_object_or_404_for(permissions.applications, request.user, "view", pk=pk)
    decision = getattr(app, "decision", None) if hasattr(app, "decision") else None
    if not permissions.sees_letter(request.user, app) or decision is None or not decision.docx:
        raise Http404("没有可下载的决定通知。")
    from kechuang.reports import docx_layout

    name = f"{decision.number or '决定通知'}_{app.applicant_name}"
    if fmt == "pdf":
        try:
            data, content_type, filename = services.decision_pdf(decision), "application/pdf", f"{name}.pdf"
        except docx_layout.PdfUnavailable:
            messages.error(request, "服务器未安装 PDF 转换组件，请下载 Word 版本。")
            return redirect("programmes:application_detail", app.pk)
    elif fmt == "docx":
        data, content_type, filename = bytes(decision.docx), DOCX_TYPE, f"{name}.docx"
    else:
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(fmt == "docx", filename)
    exports.record_download(request, action="file.download", filename=filename, obj=decision)
    return response


DECISION_HEADERS = [
    "申报单位/人",
    "申报名称",
    "技术领域",
    "状态",
    "平均分",
    "决定",
    "支持资金（元）",
    "立项条件/要求",
    "文号",
    "结果写入",
    "决定人",
    "决定时间",
]


@login_required
def call_decisions_export(request, pk: int):
    call = get_object_or_404_for(permissions.calls, request.user, "view", pk=pk)
    if not permissions.may_export_call(request.user, call):
        raise PermissionDenied
    rows = (
        [
            app.applicant_name,
            app.title,
            app.field_code,
            app.get_status_display(),
            summary["trimmed"] if summary["trimmed"] is not None else None,
            decision.get_result_display() if decision else "",
            decision.amount if decision else None,
            decision.conditions if decision else "",
            decision.number if decision else "",
            decision.outcome if decision else "",
            str(decision.decided_by) if decision else "",
            decision.decided_at if decision else None,
        ]
        for app, summary, decision in selectors.call_decisions(call)
    )
    return exports.xlsx_response(
        request, f"{call.programme.name}_{call.name}_决定.xlsx", DECISION_HEADERS, rows
    )
