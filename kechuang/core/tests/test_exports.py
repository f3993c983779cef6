"""xlsx exports: formula injection is neutralised, typed values stay typed, Chinese file names work."""

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse

from kechuang.core import exports


def read_back(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize(
    "dangerous",
    ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", '＝HYPERLINK("http://x")', "＋1", "－1", "＠A1", "\t=1", "\r=1"],
)
def test_cells_that_could_become_formulas_are_written_as_quoted_text(dangerous):
    sheet = read_back(exports.to_xlsx(["名称"], [[dangerous]]))
    cell = sheet["A2"]
    assert cell.value == "'" + dangerous
    assert cell.data_type == "s"


def test_the_header_row_is_neutralised_too():
    sheet = read_back(exports.to_xlsx(["=cmd|' /C calc'!A0"], []))
    assert sheet["A1"].value.startswith("'=")
    assert sheet["A1"].data_type == "s"


def test_ordinary_text_numbers_and_dates_keep_their_types_and_yes_no_reads_chinese():
    rows = [["淄博方达电子有限公司", 12, Decimal("1234.50"), -3.5, dt.date(2020, 8, 28), True, None]]
    sheet = read_back(exports.to_xlsx(["名称", "人数", "金额", "增长", "日期", "高企", "空"], rows))
    values = [c.value for c in sheet[2]]
    assert values[0] == "淄博方达电子有限公司"
    assert values[1] == 12 and sheet["B2"].data_type == "n"
    assert values[2] == pytest.approx(1234.5) and sheet["C2"].data_type == "n"
    assert values[3] == -3.5  # a negative number is a number, not a neutralised string
    assert values[4].date() == dt.date(2020, 8, 28)
    assert (
        values[5] == "是" and sheet["F2"].data_type == "s"
    )  # not TRUE: a Chinese sheet, and imports read 是
    assert values[6] is None


def _request(user, query=""):
    from django.test import RequestFactory

    request = RequestFactory().get("/enterprises/export/" + query)
    request.user = user
    return request


@pytest.mark.django_db
def test_response_carries_a_chinese_filename_per_rfc_5987(staff):
    response = exports.xlsx_response(_request(staff), "周村区高企名单", ["名称"], [["甲"]])
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "filename*=utf-8''" + quote("周村区高企名单.xlsx") in disposition
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert read_back(response.content)["A2"].value == "甲"


# --- every export and download is audited (issue 25) -----------------------------------------------------
@pytest.mark.django_db
def test_an_export_records_who_the_file_the_row_count_and_the_filters(staff):
    from kechuang.core.models import AuditEvent

    exports.xlsx_response(_request(staff, "?q=方达&tier=2&page=3"), "企业库", ["名称"], [["甲"], ["乙"]])
    event = AuditEvent.objects.get(action="export.xlsx")
    assert event.actor == staff
    assert event.changes == {
        "file": "企业库.xlsx",
        "path": "/enterprises/export/",
        "rows": 2,
        "filters": {"q": "方达", "tier": "2"},
    }


def _export_routes():
    from kechuang.core.tests import idor

    return [r for r in idor.walk() if "export" in r.name and not r.params and not r.name.startswith("api")]


@pytest.mark.django_db
def test_every_list_export_writes_an_audit_event(client, staff):
    from kechuang.core.models import AuditEvent

    client.force_login(staff)
    checked = []
    for route in _export_routes():
        url = "/" + route.route
        response = client.get(url)
        if response.status_code != 200 or response["Content-Type"] != exports.XLSX_TYPE:
            continue
        assert AuditEvent.objects.filter(action="export.xlsx", object_id=url, actor=staff).exists(), url
        checked.append(url)
    assert len(checked) >= 12, checked


@pytest.mark.django_db
def test_attachment_downloads_are_audited(client, staff, firm, settings, tmp_path):
    from kechuang.core import services
    from kechuang.core.models import AuditEvent

    settings.MEDIA_ROOT = tmp_path
    with services.attachments_atomic():
        attachment = services.attachment_store(
            actor=staff, data=b"%PDF-1.4\n%%EOF\n", original_name="营业执照.pdf", organisation=firm
        )
    client.force_login(staff)
    response = client.get(reverse("core:attachment_download", args=[attachment.uid]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="file.download")
    assert event.object_id == str(attachment.pk) and event.changes["file"] == "营业执照.pdf"
