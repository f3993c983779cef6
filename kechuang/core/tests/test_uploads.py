import io
import zipfile

import pytest
from openpyxl import Workbook

from kechuang.core import services
from kechuang.core.models import Attachment
from kechuang.core.uploads import XLSX_TYPE as XLSX
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


# --- issue 25: macros however named, external references, polyglots, extensions -------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # a compound file, what vbaProject.bin is
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _with(data: bytes, parts: dict[str, bytes | str]) -> bytes:
    """The zip with `parts` replaced or added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in parts:
                dst.writestr(info.filename, src.read(info))
        for name, content in parts.items():
            dst.writestr(name, content)
    return out.getvalue()


def _content_types(data: bytes, extra: str) -> bytes:
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").decode()
    return _with(data, {"[Content_Types].xml": types.replace("</Types>", extra + "</Types>")})


def _rels(*relationships: str) -> str:
    return f'<Relationships xmlns="{PKG}">' + "".join(relationships) + "</Relationships>"


def _docx() -> bytes:
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    return buf.getvalue()


def test_a_macro_renamed_to_an_innocent_part_is_refused_whatever_gives_it_away():
    book = _xlsx()
    declared = '<Override PartName="/xl/macros.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    by_type = _content_types(_with(book, {"xl/macros.bin": b"\x00" * 512}), declared)
    by_default = _content_types(
        _with(book, {"xl/macros.bin": b"\x00" * 512}),
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
    )
    by_relationship = _with(
        book,
        {
            "xl/macros.bin": b"\x00" * 512,
            "xl/_rels/workbook.xml.rels": _rels(
                f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>',
                '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
                ' Target="macros.bin"/>',
            ),
        },
    )
    by_signature = _with(book, {"xl/macros.bin": OLE})
    macro_sheet = _content_types(
        book,
        '<Override PartName="/xl/macrosheets/sheet1.xml" '
        'ContentType="application/vnd.ms-excel.macrosheet+xml"/>',
    )
    for data in (by_type, by_default, by_relationship, by_signature, macro_sheet):
        with pytest.raises(UploadRejected, match="宏代码或嵌入对象"):
            check_upload(data, filename="名录.xlsx")


def test_an_xlsm_name_is_refused_even_for_clean_content():
    with pytest.raises(UploadRejected, match=r"不接受扩展名为 \.xlsm 的文件"):
        check_upload(_xlsx(), filename="名录.xlsm")


def test_printer_settings_and_other_plain_binary_parts_are_accepted():
    book = _with(_xlsx(), {"xl/printerSettings/printerSettings1.bin": b"\x00\x01" * 300})
    assert check_upload(book, filename="名录.xlsx").content_type == XLSX


def _external(data: bytes, rels_part: str, kind: str, target: str) -> bytes:
    """`data` with one external relationship of `kind` to `target` in `rels_part`."""
    relationship = f'<Relationship Id="rId1" Type="{REL}/{kind}" Target="{target}" TargetMode="External"/>'
    return _with(data, {rels_part: _rels(relationship)})


def test_external_links_and_fetched_resources_are_refused_in_workbooks():
    linked = _with(_xlsx(), {"xl/externalLinks/externalLink1.xml": "<externalLink/>"})
    with pytest.raises(UploadRejected, match="外部链接"):
        check_upload(linked, filename="名录.xlsx")
    remote_image = _external(
        _xlsx(), "xl/drawings/_rels/drawing1.xml.rels", "image", "http://203.0.113.9/t.png"
    )
    with pytest.raises(UploadRejected, match="外部资源（image"):
        check_upload(remote_image, filename="名录.xlsx")


def test_a_plain_hyperlink_cell_is_accepted():
    book = _external(_xlsx(), "xl/worksheets/_rels/sheet1.xml.rels", "hyperlink", "https://www.example.cn/")
    assert check_upload(book, filename="名录.xlsx").content_type == XLSX


SETTINGS_RELS = "word/_rels/settings.xml.rels"


@pytest.mark.parametrize(
    "target", ["http://203.0.113.9/t.dotm", "\\\\203.0.113.9\\share\\t.dotm", "file://host/t.dotm"]
)
def test_a_word_file_with_a_remote_attached_template_is_refused(target):
    with pytest.raises(UploadRejected, match="远程模板"):
        check_upload(_external(_docx(), SETTINGS_RELS, "attachedTemplate", target), filename="报告.docx")


def test_a_word_file_made_from_a_template_on_the_authors_disk_is_accepted():
    local = "file:///C:\\Users\\a\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm"
    doc = _external(_docx(), SETTINGS_RELS, "attachedTemplate", local)
    assert check_upload(doc, filename="报告.docx").content_type.endswith("wordprocessingml.document")


POLYGLOT = b"%PDF-1.4\n1 0 obj\n<< /Length 60 >>\nstream\n<html><script>fetch('/x')</script></html>\nendstream\nendobj\n"


def test_a_pdf_html_polyglot_is_refused_by_name_and_by_content():
    with pytest.raises(UploadRejected, match=r"不接受扩展名为 \.html 的文件"):
        check_upload(POLYGLOT, filename="invoice.html")
    with pytest.raises(UploadRejected, match="网页或脚本代码"):
        check_upload(POLYGLOT, filename="invoice.pdf")


def test_an_image_carrying_script_is_refused():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\x00" * 17 + b"tEXt<svg onload=alert(1)>"
    with pytest.raises(UploadRejected, match="网页或脚本代码"):
        check_upload(png, filename="照片.png")


def test_content_must_match_the_extension():
    with pytest.raises(UploadRejected, match=r"文件内容是PDF，与扩展名 \.png 不符"):
        check_upload(b"%PDF-1.4\n%%EOF\n", filename="照片.png")
    with pytest.raises(UploadRejected, match="没有扩展名"):
        check_upload(b"%PDF-1.4\n%%EOF\n", filename="invoice")
    assert check_upload(b"%PDF-1.4\n%%EOF\n", filename="发票.PDF").content_type == "application/pdf"


def test_attachment_store_checks_the_name_for_every_upload_field(staff, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(UploadRejected, match=r"\.html"):
        services.attachment_store(actor=staff, data=b"%PDF-1.4 x", original_name="invoice.html")
    assert not Attachment.objects.exists() and _files(tmp_path) == []


def test_a_refused_file_is_a_form_error_not_a_500(client, staff, firm, tmp_path, settings):
    """Views that show `ValidationError`s show upload refusals too (this one used to answer 500)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from kechuang.enterprises.models import Qualification

    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff)
    kind_id = Qualification._meta.get_field("kind").related_model.objects.get(code="hnte").pk
    page = client.post(
        reverse("enterprises:qualification_add", args=[firm.pk]),
        {
            "kind": kind_id,
            "number": "GR202037005133",
            "valid_from": "2020-08-17",
            "evidence": SimpleUploadedFile("证书.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        },
    )
    assert page.status_code == 200
    assert "不支持的文件类型" in page.content.decode()
    assert not Qualification.objects.exists() and not Attachment.objects.exists()


def test_files_are_served_to_staff_as_downloads_the_browser_does_not_sniff(client, staff, tmp_path, settings):
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    attachment = services.attachment_store(
        actor=staff, data=b"%PDF-1.4\n%%EOF\n", original_name="发票.pdf", region=staff.region
    )
    client.force_login(staff)
    response = client.get(reverse("core:attachment_download", args=[attachment.uid]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
