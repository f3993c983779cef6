"""申报表与评分表设计 (issue 23 item 7): rows on a page become the stored JSON, checked and previewed."""

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import UserFactory
from kechuang.programmes import form_builder
from kechuang.programmes.models import Programme

from .conftest import FORM, SHEET

pytestmark = pytest.mark.django_db


def _post(programme, fields, sheet, **extra) -> dict:
    data = {
        "version": programme.version,
        "fields-TOTAL_FORMS": len(fields),
        "fields-INITIAL_FORMS": len(fields),
        "sheet-TOTAL_FORMS": len(sheet),
        "sheet-INITIAL_FORMS": len(sheet),
        **extra,
    }
    for i, row in enumerate(fields):
        for k, v in row.items():
            if isinstance(v, list):
                data[f"fields-{i}-{k}"] = v
            elif v not in (None, False, ""):
                data[f"fields-{i}-{k}"] = "on" if v is True else v
        data[f"fields-{i}-ORDER"] = i + 1
    for i, row in enumerate(sheet):
        for k, v in row.items():
            data[f"sheet-{i}-{k}"] = v
        data[f"sheet-{i}-ORDER"] = i + 1
    return data


def test_rows_round_trip_to_the_same_json(programme, staff, client):
    client.force_login(staff)
    url = reverse("programmes:form_builder", args=[programme.pk])
    page = client.get(url).content.decode()
    assert "知识产权证明" in page and "预览" in page and "满分合计 100 分" in page
    rows = form_builder.schema_rows(programme.form_schema)
    response = client.post(url, _post(programme, rows, form_builder.sheet_rows(programme.scoring_sheet)))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.form_schema == FORM and programme.scoring_sheet == SHEET


def test_a_new_slot_with_kinds_and_routing_is_saved_and_audited(programme, staff, client):
    client.force_login(staff)
    rows = form_builder.schema_rows(programme.form_schema) + [
        {
            "key": "licence",
            "label": "营业执照",
            "type": "attachment",
            "required": True,
            "accept": ["pdf", "image"],
            "max_mb": 5,
            "help": "加盖公章的扫描件",
        }
    ]
    rows[1]["routes_field"] = True
    sheet = form_builder.sheet_rows(programme.scoring_sheet)
    sheet[0]["max"] = "35"
    client.post(reverse("programmes:form_builder", args=[programme.pk]), _post(programme, rows, sheet))
    programme.refresh_from_db()
    licence = programme.form_schema[-1]
    assert licence == {
        "key": "licence",
        "label": "营业执照",
        "type": "attachment",
        "required": True,
        "help": "加盖公章的扫描件",
        "accept": ["pdf", "image"],
        "max_mb": 5,
    }
    assert programme.form_schema[1]["route"] == "field_code"
    assert programme.scoring_sheet[0]["max"] == 35
    assert AuditEvent.objects.filter(action="programme.update", object_id=str(programme.pk)).exists()


def test_bad_rows_are_refused_in_chinese_and_nothing_is_saved(programme, staff, client):
    client.force_login(staff)
    before = Programme.objects.get(pk=programme.pk).form_schema
    rows = form_builder.schema_rows(programme.form_schema)
    rows.append({"key": "Bad Key", "label": "选项", "type": "choice"})
    rows.append({"key": "field", "label": "重复", "type": "text"})
    page = client.post(
        reverse("programmes:form_builder", args=[programme.pk]),
        _post(programme, rows, form_builder.sheet_rows(programme.scoring_sheet)),
    ).content.decode()
    assert "代码须以小写字母开头" in page and "单选须填写选项" in page
    assert 'value="Bad Key"' in page
    assert Programme.objects.get(pk=programme.pk).form_schema == before
    rows = form_builder.schema_rows(programme.form_schema) + [
        {"key": "field", "label": "重复", "type": "text"}
    ]
    page = client.post(
        reverse("programmes:form_builder", args=[programme.pk]),
        _post(programme, rows, form_builder.sheet_rows(programme.scoring_sheet)),
    ).content.decode()
    assert "字段 field 重复" in page


def test_preview_shows_the_form_as_firms_see_it(programme, staff, client):
    client.force_login(staff)
    rows = form_builder.schema_rows(programme.form_schema)
    rows[0]["help"] = "以审计报告为准"
    html = client.post(
        reverse("programmes:form_builder_preview", args=[programme.pk]),
        _post(programme, rows, form_builder.sheet_rows(programme.scoring_sheet)),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'id="preview"' in html and "以审计报告为准" in html and "<html" not in html
    assert Programme.objects.get(pk=programme.pk).form_schema == FORM


def test_only_the_programmes_staff_may_design(programme, client):
    client.force_login(UserFactory(staff=True, region=Region.objects.get(code="370303")))
    assert client.get(reverse("programmes:form_builder", args=[programme.pk])).status_code == 404
    client.force_login(UserFactory(enterprise=True))
    assert client.get(reverse("programmes:form_builder", args=[programme.pk])).status_code == 404
