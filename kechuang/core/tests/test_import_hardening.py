"""Spreadsheets that attack the reader, and the product's own empty template (issue 25)."""

import io
import os
import re
import subprocess
import sys
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kechuang.core import imports
from kechuang.core.imports.parse import SheetUnreadable, read_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.django_db


# --- the unfilled template ----------------------------------------------------------------------


def _preview_page(client, spec: str, data: bytes, name: str, capture) -> str:
    """Upload as the logged-in user; the worker (inline here) previews the file; the preview page's text."""
    from kechuang.core.models import Job

    with capture(execute=True):
        response = client.post(
            reverse("core:import_upload", args=[spec]), {"file": SimpleUploadedFile(name, data, XLSX)}
        )
    assert response.status_code == 302
    job = Job.objects.filter(kind="import_preview").latest("pk")
    page = client.get(reverse("core:import_job_result", args=[job.pk]))
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize("spec", [s.name for s in imports.specs()])
def test_every_unfilled_template_is_refused_in_chinese_not_500(
    client, staff, spec, django_capture_on_commit_callbacks
):
    if not imports.get(spec).may_import(staff):
        pytest.skip("staff does not import this spec")
    client.force_login(staff)
    template = client.get(reverse("core:import_template", args=[spec]))
    assert template.status_code == 200
    body = _preview_page(client, spec, template.content, "模板.xlsx", django_capture_on_commit_callbacks)
    assert "没有数据行" in body


def test_cli_refuses_the_unfilled_template_in_chinese(tmp_path, staff, capsys):
    path = tmp_path / "模板.xlsx"
    call_command("template", "organisations", "-o", str(path))
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import", "organisations", str(path), "--user", staff.username)
    assert "没有数据行" in capsys.readouterr().err


# --- workbooks built to exhaust the reader ------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_xml(cells, *, dimension="", merges=(), rows_without_cells=0) -> str:
    rows: dict[int, list[str]] = {}
    for ref in cells:
        rows.setdefault(int(re.sub(r"[A-Z]+", "", ref)), []).append(ref)
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}" t="inlineStr"><is><t>x</t></is></c>' for c in refs) + "</row>"
        for r, refs in sorted(rows.items())
    )
    body += "<row/>" * rows_without_cells
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    merged = (
        f'<mergeCells count="{len(merges)}">'
        + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
        + "</mergeCells>"
        if merges
        else ""
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dim}<sheetData>{body}</sheetData>{merged}</worksheet>'


def crafted(cells=("A1", "B2"), *, extra: dict[str, str | bytes] | None = None, **sheet) -> bytes:
    """A minimal .xlsx written by hand, the way an attacker would: one sheet holding `cells`."""
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{PACKAGE}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
            f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
            f'Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": _sheet_xml(cells, **sheet),
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


CHILD = """
import os, resource, sys
# The peak RSS starts from this process, not from the (large) test worker it was forked from: Linux keeps
# ru_maxrss across exec, so a worker that had grown past the bound made every child look as large.
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
import django
django.setup()
from kechuang.core.imports import parse
try:
    sheets = parse.read_workbook(open(sys.argv[1], "rb").read())
    print("READ", sum(len(s.rows) for s in sheets))
except parse.SheetUnreadable as exc:
    print("REFUSED", exc)
peak = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
print("MAXRSS_KB", peak)
"""
CHILD_LIMIT = 1024 * 1024 * 1024  # address space: the unchecked reader needs 1 GB (Z1000000) or 512 GiB


def _read_in_child(tmp_path, data: bytes) -> subprocess.CompletedProcess:
    path = tmp_path / "crafted.xlsx"
    path.write_bytes(data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "KECHUANG_TESTING": "1"}
    return subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=CHILD_LIMIT), str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=settings.BASE_DIR,
    )


