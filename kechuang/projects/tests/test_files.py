"""Project files (documents, progress-report evidence) open through the project's policy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.models import AuditEvent, Region
from kechuang.core.services import attachment_store
from kechuang.core.tests.factories import UserFactory
from kechuang.projects.tests.factories import make_project

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_report_evidence_is_listed_and_opens_for_the_project_only(client, staff, enterprise_user):
    project = make_project(staff, unit=enterprise_user.organisation)
    client.force_login(enterprise_user)
    client.post(
        reverse("projects:report_submit", args=[project.pk]),
        {
            "kind": "periodic",
            "period": "2020年第三季度",
            "summary": "进展",
            "spent": "1",
            "evidence": SimpleUploadedFile("测试报告.pdf", PDF),
        },
    )
    evidence = project.reports.get().evidence.get()
    url = reverse("projects:project_file", args=[project.pk, evidence.uid])
    client.force_login(staff)
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert url in page and "测试报告.pdf" in page and "PDF" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline")
    assert AuditEvent.objects.filter(action="file.download", actor=staff, object_id=str(evidence.pk)).exists()
    client.force_login(UserFactory(staff=True, region=Region.objects.get(code="370303")))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(enterprise=True))
    assert client.get(url).status_code == 404
    # A file that is not this project's is not served through it.
    other = attachment_store(
        actor=None, data=PDF, original_name="别处.pdf", organisation=project.undertaking_unit
    )
    client.force_login(enterprise_user)
    assert client.get(reverse("projects:project_file", args=[project.pk, other.uid])).status_code == 404
