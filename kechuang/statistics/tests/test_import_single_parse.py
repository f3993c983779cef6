"""The commit job does not parse the file again (issue 21/26): it checks the rows its preview stored, as
converted, against the records as they are now — and refuses a file that is not the one previewed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core.imports import parse
from kechuang.core.models import ImportRow, Job, Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.statistics.models import EnterpriseFact
from kechuang.statistics.tests.test_import_history_views import sheet, upload_and_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm_a(db):
    return OrganisationFactory(region=Region.objects.get(code="370306001"))


def _unreadable(_data):
    raise AssertionError("the commit job parsed the file again")


def test_the_commit_job_writes_the_rows_its_preview_stored(
    client, staff, firm_a, django_capture_on_commit_callbacks, monkeypatch
):
    client.force_login(staff)
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        client.post(
            reverse("core:import_upload", args=["statistics"]),
            {"file": _upload(sheet([[firm_a.credit_code, "12.345"]])), "period": "2020Q3", "status": "final"},
        )
    preview = Job.objects.get(kind="import_preview")
    assert preview.result["ready"], preview.message
    stored = ImportRow.objects.get(job=preview)
    assert stored.data == {"credit_code": firm_a.credit_code, "rd_internal": "12.35", "period": "2020Q3",
                           "status": "final"}  # fmt: skip
    monkeypatch.setattr(parse, "read_workbook", _unreadable)
    with capture(execute=True):
        client.post(reverse("core:import_confirm", args=[preview.pk]))
    job = Job.objects.get(kind="import")
    assert job.status == Job.Status.SUCCEEDED, job.message
    fact = EnterpriseFact.objects.get(organisation=firm_a, year=2020, quarter=3)
    assert (fact.rd_internal, fact.status) == (Decimal("12.35"), "final")


def test_a_file_changed_after_its_preview_is_refused(
    client, staff, firm_a, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    capture = django_capture_on_commit_callbacks
    _, job = upload_and_confirm(
        client, sheet([[firm_a.credit_code, 5]]), capture, period="2020", status="final"
    )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    # A second upload whose stored file is replaced before the confirm: the commit refuses it.
    with capture(execute=True):
        client.post(
            reverse("core:import_upload", args=["statistics"]),
            {"file": _upload(sheet([[firm_a.credit_code, 6]])), "period": "2020", "status": "final"},
        )
    second = Job.objects.filter(kind="import_preview").latest("pk")
    from kechuang.core.models import Attachment

    attachment = Attachment.objects.get(uid=second.params["attachment"])
    with attachment.file.open("wb") as fh:
        fh.write(sheet([[firm_a.credit_code, 7]]))
    with capture(execute=True):
        client.post(reverse("core:import_confirm", args=[second.pk]))
    commit = Job.objects.filter(kind="import").latest("pk")
    assert commit.status == Job.Status.FAILED
    assert "文件与预览时的文件不一致" in commit.result["errors"][0]["message"]
    assert EnterpriseFact.objects.get(organisation=firm_a, year=2020, quarter=None).rd_internal == Decimal(
        "5.00"
    )


def _upload(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kechuang.statistics.tests.test_import_history_views import XLSX

    return SimpleUploadedFile("研发.xlsx", data, XLSX)


@pytest.mark.parametrize("meanwhile", ["revised", "created", "voided"])
def test_a_commit_refuses_rows_whose_fact_moved_since_the_preview(
    client, staff, firm_a, django_capture_on_commit_callbacks, meanwhile
):
    """The commit proves "nothing changed since the preview" by the versions the preview compared against
    (`ImportRow.stamp`): a fact revised, voided or created meanwhile refuses the file, and nothing is written."""
    from kechuang.core.indicators import Period
    from kechuang.statistics import services

    client.force_login(staff)
    capture = django_capture_on_commit_callbacks
    period = Period.parse("2020Q3")
    if meanwhile != "created":
        services.fact_submit(
            actor=staff, organisation=firm_a, period=period, values={"rd_internal": Decimal(1)}
        )
    with capture(execute=True):
        client.post(
            reverse("core:import_upload", args=["statistics"]),
            {"file": _upload(sheet([[firm_a.credit_code, "12"]])), "period": "2020Q3", "status": "final"},
        )
    preview = Job.objects.get(kind="import_preview")
    assert preview.result["ready"] and preview.result["stamped"], preview.message
    fact = EnterpriseFact.current.filter(organisation=firm_a, year=2020, quarter=3).first()
    if meanwhile == "created":
        services.fact_submit(
            actor=staff, organisation=firm_a, period=period, values={"rd_internal": Decimal(2)}
        )
    elif meanwhile == "revised":
        services.fact_correct(actor=staff, fact=fact, reason="更正", values={"rd_internal": Decimal(3)})
    else:
        services.fact_void(actor=staff, fact=fact, reason="录入错误")
    before = list(
        EnterpriseFact.versions.filter(organisation=firm_a).values_list("pk", "version", "rd_internal")
    )
    with capture(execute=True):
        client.post(reverse("core:import_confirm", args=[preview.pk]))
    commit = Job.objects.get(kind="import")
    assert commit.status == Job.Status.FAILED
    assert "预览之后相关记录已被修改" in commit.result["errors"][0]["message"]
    after = list(
        EnterpriseFact.versions.filter(organisation=firm_a).values_list("pk", "version", "rd_internal")
    )
    assert after == before


def test_an_unchanged_fact_since_the_preview_is_committed_as_previewed(
    client, staff, firm_a, django_capture_on_commit_callbacks
):
    from kechuang.core.indicators import Period
    from kechuang.statistics import services

    client.force_login(staff)
    capture = django_capture_on_commit_callbacks
    services.fact_submit(
        actor=staff, organisation=firm_a, period=Period.parse("2020Q3"), values={"rd_internal": Decimal(1)}
    )
    with capture(execute=True):
        client.post(
            reverse("core:import_upload", args=["statistics"]),
            {"file": _upload(sheet([[firm_a.credit_code, "12"]])), "period": "2020Q3", "status": "final"},
        )
    preview = Job.objects.get(kind="import_preview")
    fact = EnterpriseFact.current.get(organisation=firm_a, year=2020, quarter=3)
    assert ImportRow.objects.get(job=preview).stamp == [fact.pk, fact.version, None]
    with capture(execute=True):
        client.post(reverse("core:import_confirm", args=[preview.pk]))
    commit = Job.objects.get(kind="import")
    assert commit.status == Job.Status.SUCCEEDED, commit.message
    fact.refresh_from_db()
    assert (fact.rd_internal, fact.version) == (Decimal("12.00"), 2)
