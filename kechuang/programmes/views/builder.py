"""申报表与评分表设计 (issue 23 item 7): a programme's application form and score sheet built as rows, with a
live preview of the form as a firm will see it (htmx: the rows are posted to `preview` on every change)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.core.permissions import get_object_or_404_for
from kechuang.programmes import form_builder, permissions, rules, services
from kechuang.programmes.forms import ApplicationDataForm


def _formsets(request, programme):
    if request.method == "POST":
        return (
            form_builder.FieldFormSet(request.POST, prefix="fields"),
            form_builder.CriterionFormSet(request.POST, prefix="sheet"),
        )
    return (
        form_builder.FieldFormSet(initial=form_builder.schema_rows(programme.form_schema), prefix="fields"),
        form_builder.CriterionFormSet(
            initial=form_builder.sheet_rows(programme.scoring_sheet), prefix="sheet"
        ),
    )


def _built(programme, fields, sheet) -> tuple[list, list, list[str]]:
    """(schema, sheet, problems): the rows as stored JSON, checked by the same rules as a save."""
    if not (fields.is_valid() and sheet.is_valid()):
        return [], [], ["请先改正标红的行。"]
    schema = form_builder.to_schema(fields, programme.form_schema)
    scores = form_builder.to_sheet(sheet)
    return schema, scores, rules.check_form_schema(schema) + rules.check_scoring_sheet(scores)


def _preview(schema) -> ApplicationDataForm | None:
    try:
        return ApplicationDataForm(schema=schema, initial={"title": "（申报名称）"})
    except (KeyError, TypeError):
        return None


@login_required
def form_builder_page(request, pk: int):
    programme = get_object_or_404_for(permissions.programmes, request.user, "change", pk=pk)
    fields, sheet = _formsets(request, programme)
    schema, scores, problems = programme.form_schema, programme.scoring_sheet, []
    if request.method == "POST":
        schema, scores, problems = _built(programme, fields, sheet)
        if not problems:
            try:
                services.programme_update(
                    actor=request.user,
                    programme=programme,
                    expected_version=int(request.POST.get("version") or 0),
                    form_schema=schema,
                    scoring_sheet=scores,
                )
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, f"“{programme.name}”的申报表和评分表已保存。")
                return redirect("programmes:form_builder", programme.pk)
    return render(
        request,
        "programmes/form_builder.html",
        {
            "programme": programme,
            "fields": fields,
            "sheet": sheet,
            "problems": problems,
            "preview": _preview(schema) if not problems else None,
            "total": sum(c["max"] for c in scores) if scores else 0,
        },
    )


@login_required
@require_POST
def form_builder_preview(request, pk: int):
    programme = get_object_or_404_for(permissions.programmes, request.user, "change", pk=pk)
    fields, sheet = _formsets(request, programme)
    schema, scores, problems = _built(programme, fields, sheet)
    return render(
        request,
        "programmes/form_builder.html#preview",
        {
            "problems": problems,
            "preview": _preview(schema) if not problems else None,
            "total": sum(c["max"] for c in scores) if scores else 0,
        },
    )
