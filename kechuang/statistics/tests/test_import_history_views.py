"""The import pages end to end (worker jobs run inline): upload with a file-level period and status, preview,
confirm, the history page with the kept file, the error file, undo (and its refusal) — by policy."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.models import AuditEvent, Job, Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.statistics import services
from kechuang.statistics.models import EnterpriseFact

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(rows) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["统一社会信用代码", "R&D经费内部支出"])
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def firm_a(db):
    return OrganisationFactory(region=Region.objects.get(code="370306001"))


def upload_and_confirm(client, data, capture, **choices) -> tuple[Job, Job]:
    with capture(execute=True):
        client.post(
            reverse("core:import_upload", args=["statistics"]),
            {"file": SimpleUploadedFile("研发.xlsx", data, XLSX), **choices},
        )
    preview = Job.objects.filter(kind="import_preview").latest("pk")
    if not preview.result.get("ready"):
        return preview, None
    with capture(execute=True):
        client.post(reverse("core:import_confirm", args=[preview.pk]))
    return preview, Job.objects.filter(kind="import").latest("pk")


def test_import_history_file_and_undo(client, staff, firm_a, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    client.force_login(staff)
    upload_page = client.get(reverse("core:import_upload", args=["statistics"])).content.decode()
    assert "整个文件的统计期" in upload_page and "金额单位" in upload_page
    data = sheet([[firm_a.credit_code, 50]])
    preview, job = upload_and_confirm(client, data, capture, period="2020年", status="final")
    assert preview.params["defaults"] == {"period": "2020", "status": "final"}
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    fact = EnterpriseFact.objects.get(organisation=firm_a, year=2020, quarter=None, month=None)
    assert (fact.rd_internal, fact.status) == (Decimal("50.00"), "final")

    page = client.get(reverse("core:import_history", args=["statistics"])).content.decode()
    assert reverse("core:import_file", args=[job.pk]) in page and "撤销导入" in page
    assert "研发.xlsx" in page and "统计期 2020" in page
    kept = client.get(reverse("core:import_file", args=[job.pk]))
    assert kept.status_code == 200 and b"".join(kept.streaming_content) == data

    with capture(execute=True):
        done = client.post(reverse("core:import_undo", args=[job.pk]))
    undo = Job.objects.get(kind="import_undo")
    assert done.url == reverse("core:job_status", args=[undo.pk])
    undo.refresh_from_db()
    assert undo.status == Job.Status.SUCCEEDED, undo.message
    assert not EnterpriseFact.objects.filter(organisation=firm_a).exists()
    assert EnterpriseFact.current.get(organisation=firm_a).voided
    page = client.get(reverse("core:import_history", args=["statistics"])).content.decode()
    assert "已撤销" in page
    assert AuditEvent.objects.filter(action="import.undo").count() == 1


def test_undo_refused_after_a_later_change_and_for_other_districts(
    client, staff, firm_a, other_district, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client.force_login(staff)
    _preview, job = upload_and_confirm(
        client, sheet([[firm_a.credit_code, 50]]), capture, period="2020", status="final"
    )
    fact = EnterpriseFact.objects.get(organisation=firm_a)
    services.fact_correct(actor=staff, fact=fact, values={"rd_internal": Decimal(60)}, reason="企业更正")
    page = client.get(reverse("core:import_history", args=["statistics"])).content.decode()
    assert "又被修改" in page and "撤销导入</button>" not in page
    response = client.post(reverse("core:import_undo", args=[job.pk]), follow=True)
    assert "不能撤销" in response.content.decode()
    assert not Job.objects.filter(kind="import_undo").exists()

    client.force_login(UserFactory(role="staff", region=other_district))
    assert client.get(reverse("core:import_file", args=[job.pk])).status_code == 404
    assert client.post(reverse("core:import_undo", args=[job.pk])).status_code == 404


def test_a_refused_file_is_in_the_history_with_its_error_file(
    client, staff, firm_a, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    data = sheet([[firm_a.credit_code, 50], [firm_a.credit_code, "abc"]])
    preview, job = upload_and_confirm(
        client, data, django_capture_on_commit_callbacks, period="2020", status="final"
    )
    assert job is None and preview.result["counts"]["error"] == 1
    assert "下载错误说明" in client.get(reverse("core:import_job_result", args=[preview.pk])).content.decode()
    page = client.get(reverse("core:import_history", args=["statistics"])).content.decode()
    assert reverse("core:import_error_file", args=[preview.pk]) in page and "预览发现错误" in page
    response = client.get(reverse("core:import_error_file", args=[preview.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = book.worksheets[0]
    assert ws.cell(1, 3).value == "错误说明" and ws.cell(3, 2).value == "abc" and ws.cell(3, 3).value
