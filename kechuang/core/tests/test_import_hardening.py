"""Spreadsheets that attack the reader, and the product's own empty template (issue 25)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kechuang.core import imports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.django_db


# --- the unfilled template ----------------------------------------------------------------------


@pytest.mark.parametrize("spec", [s.name for s in imports.specs()])
def test_every_unfilled_template_is_refused_in_chinese_not_500(client, staff, spec):
    if not imports.get(spec).may_import(staff):
        pytest.skip("staff does not import this spec")
    client.force_login(staff)
    template = client.get(reverse("core:import_template", args=[spec]))
    assert template.status_code == 200
    page = client.post(
        reverse("core:import_upload", args=[spec]),
        {"file": SimpleUploadedFile("模板.xlsx", template.content, XLSX)},
    )
    assert page.status_code == 200
    assert "没有数据行" in page.content.decode()


def test_cli_refuses_the_unfilled_template_in_chinese(tmp_path, staff, capsys):
    path = tmp_path / "模板.xlsx"
    call_command("template", "organisations", "-o", str(path))
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import", "organisations", str(path), "--user", staff.username)
    assert "没有数据行" in capsys.readouterr().err