@pytest.mark.parametrize(
    ("cells", "refusal"),
    [
        (("A1", "XFD1048576"), "第 1,048,576 行第 16,384 列"),  # the 512 GiB request that aborted the worker
        (("A1", "Z1000000"), "第 1,000,000 行第 26 列"),  # the variant that took over a gigabyte
        (("A1", "RZ5000"), "数据区域"),  # within the row and column limits, but 5000 × 494 cells from A1
    ],
)
def test_a_tiny_workbook_claiming_a_huge_area_is_refused_in_bounded_memory(tmp_path, cells, refusal):
    data = crafted(cells)
    assert len(data) < 2000
    child = _read_in_child(tmp_path, data)
    assert child.returncode == 0, child.stderr[-2000:]  # the reader used to abort the whole process
    assert "REFUSED 工作簿超出处理上限" in child.stdout and refusal in child.stdout, child.stdout
    max_rss_mb = int(child.stdout.split("MAXRSS_KB")[1]) / 1024
    assert max_rss_mb < 400, max_rss_mb  # Django and the reader loaded; the file adds nothing


def test_an_ordinary_workbook_still_reads_in_the_child(tmp_path):
    child = _read_in_child(tmp_path, crafted(("A1", "C3", "B200")))
    assert child.returncode == 0, child.stderr[-2000:]
    assert "READ 200" in child.stdout


def test_the_crafted_workbook_gets_a_chinese_message_on_the_import_page(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    data = crafted(("A1", "XFD1048576"))
    body = _preview_page(client, "organisations", data, "名录.xlsx", django_capture_on_commit_callbacks)
    assert "工作簿超出处理上限" in body


def _refusal(data: bytes) -> str:
    with pytest.raises(SheetUnreadable) as exc:
        read_workbook(data)
    return str(exc.value)


@pytest.fixture
def small_limits(settings):
    settings.KECHUANG_XLSX_MAX_ROWS = 100
    settings.KECHUANG_XLSX_MAX_COLUMNS = 20
    settings.KECHUANG_XLSX_MAX_CELLS = 1000
    settings.KECHUANG_XLSX_MAX_SHARED_STRINGS = 50
    settings.KECHUANG_XLSX_MAX_PARTS = 12
    settings.KECHUANG_XLSX_MAX_UNCOMPRESSED_MB = 1
    return settings


def test_each_limit_is_checked_before_reading(small_limits):
    assert len(read_workbook(crafted(("A1", "T50")))[0].rows) == 50  # 50 × 20 = 1000: at the limit
    assert "声明的范围 A1:XFD1048576" in _refusal(crafted(dimension="A1:XFD1048576"))
    assert "超过 100 行" in _refusal(crafted(rows_without_cells=101))
    assert "第 101 行" in _refusal(crafted(("A1", "A101")))
    assert "第 21 列" in _refusal(crafted(("A1", "U1")))
    assert "数据区域" in _refusal(crafted(("A1", "T51")))
    assert "单元格超过上限 1,000" in _refusal(crafted(["A1"] * 1001))  # one cell written 1001 times
    assert "合并单元格" in _refusal(crafted(merges=("A1:T100",)))
    assert "合并单元格的面积" in _refusal(crafted(merges=["A1:T40"] * 2))
    sst = f'<sst xmlns="{MAIN}" count="10" uniqueCount="10">' + "<si><t>x</t></si>" * 51 + "</sst>"
    assert "共享字符串超过上限 50" in _refusal(crafted(extra={"xl/sharedStrings.xml": sst}))
    declared = f'<sst xmlns="{MAIN}" count="5000000" uniqueCount="5000000"></sst>'
    assert "声明了 5,000,000 个共享字符串" in _refusal(crafted(extra={"xl/sharedStrings.xml": declared}))
    many = {f"xl/media/p{i}.xml": "<a/>" for i in range(10)}
    assert "内部文件 15 个" in _refusal(crafted(extra=many))
    assert "解压后 2 MB" in _refusal(crafted(extra={"xl/media/big.bin": b"\0" * (2 * 1024 * 1024)}))


def test_a_dtd_in_any_part_is_refused(small_limits):
    evil = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
    )
    assert "DTD" in _refusal(crafted(extra={"xl/worksheets/sheet1.xml": evil}))


def test_a_file_that_is_not_a_zip_is_refused_in_chinese(small_limits):
    assert "只接受 Excel 工作簿" in _refusal(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
