"""整改 with evidence and escalation: the firm reports its rectification with a file, which the staff and the
firm open and nobody else; a refused follow-up keeps no file; a finding still open 10 working days after its
deadline is escalated onto leadership's 我的待办 (and off it once closed)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core import todos
from kechuang.core.models import Attachment
from kechuang.core.tests.factories import UserFactory

from .test_pages import finding  # noqa: F401 - the finding fixture

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _counts(user, today):
    return {c.kind.key: (c.total, c.overdue) for c in todos.counts(user, today=today)}


def test_the_firm_reports_rectification_with_evidence(client, staff, enterprise_user, finding):  # noqa: F811
    url = reverse("projects:finding_follow_up", args=[finding.pk])
    client.force_login(enterprise_user)
    upload = SimpleUploadedFile("整改报告.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"follow_up": "已报送赶进度计划", "evidence": upload}).status_code == 302
    [attachment] = finding.evidence.all()
    assert attachment.original_name == "整改报告.pdf"
    file_url = reverse("projects:finding_file", args=[finding.pk, attachment.uid])
    assert file_url in client.get(url).content.decode()
    assert client.get(file_url).status_code == 200
    client.force_login(staff)
    assert client.get(file_url).status_code == 200
    client.force_login(UserFactory(enterprise=True))
    assert client.get(file_url).status_code == 404


def test_a_refused_follow_up_keeps_no_file(client, enterprise_user, finding):  # noqa: F811
    client.force_login(enterprise_user)
    before = Attachment.objects.count()
    upload = SimpleUploadedFile("整改报告.pdf", PDF, content_type="application/pdf")
    page = client.post(
        reverse("projects:finding_follow_up", args=[finding.pk]), {"follow_up": " ", "evidence": upload}
    )
    assert page.status_code == 200
    assert Attachment.objects.count() == before and not finding.evidence.exists()


def test_overdue_rectification_escalates_to_leadership(
    client,
    staff,
    leader,
    enterprise_user,
    finding,  # noqa: F811
    calendar_2020_2027,
    other_district,
):
    # Deadline Friday 2020-07-31; 10 working days later is Friday 2020-08-14.
    assert _counts(enterprise_user, dt.date(2020, 8, 3))["projects.rectify"] == (1, 1)
    assert "projects.rectify_escalated" not in _counts(leader, dt.date(2020, 8, 14))
    assert _counts(leader, dt.date(2020, 8, 17))["projects.rectify_escalated"] == (1, 1)
    zd_leader = UserFactory(
        leader=True, region=UserFactory(staff=True).region.parent.children.exclude(pk=staff.region_id).first()
    )
    assert "projects.rectify_escalated" not in _counts(zd_leader, dt.date(2020, 8, 17))
    client.force_login(staff)
    client.post(
        reverse("projects:finding_follow_up", args=[finding.pk]), {"follow_up": "核实完成", "close": "on"}
    )
    assert "projects.rectify_escalated" not in _counts(leader, dt.date(2020, 8, 17))
