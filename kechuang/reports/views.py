"""Dashboard, drill-down and work-summary drafts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import exports, indicators
from kechuang.core.indicators import Scope
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.routers import reporting_reads
from kechuang.reports import claims, documents, docx_layout, permissions, services, summary
from kechuang.reports import dashboard as dash
from kechuang.reports import drill as drilling
from kechuang.reports.forms import DraftCreateForm, RegenerateForm, ScopeForm
from kechuang.reports.seed import ensure_seed_template


def _regions(user):
    if not permissions.dashboard.may(user, "view"):
        raise PermissionDenied("无权查看报表。")
    return dash.regions_for(user)


def _scope(request) -> tuple[ScopeForm, Scope | None]:
    _regions(request.user)  # refuses users who may not read the dashboard
    return dash.scope_from(request.user, request.GET)


@login_required
def dashboard(request):
    form, scope = _scope(request)
    context = {"form": form, "scope": scope}
    if scope is not None:
        stamp = dash.figures_stamp()  # one read for both snapshots
        cards, compared = dash.figures(scope, stamp=stamp), dash.comparison(scope, stamp=stamp)
        context["data"] = cards.data
        context["compare_heads"], context["compare_rows"] = compared.data
        # when either is older than the data, the page says when the older one was computed
        context["shown"] = min((cards, compared), key=lambda f: (f.fresh, f.computed_at))
    return render(request, "reports/dashboard.html", context)


@login_required
def drill(request, code: str):
    try:
        indicator = indicators.get(code)
    except KeyError:
        raise Http404("指标不存在。") from None
    form, scope = _scope(request)
    context = {"form": form, "indicator": indicator, "scope": scope}
    if scope is not None:
        with reporting_reads():
            value = indicator.compute(scope)
            context.update(drilling.table(request, value), value=value)
    return render(request, "reports/drill.html", context)


@login_required
def draft_list(request):
    if not permissions.drafts.may(request.user, "view"):
        raise PermissionDenied("无权查看工作总结。")
    drafts = permissions.drafts.queryset(request.user).select_related("region", "created_by")[:100]
    form = None
    if permissions.drafts.may(request.user, "create"):
        ensure_seed_template(request.user.region)
        form = DraftCreateForm(
            initial=ScopeForm.initial_for(request.user),
            regions=_regions(request.user),
            templates=permissions.templates.queryset(request.user, "view"),
        )
    may_templates = permissions.templates.may(request.user, "change")
    return render(
        request, "reports/draft_list.html", {"drafts": drafts, "form": form, "may_templates": may_templates}
    )


@login_required
@require_POST
def draft_create(request):
    if not permissions.drafts.may(request.user, "create"):
        raise PermissionDenied("无权生成工作总结。")
    form = DraftCreateForm(
        request.POST, regions=_regions(request.user), templates=permissions.templates.queryset(request.user)
    )
    if form.is_valid():
        c = form.cleaned_data
        try:
            draft = services.draft_generate(
                actor=request.user,
                template=c["template"],
                scope=Scope(c["region"], c["period"], c["as_of"]),
                topic=c["topic"] or None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("reports:draft_detail", draft.pk)
    drafts = permissions.drafts.queryset(request.user).select_related("region", "created_by")[:100]
    return render(request, "reports/draft_list.html", {"drafts": drafts, "form": form}, status=400)


def _blocks_view(draft):
    return preview_sections(draft.sections, services.scope_of(draft))


def preview_sections(raw_sections: list[dict], scope) -> list[dict]:
    """Sections with each computed block split into text and figure segments (figures link to drill-down)."""
    sections = []
    for si, section in enumerate(raw_sections):
        blocks = []
        for bi, block in enumerate(section["blocks"]):
            blocks.append({**block, "si": si, "bi": bi, "name": f"b-{si}-{bi}"})
            if block["kind"] == "computed":
                blocks[-1]["segments"] = [
                    {"text": p["text"], "claim": p.get("claim")}
                    if "text" in p
                    else {"figure": block["figures"][p["figure"]]}
                    for p in block["pieces"]
                ]
                for f in block["figures"]:
                    f["url"] = (
                        dash.drill_url(f["code"], scope) if f.get("source") != "records" and f["unit"] else ""
                    )
        sections.append({**section, "blocks": blocks})
    return sections


@login_required
def draft_detail(request, pk: int):
    draft = get_object_or_404_for(permissions.drafts, request.user, "view", pk=pk)
    may_change = permissions.drafts.allows(request.user, "change", draft)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("无权修改。")
        texts = {}
        for key, value in request.POST.items():
            if key.startswith("b-"):
                _, si, bi = key.split("-")
                texts[(int(si), int(bi))] = value
        try:
            services.draft_edit(
                actor=request.user,
                draft=draft,
                version=int(request.POST.get("version", 0)),
                texts=texts,
                title=request.POST.get("title", ""),
                opening=request.POST.get("opening", ""),
                closing=request.POST.get("closing", ""),
            )
        except (ValidationError, ValueError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else ["提交的数据不完整。"]
            return render(
                request,
                "reports/draft_detail.html",
                _detail_context(draft, may_change, messages, user=request.user),
                status=400,
            )
        return redirect("reports:draft_detail", draft.pk)
    return render(request, "reports/draft_detail.html", _detail_context(draft, may_change, user=request.user))


def detail_error(request, draft, messages, *, status: int):
    may_change = permissions.drafts.allows(request.user, "change", draft)
    context = _detail_context(draft, may_change, messages, user=request.user)
    return render(request, "reports/draft_detail.html", context, status=status)


def _detail_context(draft, may_change, errors=(), *, user=None):
    from kechuang.reports import rules, signoff_views

    report = claims.check_draft(draft)
    may_change = may_change and rules.editable(draft.stage)
    failing = report.by_block()
    sections = _blocks_view(draft)
    for section in sections:
        for block in section["blocks"]:
            failure = failing.get((block["si"], block["bi"]))
            block["problems"] = failure.problems if failure else []
            if block["kind"] == "computed":
                block["plain"] = summary.block_text(block)
    return {
        "draft": draft,
        "claims": report,
        "sections": sections,
        "may_change": may_change,
        "errors": errors,
        "regen_form": RegenerateForm(initial={"version": draft.version}),
        "pdf_available": docx_layout.office_binary() is not None,
        "signoff": signoff_views.panel(user, draft, len(report.failures)) if user is not None else None,
    }


@login_required
@require_POST
def draft_regenerate(request, pk: int):
    draft = get_object_or_404_for(permissions.drafts, request.user, "change", pk=pk)
    form = RegenerateForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "reports/draft_detail.html",
            _detail_context(draft, True, ["请检查截至日期。"], user=request.user),
            status=400,
        )
    try:
        services.draft_regenerate(
            actor=request.user,
            draft=draft,
            version=form.cleaned_data["version"],
            as_of=form.cleaned_data["as_of"],
        )
    except ValidationError as exc:
        return render(
            request,
            "reports/draft_detail.html",
            _detail_context(draft, True, exc.messages, user=request.user),
            status=409,
        )
    return redirect("reports:draft_detail", draft.pk)


@login_required
@require_POST
def draft_acknowledge(request, pk: int):
    draft = get_object_or_404_for(permissions.drafts, request.user, "change", pk=pk)
    try:
        services.draft_acknowledge(
            actor=request.user, draft=draft, version=int(request.POST.get("version", 0))
        )
    except (ValidationError, ValueError):
        return render(
            request,
            "reports/draft_detail.html",
            _detail_context(draft, True, ["该稿已被他人修改，请刷新。"], user=request.user),
            status=409,
        )
    return redirect("reports:draft_detail", draft.pk)


@login_required
def draft_download(request, pk: int, fmt: str):
    draft = get_object_or_404_for(permissions.drafts, request.user, "export", pk=pk)
    if fmt in ("docx", "pdf") and hasattr(draft, "signed"):  # the signed file, as it was signed
        return redirect("reports:signed_download", draft.pk, fmt)
    report = claims.check_draft(draft)
    if not report.ok:
        return claims_failed(request, report, reverse("reports:draft_detail", args=[draft.pk]))
    doc = documents.as_dict(draft)
    name = f"summary-{draft.pk}"
    signature = documents.signature_for(draft)
    if fmt in ("json", "md", "docx", "pdf"):
        exports.record_download(request, action="file.download", filename=f"{name}.{fmt}", obj=draft)
    if fmt == "json":
        data = documents.to_json(doc, region=draft.region, period=draft.period, as_of=draft.as_of)
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    if fmt == "md":
        text = documents.to_markdown(doc, date=draft.as_of, signature=signature)
        response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    elif fmt == "docx":
        data = _draft_docx(draft)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
    elif fmt == "pdf":
        data = _draft_docx(draft)
        try:
            data = docx_layout.to_pdf(data)
        except docx_layout.PdfUnavailable as exc:
            back = reverse("reports:draft_detail", args=[draft.pk])
            return pdf_unavailable(request, str(exc), back)
        response = HttpResponse(data, content_type="application/pdf")
    else:
        raise Http404("不支持的格式。")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _draft_docx(draft) -> bytes:
    """An unsigned draft as its 公文 would look (its own composer: a reply is a letter), marked 草稿, without
    文号 or 签发人."""
    from kechuang.reports import gongwen

    composer = documents.composer_for(draft)
    return gongwen.render_docx(composer.compose(date=draft.as_of, draft_mark=documents.DRAFT_MARK))


def claims_failed(request, report, back: str):
    """A draft whose figures or words no longer hold is not handed out: the sentences and what the records
    say now, and the way back to 重新取数."""
    return render(request, "reports/claims_failed.html", {"report": report, "back": back}, status=409)


def pdf_unavailable(request, message: str, back: str):
    """Where LibreOffice is missing (or fails), say so in Chinese and point back to the Word download."""
    return render(request, "reports/pdf_unavailable.html", {"message": message, "back": back}, status=503)
