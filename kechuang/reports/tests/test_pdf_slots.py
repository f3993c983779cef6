"""Issue 25: PDF conversion (LibreOffice) had no concurrency cap. At most KECHUANG_PDF_SLOTS conversions
run at once per host; a request that finds every slot taken waits, then gets a Chinese "busy" page."""

import pytest
from django.urls import reverse

from kechuang.reports import docx_layout, services


@pytest.fixture(autouse=True)
def _slots(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.KECHUANG_PDF_SLOTS = 2
    settings.KECHUANG_PDF_WAIT_SECONDS = 0


def test_no_more_than_the_configured_number_of_conversions_hold_a_slot():
    with docx_layout.conversion_slot() as first, docx_layout.conversion_slot() as second:
        assert {first, second} == {0, 1}
        with pytest.raises(docx_layout.PdfBusy, match="稍后重试"), docx_layout.conversion_slot():
            pass
    with docx_layout.conversion_slot() as again:  # released at the end of the block
        assert again == 0


@pytest.mark.django_db
def test_a_pdf_download_while_every_slot_is_taken_says_busy_in_chinese(client, staff, template, scope):
    if docx_layout.office_binary() is None:
        pytest.skip("LibreOffice is not installed here (CI installs it)")
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    client.force_login(staff)
    with docx_layout.conversion_slot(), docx_layout.conversion_slot():
        response = client.get(reverse("reports:draft_download", args=[draft.pk, "pdf"]))
    assert response.status_code == 503
    assert "当前生成 PDF 的任务较多" in response.content.decode()
