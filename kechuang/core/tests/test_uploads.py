import io
import zipfile

import pytest
from openpyxl import Workbook

from kechuang.core import services
from kechuang.core.models import Attachment
from kechuang.core.uploads import UploadRejected, check_upload

pytestmark = pytest.mark.django_db


def _xlsx() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "企业名称"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(
    data: bytes, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None
) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def test_real_xlsx_is_accepted():
    assert check_upload(_xlsx()).label.startswith("Excel")


def test_pdf_by_content_not_name():
    assert check_upload(b"%PDF-1.4\n%...\n").content_type == "application/pdf"


def test_executable_renamed_is_rejected():
    with pytest.raises(UploadRejected, match="不支持的文件类型"):
        check_upload(b"MZ\x90\x00" + b"\x00" * 100)


def test_macro_enabled_workbook_renamed_xlsx_is_rejected():
    with pytest.raises(UploadRejected, match="宏"):
        check_upload(_rezip(_xlsx(), extra={"xl/vbaProject.bin": b"\x00" * 64}))


def test_zip_bomb_is_rejected_before_expansion():
    bomb = _rezip(_xlsx(), extra={"xl/media/padding.bin": b"\x00" * (50 * 1024 * 1024)})
    with pytest.raises(UploadRejected, match="压缩炸弹"):
        check_upload(bomb)


def test_xml_entity_attack_is_rejected():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b"<workbook>&lol2;</workbook>"
    )
    with pytest.raises(UploadRejected, match="XML"):
        check_upload(_rezip(_xlsx(), replace={"xl/workbook.xml": evil}))


def test_oversize_and_empty_files(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(UploadRejected, match="过大"):
        check_upload(b"%PDF" + b"0" * 2048)
    with pytest.raises(UploadRejected, match="为空"):
        check_upload(b"")


def test_stored_attachment_has_server_side_name_and_hash(staff, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    attachment = services.attachment_store(
        actor=staff, data=b"%PDF-1.4 test", original_name="../../etc/passwd.pdf"
    )
    assert attachment.original_name == "../../etc/passwd.pdf"
    assert "passwd" not in attachment.file.name and ".." not in attachment.file.name
    assert len(attachment.sha256) == 64
    assert Attachment.objects.count() == 1


def _files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def test_attachments_of_a_refused_submission_leave_no_row_and_no_file(staff, tmp_path, settings):
    from django.core.exceptions import ValidationError

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError), services.attachments_atomic():
        services.attachment_store(actor=staff, data=b"%PDF-1.4 one", original_name="a.pdf")
        services.attachment_store(actor=staff, data=b"%PDF-1.4 two", original_name="b.pdf")
        raise ValidationError("服务拒绝了这次提交。")
    assert not Attachment.objects.exists() and _files(tmp_path) == []
    with services.attachments_atomic():
        kept = services.attachment_store(actor=staff, data=b"%PDF-1.4 kept", original_name="c.pdf")
    assert list(Attachment.objects.all()) == [kept] and len(_files(tmp_path)) == 1


def test_an_inner_batch_that_succeeded_is_removed_when_the_outer_one_fails(staff, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(RuntimeError), services.attachments_atomic():
        with services.attachments_atomic():
            services.attachment_store(actor=staff, data=b"%PDF-1.4 inner", original_name="i.pdf")
        raise RuntimeError("outer step failed")
    assert not Attachment.objects.exists() and _files(tmp_path) == []
