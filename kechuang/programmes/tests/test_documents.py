"""Application files: listed by name, opened through the application's policy, stored once, removable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.models import Attachment, AuditEvent, Region
from kechuang.core.tests.factories import UserFactory
from kechuang.programmes import services

from .conftest import NOW, expert_user

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _save(client, app, content=PDF, name="知识产权证明.pdf", htmx=True):
    app.refresh_from_db()
    return client.post(
        reverse("programmes:application_edit", args=[app.pk]),
        {
            "title": app.title,
            "version": app.version,
            "f_revenue": "1200000",
            "f_field": "A01",
            "f_ip": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
        headers={"HX-Request": "true"} if htmx else {},
    )


@pytest.fixture
def draft(client, call, enterprise_user):
    client.force_login(enterprise_user)
    client.post(reverse("programmes:application_create", args=[call.pk]))
    app = call.applications.get()
    app.field_code = "A01"  # the draw matches experts on it
    app.save()
    return app


def test_autosave_and_retry_of_the_same_file_store_it_once(client, draft):
    # The reported sequence: autosave, autosave again (the input still holds the file), then 保存草稿 —
    # 1 → 2 → 4 份 before; one file, one row now.
    _save(client, draft)
    _save(client, draft)
    _save(client, draft, htmx=False)
    draft.refresh_from_db()
    assert len(draft.data["ip"]) == 1
    assert Attachment.objects.filter(kind="ip").count() == 1
    _save(client, draft, content=PDF + b"%second\n", name="第二份.pdf")
    draft.refresh_from_db()
    assert len(draft.data["ip"]) == 2


def test_files_are_listed_by_name_type_and_size_and_open_inline(client, draft, enterprise_user):
    _save(client, draft)
    draft.refresh_from_db()
    page = client.get(reverse("programmes:application_detail", args=[draft.pk])).content.decode()
    url = reverse("programmes:application_file", args=[draft.pk, draft.data["ip"][0]])
    assert (
        "知识产权证明.pdf" in page
        and url in page
        and "PDF" in page
        and "份" not in page.split("申报内容")[1][:400]
    )
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(url + "?download=1")["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="file.download", actor=enterprise_user).count() == 2


def test_a_non_pdf_is_always_a_download(client, draft):
    from kechuang.core.services import attachment_store

    xlsx = attachment_store(
        actor=None,
        data=_xlsx(),
        original_name="财务.xlsx",
        kind="ip",
        organisation=draft.organisation,
    )
    draft.data = {"ip": [str(xlsx.uid)]}
    draft.save()
    response = client.get(reverse("programmes:application_file", args=[draft.pk, xlsx.uid]))
    assert response["Content-Disposition"].startswith("attachment")


def _xlsx() -> bytes:
    from kechuang.core.exports import to_xlsx

    return to_xlsx(["a"], [[1]])


def test_who_may_open_an_application_file(client, draft, staff, expert_pool, enterprise_user):
    _save(client, draft)
    draft.refresh_from_db()
    url = reverse("programmes:application_file", args=[draft.pk, draft.data["ip"][0]])
    services.application_transition(actor=enterprise_user, application=draft, to="submitted", now=NOW)
    # 形式审查: the district's staff open it; another district's staff and another firm get 404.
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert (
        "知识产权证明.pdf"
        in client.get(reverse("programmes:application_detail", args=[draft.pk])).content.decode()
    )
    client.force_login(UserFactory(staff=True, region=Region.objects.get(code="370303")))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(enterprise=True))
    assert client.get(url).status_code == 404
    # Experts: only those drawn to this application.
    services.application_check(actor=staff, application=draft, result="accept")
    services.review_draw(actor=staff, application=draft, seed="fixed")
    drawn = set(draft.assignments.values_list("expert_id", flat=True))
    client.force_login(expert_user(next(e for e in expert_pool if e.pk not in drawn)))
    assert client.get(url).status_code == 404
    client.force_login(expert_user(next(e for e in expert_pool if e.pk in drawn)))
    assert client.get(url).status_code == 200


def test_a_file_of_another_record_is_404_through_this_one(client, draft, call):
    from kechuang.core.services import attachment_store

    # The firm's own file, but not one of this application's: the application URL does not serve it.
    own = attachment_store(actor=None, data=PDF, original_name="别处.pdf", organisation=draft.organisation)
    assert client.get(reverse("programmes:application_file", args=[draft.pk, own.uid])).status_code == 404


def test_applicant_removes_a_file_until_submission(client, draft, enterprise_user):
    _save(client, draft)
    _save(client, draft, content=PDF + b"%2\n", name="二.pdf")
    draft.refresh_from_db()
    first, second = draft.data["ip"]
    edit = client.get(reverse("programmes:application_edit", args=[draft.pk])).content.decode()
    assert "已上传附件" in edit and "二.pdf" in edit
    remove = reverse("programmes:application_file_remove", args=[draft.pk, first])
    assert client.get(remove).status_code == 405
    client.post(remove)
    draft.refresh_from_db()
    assert draft.data["ip"] == [second]
    assert AuditEvent.objects.filter(action="application.file_remove", object_id=str(draft.pk)).exists()
    # Another firm cannot remove it; after submission nobody can.
    client.force_login(UserFactory(enterprise=True))
    keep = reverse("programmes:application_file_remove", args=[draft.pk, second])
    assert client.post(keep).status_code == 404
    client.force_login(enterprise_user)
    services.application_transition(actor=enterprise_user, application=draft, to="submitted", now=NOW)
    response = client.post(keep, follow=True)
    assert "提交前" in response.content.decode()
    draft.refresh_from_db()
    assert draft.data["ip"] == [second]


def test_objection_evidence_opens_for_the_districts_staff_only(client, accepted, staff, expert_pool):
    from django.utils import timezone

    from kechuang.programmes.models import Objection

    from .test_views import _in_publicity

    period = _in_publicity(accepted, staff, timezone.localdate())
    client.post(
        reverse("programmes:public_publicity_detail", args=[period.pk]),
        {
            "name": "张三",
            "contact": "13800001111",
            "reason": "该企业知识产权存在权属争议，请核实。",
            "application": accepted.pk,
            "evidence": SimpleUploadedFile("权属证明.pdf", PDF, content_type="application/pdf"),
        },
    )
    objection = Objection.objects.get()
    url = reverse("programmes:objection_file", args=[objection.pk, objection.evidence.uid])
    client.force_login(staff)
    page = client.get(reverse("programmes:my_tasks")).content.decode()
    assert url in page and "权属证明.pdf" in page
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(staff=True, region=Region.objects.get(code="370303")))
    assert client.get(url).status_code == 404
    client.force_login(accepted.created_by)
    assert client.get(url).status_code == 404
