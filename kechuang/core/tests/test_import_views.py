"""Import pages and CLI: upload → preview → confirm, denied users, template download, background jobs."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command, load_command_class
from django.urls import reverse

from kechuang.core.imports import jobs
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


@pytest.fixture
def previewed(client, django_capture_on_commit_callbacks):
    """Upload a file as the logged-in user; the worker (run inline here) stores its preview. Returns the
    preview job and its page."""

    def run(data):
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, data)
        job = Job.objects.filter(kind=jobs.PREVIEW_KIND).latest("pk")
        assert response.status_code == 302 and response.url == reverse("core:job_status", args=[job.pk])
        job.refresh_from_db()
        return job, client.get(reverse("core:import_job_result", args=[job.pk])).content.decode()

    return run


def confirm(client, job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("core:import_confirm", args=[job.pk]))


def test_staff_uploads_previews_and_confirms(client, staff, previewed, django_capture_on_commit_callbacks):
    client.force_login(staff)
    job, body = previewed(good_sheet())
    assert "新增 <strong>2</strong> 行" in body and "确认导入" in body
    assert not Organisation.objects.filter(name__startswith="页面企业").exists()  # preview writes nothing
    done = confirm(client, job, django_capture_on_commit_callbacks)
    commit = Job.objects.get(kind="import")
    assert done.status_code == 302 and done.url == reverse("core:job_status", args=[commit.pk])
    commit.refresh_from_db()
    assert commit.status == Job.Status.SUCCEEDED and commit.params["preview"] == job.pk
    assert (
        "新增 <strong>2</strong> 条"
        in client.get(reverse("core:import_job_result", args=[commit.pk])).content.decode()
    )
    assert Organisation.objects.filter(name__startswith="页面企业").count() == 2
    again = confirm(client, job, django_capture_on_commit_callbacks)  # a second click queues nothing more
    assert again.url == done.url and Job.objects.filter(kind="import").count() == 1


def test_the_preview_shows_old_and_new_values_of_changed_rows(
    client, staff, previewed, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    job, _ = previewed(good_sheet())
    confirm(client, job, django_capture_on_commit_callbacks)
    changed = org_sheet([[1, "页面企业1有限公司", code(301), "南郊镇", None, None, None, None]])
    _, body = previewed(changed)
    assert "修改 <strong>1</strong> 行" in body
    assert "所在镇街：王村镇 → 南郊镇" in body


def test_preview_shows_row_errors_and_offers_no_confirm_button(client, staff, previewed):
    client.force_login(staff)
    data = org_sheet(
        [[1, "好企业", code(1), None, None, None, None, None], [2, "", "123", None, None, None, None, None]]
    )
    job, body = previewed(data)
    assert "未导入任何数据" in body
    assert "第4行「单位名称」" in body
    assert "必填项，不能为空" in body and "应为18位" in body
    assert "确认导入" not in body
    assert client.post(reverse("core:import_confirm", args=[job.pk])).status_code == 404


def test_a_commit_refuses_a_file_whose_records_changed_after_the_preview(
    client, staff, previewed, django_capture_on_commit_callbacks
):
    from kechuang.core import services

    client.force_login(staff)
    job, _ = previewed(good_sheet())
    services.organisation_create(actor=staff, name="别人先登记的", credit_code=code(301))
    confirm(client, job, django_capture_on_commit_callbacks)
    commit = Job.objects.get(kind="import")
    assert commit.status == Job.Status.FAILED
    assert "预览之后相关记录已被修改" in commit.result["errors"][0]["message"]
    assert not Organisation.objects.filter(name__startswith="页面企业").exists()


def test_the_preview_page_reads_a_page_of_rows_whatever_the_files_length(
    client, staff, django_assert_max_num_queries
):
    """The web process reads one page of stored preview rows: the same queries and about the same memory
    for a 30-row and a 1,500-row preview (the rows were stored by the worker)."""
    import tracemalloc

    from kechuang.core.models import ImportRow

    client.force_login(staff)
    sizes = {}
    for n in (30, 1500):
        job = Job.objects.create(
            kind=jobs.PREVIEW_KIND, title="预览", status=Job.Status.SUCCEEDED, created_by=staff,
            params={"spec": "organisations", "attachment": "0" * 32},
            result={"counts": {"new": n, "changed": 0, "unchanged": 0, "error": 0}, "ready": True, "data_rows": n},
        )  # fmt: skip
        ImportRow.objects.bulk_create(
            ImportRow(
                job=job,
                number=i + 2,
                outcome="new",
                label=code(i),
                changes=[["单位名称", "（空）", "甲" * 40]],
            )
            for i in range(n)
        )
        url = reverse("core:import_job_result", args=[job.pk])
        client.get(url)  # warm caches
        tracemalloc.start()
        with django_assert_max_num_queries(8):
            body = client.get(url, {"page": 2}).content.decode()
        sizes[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert body.count("<tr>") == 1 + min(n, 50)  # the header and one page (page 2 of 30 rows is page 1)
    assert sizes[1500] < sizes[30] * 1.5 + 200_000, sizes


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


def test_confirming_someone_elses_preview_is_404(client, staff, previewed):
    client.force_login(staff)
    job, _ = previewed(good_sheet())
    client.force_login(UserFactory(staff=True))
    assert client.post(reverse("core:import_confirm", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:import_job_result", args=[job.pk])).status_code == 404
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


# --- CLI -----------------------------------------------------------------------------------------


def test_cli_dry_run_validates_and_writes_nothing(tmp_path, staff, capsys):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(good_sheet(3))
    call_command("import", "organisations", str(path), "--dry-run", "--user", staff.username)
    assert "3 行可导入" in capsys.readouterr().out
    assert not Organisation.objects.filter(name__startswith="页面企业").exists()
    call_command("import", "organisations", str(path), "--user", staff.username)
    assert Organisation.objects.filter(name__startswith="页面企业").count() == 3
    capsys.readouterr()
    path.write_bytes(org_sheet([[1, "页面企业1有限公司", code(301), "南郊镇", None, None, None, None]]))
    call_command("import", "organisations", str(path), "--dry-run", "--user", staff.username)
    out = capsys.readouterr().out
    assert "预览：新增 0 行，修改 1 行" in out and "第3行 修改 所在镇街：王村镇 → 南郊镇" in out


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
