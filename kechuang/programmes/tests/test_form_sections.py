"""Issue 23 item 7: section headings between fields — built on the page, stored in the JSON form definition,
shown on the application form, in the builder's preview and on the read-only application."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.programmes import form_builder, rules, services
from kechuang.programmes.forms import ApplicationDataForm
from kechuang.programmes.models import Programme

from .conftest import COMPLETE
from .test_form_builder import _post

pytestmark = pytest.mark.django_db

SECTION = {"key": "s_finance", "label": "二、财务情况", "type": "section", "help": "以上年度审计报告为准"}


def _with_section(rows):
    return rows[:1] + [dict(SECTION)] + rows[1:]  # a heading before 技术领域


def test_the_builder_stores_a_section_and_the_preview_shows_it(programme, staff, client):
    client.force_login(staff)
    rows = _with_section(form_builder.schema_rows(programme.form_schema))
    sheet = form_builder.sheet_rows(programme.scoring_sheet)
    preview = client.post(
        reverse("programmes:form_builder_preview", args=[programme.pk]),
        _post(programme, rows, sheet),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "二、财务情况</h3>" in preview and "以上年度审计报告为准" in preview
    assert (
        "分节标题（非字段）"
        in client.get(reverse("programmes:form_builder", args=[programme.pk])).content.decode()
    )
    response = client.post(
        reverse("programmes:form_builder", args=[programme.pk]), _post(programme, rows, sheet)
    )
    assert response.status_code == 302
    schema = Programme.objects.get(pk=programme.pk).form_schema
    assert schema[1] == SECTION and [f["key"] for f in schema] == [
        "revenue",
        "s_finance",
        "field",
        "ip",
        "summary",
    ]
    assert form_builder.schema_rows(schema)[1]["type"] == "section"  # and back to a row


def test_a_section_cannot_be_required_or_route(programme, staff, client):
    client.force_login(staff)
    rows = _with_section(form_builder.schema_rows(programme.form_schema))
    rows[1]["required"] = True
    page = client.post(
        reverse("programmes:form_builder", args=[programme.pk]),
        _post(programme, rows, form_builder.sheet_rows(programme.scoring_sheet)),
    ).content.decode()
    assert "分节标题只有名称和说明" in page
    assert rules.check_form_schema([{**SECTION, "route": "field_code"}])


def test_a_section_holds_no_value_and_heads_the_next_field(programme):
    schema = programme.form_schema[:1] + [SECTION] + programme.form_schema[1:]
    assert rules.validate_form_data(schema, COMPLETE, complete=True) == {}
    assert "s_finance" in rules.validate_form_data(schema, {**COMPLETE, "s_finance": "x"}, complete=False)
    assert all(item["key"] != "s_finance" for item in rules.checklist(schema, COMPLETE))
    form = ApplicationDataForm(schema=schema, initial={"title": "x"})
    assert "f_s_finance" not in form.fields
    assert form.fields["f_field"].sections == [{"label": "二、财务情况", "help": "以上年度审计报告为准"}]
    trailing = ApplicationDataForm(schema=[*schema, {"key": "s_end", "label": "三、承诺", "type": "section"}])
    assert trailing.trailing_sections == [{"label": "三、承诺", "help": ""}]


def test_the_application_form_and_the_read_only_view_show_the_heading(
    programme, application, enterprise_user, client
):
    Programme.objects.filter(pk=programme.pk).update(
        form_schema=programme.form_schema[:1] + [SECTION] + programme.form_schema[1:]
    )
    client.force_login(enterprise_user)
    edit = client.get(reverse("programmes:application_edit", args=[application.pk])).content.decode()
    assert "二、财务情况</h3>" in edit
    assert edit.index("二、财务情况") < edit.index("技术领域")
    detail = client.get(reverse("programmes:application_detail", args=[application.pk])).content.decode()
    assert "二、财务情况</dt>" in detail and "以上年度审计报告为准" in detail
    with pytest.raises(ValidationError):
        services.application_save_draft(
            actor=enterprise_user,
            application=application,
            data={"s_finance": "不是字段"},
            expected_version=application.version,
        )
