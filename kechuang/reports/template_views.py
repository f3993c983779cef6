"""The summary-template editor: staff reword sentences, add/remove/reorder blocks and sections, and preview
the document filled for their own district before saving."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from kechuang.core import indicators
from kechuang.core.indicators import Scope
from kechuang.core.permissions import get_object_or_404_for
from kechuang.reports import permissions, services
from kechuang.reports.forms import ScopeForm
from kechuang.reports.seed import ensure_seed_template
from kechuang.reports.template_forms import SectionFormSet, TemplateForm, section_initial
from kechuang.reports.views import preview_sections


def _preview_scope(request) -> tuple[ScopeForm, Scope | None]:
    """The district, period and as-of date the preview is filled for (defaults: the user's region, this
    year, today — the demo clock gives 周村区 2020 as of 2020-11-30)."""
    regions = permissions.dashboard.queryset(request.user, "view").filter(level__lte=4).order_by("path")
    data = {f"p-{k}": v for k, v in ScopeForm.initial_for(request.user).items()}
    data |= {k: v for k, v in request.POST.items() if k.startswith("p-") and v}
    form = ScopeForm(data, regions=regions, prefix="p")
    if not form.is_valid():
        return form, None
    c = form.cleaned_data
    return form, Scope(c["region"], c["period"], c["as_of"])


@login_required
def template_list(request):
    if not permissions.templates.may(request.user, "view"):
        raise PermissionDenied("无权维护工作总结模板。")
    ensure_seed_template(request.user.region)
    rows = permissions.templates.queryset(request.user).select_related("region").prefetch_related("sections")
    return render(request, "reports/template_list.html", {"templates": rows})


def _preview(template, sections, scope):
    from kechuang.reports import summary

    if scope is None:
        return None
    objects = [
        SimpleNamespace(key=s["key"], heading=s["heading"], blocks=s["blocks"], keyword_list=lambda: [])
        for s in sections
    ]
    doc = summary.build(template, scope, sections=objects)
    return {"doc": doc, "sections": preview_sections(doc["sections"], scope), "scope": scope}


def _error_summary(form, formset) -> list[str]:
    out = [
        f"{form.fields[name].label}：{e}"
        for name, errs in form.errors.items()
        if name in form.fields
        for e in errs
    ]
    for n, errs in enumerate(formset.errors, start=1):
        out += [
            f"章节 {n} {formset.forms[n - 1].fields[name].label}：{e}"
            for name, es in errs.items()
            for e in es
        ]
    return out + list(formset.non_form_errors())


@login_required
def template_edit(request, pk: int):
    template = get_object_or_404_for(permissions.templates, request.user, "change", pk=pk)
    scope_form, scope = _preview_scope(request)
    errors, saved = [], request.GET.get("saved") == "1"
    if request.method == "POST":
        form = TemplateForm(request.POST, instance=template)
        formset = SectionFormSet(request.POST, prefix="s")
        if form.is_valid() and formset.is_valid():
            sections = formset.sections()
            if request.POST.get("action") == "save":
                try:
                    services.template_save(
                        actor=request.user,
                        template=template,
                        version=form.cleaned_data["version"],
                        fields={k: form.cleaned_data[k] for k in services.TEMPLATE_FIELDS},
                        sections=sections,
                    )
                except ValidationError as exc:
                    errors = exc.messages
                else:
                    return redirect(f"{request.path}?saved=1")
            # 预览 fills the unsaved wording; the template in the database is untouched.
            preview = _preview(SimpleNamespace(**form.cleaned_data, style=template.style), sections, scope)
        else:
            preview = None
            errors = ["有错误，请按提示修改（尚未保存）。"] + _error_summary(form, formset)
        template.refresh_from_db()
    else:
        form = TemplateForm(instance=template, initial={"version": template.version})
        formset = SectionFormSet(initial=section_initial(template), prefix="s")
        preview = _preview(template, template.section_data(), scope)
    context = {
        "template": template,
        "form": form,
        "formset": formset,
        "preview": preview,
        "scope_form": scope_form,
        "errors": errors,
        "saved": saved,
        "indicators": indicators.all_indicators(),
    }
    return render(request, "reports/template_edit.html", context, status=400 if errors else 200)
