"""Issue 25: a generated document's download is an audit event (who took which draft, in which format)."""

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.reports import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["docx", "md", "json"])
def test_draft_downloads_are_audited(client, staff, template, scope, fmt):
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    client.force_login(staff)
    response = client.get(reverse("reports:draft_download", args=[draft.pk, fmt]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="file.download")
    assert (event.actor, event.object_id, event.changes["file"]) == (
        staff,
        str(draft.pk),
        f"summary-{draft.pk}.{fmt}",
    )
