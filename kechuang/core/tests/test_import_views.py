"""Import pages and CLI: upload → preview → confirm, denied users, template download, background jobs."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command, load_command_class
from django.urls import reverse

from kechuang.core.imports import engine
from kechuang.core.models import Attachment, Job, Organisation
from kechuang.core.tests.factories import UserFactory
from kechuang.core.tests.test_imports import code, org_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, data, name="名录.xlsx"):
    return client.post(
        reverse("core:import_upload", args=["organisations"]), {"file": SimpleUploadedFile(name, data, XLSX)}
    )


def good_sheet(n=2, start=1):
    return org_sheet(
        [
            [i, f"页面企业{i}有限公司", code(300 + i), "王村镇", None, None, None, None]
            for i in range(start, start + n)
        ]
    )


def test_staff_uploads_previews_and_confirms(client, staff):
    client.force_login(staff)
    page = upload(client, good_sheet())
    assert page.status_code == 200
    body = page.content.decode()
    assert "可导入 <strong>2</strong> 行" in body
    assert not Organisation.objects.filter(name__startswith="页面企业").exists()  # preview writes nothing
    uid = re.search(r'name="attachment" value="([0-9a-f-]+)"', body).group(1)
    done = client.post(reverse("core:import_confirm", args=["organisations"]), {"attachment": uid})
    assert done.status_code == 200
    assert "新增 <strong>2</strong> 条" in done.content.decode()
    assert Organisation.objects.filter(name__startswith="页面企业").count() == 2


def test_preview_shows_row_errors_and_offers_no_confirm_button(client, staff):
    client.force_login(staff)
    data = org_sheet(
        [[1, "好企业", code(1), None, None, None, None, None], [2, "", "123", None, None, None, None, None]]
    )
    body = upload(client, data).content.decode()
    assert "未导入任何数据" in body
    assert "<td>4</td><td>单位名称</td>" in body
    assert "必填项，不能为空" in body and "应为18位" in body
    assert "确认导入" not in body


def test_a_non_xlsx_upload_is_refused_by_content(client, staff):
    client.force_login(staff)
    page = upload(client, b"%PDF-1.4 fake", name="名录.xlsx")
    assert "不支持的文件类型" in page.content.decode()
    assert not Attachment.objects.filter(kind="import").exists()


@pytest.mark.parametrize("trait", ["enterprise", "leader", "expert", "sysadmin"])
def test_users_who_are_not_bureau_staff_are_denied(client, db, trait):
    client.force_login(UserFactory(**{trait: True}))
    assert client.get(reverse("core:import_upload", args=["organisations"])).status_code == 403
    assert client.get(reverse("core:import_template", args=["organisations"])).status_code == 403
    assert upload(client, good_sheet()).status_code == 403
    assert not Attachment.objects.exists()


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("core:import_upload", args=["organisations"]))
    assert response.status_code == 302


def test_unknown_spec_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("core:import_upload", args=["nope"])).status_code == 404


def test_confirming_someone_elses_upload_is_404(client, staff):
    client.force_login(staff)
    body = upload(client, good_sheet()).content.decode()
    uid = re.search(r'name="attachment" value="([0-9a-f-]+)"', body).group(1)
    client.force_login(UserFactory(staff=True))
    response = client.post(reverse("core:import_confirm", args=["organisations"]), {"attachment": uid})
    assert response.status_code == 404
    assert (
        client.post(reverse("core:import_confirm", args=["organisations"]), {"attachment": "x"}).status_code
        == 404
    )
    assert not Organisation.objects.filter(name__startswith="页面企业").exists()


def test_template_download_is_an_xlsx_with_the_spec_headers(client, staff):
    client.force_login(staff)
    response = client.get(reverse("core:import_template", args=["organisations"]))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["数据"]
    assert sheet["B1"].value == "*统一社会信用代码"


def test_import_index_lists_specs_for_staff(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("core:import_index")).content.decode()
    assert "单位库" in body


def test_large_file_confirm_runs_in_background_and_job_page_shows_progress(
    client, staff, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(engine, "BACKGROUND_ROWS", 3)
    client.force_login(staff)
    body = upload(client, good_sheet(5)).content.decode()
    assert "将在后台导入" in body
    uid = re.search(r'name="attachment" value="([0-9a-f-]+)"', body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:import_confirm", args=["organisations"]), {"attachment": uid})
    job = Job.objects.get(kind="import")
    assert response.status_code == 302 and response.url == reverse("core:job_status", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.percent == 100
    page = client.get(response.url).content.decode()
    assert "5 / 5" in page and reverse("core:import_job_result", args=[job.pk]) in page
    assert (
        "新增 <strong>5</strong> 条"
        in client.get(reverse("core:import_job_result", args=[job.pk])).content.decode()
    )
    client.force_login(UserFactory(staff=True))
    assert client.get(reverse("core:import_job_result", args=[job.pk])).status_code == 404


# --- CLI -----------------------------------------------------------------------------------------


def test_cli_dry_run_validates_and_writes_nothing(tmp_path, staff, capsys):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(good_sheet(3))
    call_command("import", "organisations", str(path), "--dry-run", "--user", staff.username)
    assert "3 行可导入" in capsys.readouterr().out
    assert not Organisation.objects.filter(name__startswith="页面企业").exists()
    call_command("import", "organisations", str(path), "--user", staff.username)
    assert Organisation.objects.filter(name__startswith="页面企业").count() == 3


def test_cli_with_a_bad_row_prints_chinese_errors_and_fails(tmp_path, staff, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        org_sheet(
            [
                [1, "好企业", code(1), None, None, None, None, None],
                [2, "坏企业", "x", None, None, None, None, None],
            ]
        )
    )
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import", "organisations", str(path), "--user", staff.username)
    assert "第4行「统一社会信用代码」" in capsys.readouterr().err
    assert not Organisation.objects.filter(name="好企业").exists()


def test_cli_refuses_a_user_without_permission(tmp_path, enterprise_user):
    path = tmp_path / "a.xlsx"
    path.write_bytes(good_sheet())
    with pytest.raises(CommandError, match="没有导入"):
        call_command("import", "organisations", str(path), "--user", enterprise_user.username)


def test_cli_template_writes_the_spec_template(tmp_path, db):
    out = tmp_path / "t.xlsx"
    call_command("template", "organisations", "-o", str(out))
    assert openpyxl.load_workbook(out)["数据"]["A1"].value == "*单位名称"
    with pytest.raises(CommandError, match="organisations"):
        call_command("template", "nope", "-o", str(out))


def test_cli_exit_code_is_nonzero_on_failure(tmp_path, staff, capsys):
    command = load_command_class("kechuang.core", "import")
    path = tmp_path / "bad.xlsx"
    path.write_bytes(org_sheet([[1, "坏企业", "x", None, None, None, None, None]]))
    with pytest.raises(SystemExit) as exit_:
        command.run_from_argv(["kechuang", "import", "organisations", str(path), "--user", staff.username])
    assert exit_.value.code != 0
    assert "未导入任何数据" in capsys.readouterr().err
