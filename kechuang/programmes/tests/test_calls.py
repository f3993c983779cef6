"""Calls (issue 23 item 6): edit, extend with notice, close early, guide documents on the portal, the quota,
the applications export, the technical field from the form and per-slot file kinds."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import UserFactory
from kechuang.notifications.models import Notification
from kechuang.programmes import rules, services
from kechuang.programmes.models import Call

from .conftest import COMPLETE, FORM

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_extension_moves_the_deadline_and_tells_applicants_with_drafts(call, application, staff):
    later = call.closes_at + dt.timedelta(days=7)
    services.call_extend(actor=staff, call=call, closes_at=later)
    call.refresh_from_db()
    assert call.closes_at == later
    note = Notification.objects.get(user__organisation=application.organisation)
    assert "截止时间延长至" in note.title
    assert AuditEvent.objects.filter(action="call.update", object_id=str(call.pk)).exists()
    with pytest.raises(ValidationError, match="必须晚于当前截止时间"):
        services.call_extend(actor=staff, call=call, closes_at=later - dt.timedelta(days=1))


def test_closing_early_stops_submission_and_needs_a_reason(call, application, staff, enterprise_user):
    with pytest.raises(ValidationError, match="原因"):
        services.call_close(actor=staff, call=call, reason=" ")
    services.call_close(actor=staff, call=call, reason="名额已报满。")
    call.refresh_from_db()
    assert not call.is_open(timezone.now() + dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="截止申报"):
        services.application_transition(actor=enterprise_user, application=application, to="submitted")
    event = AuditEvent.objects.get(action="call.close")
    assert event.changes["reason"] == "名额已报满。"
    with pytest.raises(ValidationError, match="正在申报中"):
        services.call_close(actor=staff, call=call, reason="再次截止")


def test_opening_time_is_fixed_once_firms_applied(call, application, staff):
    with pytest.raises(ValidationError, match="开始申报时间"):
        services.call_update(actor=staff, call=call, opens_at=call.opens_at - dt.timedelta(days=1))
    services.call_update(actor=staff, call=call, name="2020年第一批（补充）", quota=3)
    assert Call.objects.get(pk=call.pk).name == "2020年第一批（补充）"


def test_edit_page_saves_and_other_districts_cannot(call, staff, client):
    client.force_login(staff)
    url = reverse("programmes:call_edit", args=[call.pk])
    page = client.get(url).content.decode()
    assert "申报指南及附件" in page and "延长截止时间" in page
    local = timezone.localtime
    response = client.post(
        url,
        {
            "name": "2020年第一批",
            "opens_at": local(call.opens_at).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": local(call.closes_at).strftime("%Y-%m-%dT%H:%M"),
            "quota": "5",
            "notice": "请按指南申报。",
        },
    )
    assert response.status_code == 302 and Call.objects.get(pk=call.pk).quota == 5
    client.force_login(UserFactory(staff=True, region=Region.objects.get(code="370303")))
    assert client.get(url).status_code in (403, 404)
    client.force_login(UserFactory(leader=True))
    assert client.get(url).status_code == 403


def test_guides_are_public_with_the_call_and_only_pdf_word_excel(call, staff, client):
    guide = services.call_add_guide(actor=staff, call=call, data=PDF, original_name="申报指南.pdf")
    with pytest.raises(ValidationError):
        services.call_add_guide(actor=staff, call=call, data=PNG, original_name="图.png")
    client.logout()
    listing = client.get(reverse("programmes:public_call_list")).content.decode()
    assert str(call) in listing and "申报中" in listing
    detail = client.get(reverse("programmes:public_call_detail", args=[call.pk])).content.decode()
    assert "申报指南.pdf" in detail
    response = client.get(reverse("programmes:public_call_file", args=[call.pk, guide.uid]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    services.call_remove_guide(actor=staff, call=call, uid=guide.uid)
    assert client.get(reverse("programmes:public_call_file", args=[call.pk, guide.uid])).status_code == 404


def test_a_call_not_yet_open_is_not_on_the_portal(call, staff, client):
    Call.objects.filter(pk=call.pk).update(opens_at=timezone.now() + dt.timedelta(days=3))
    assert client.get(reverse("programmes:public_call_detail", args=[call.pk])).status_code == 404


def test_portal_lists_the_calls_section(client):
    assert "申报通知" in client.get(reverse("portal:home")).content.decode()


def test_applications_export_is_audited_and_for_the_bureau(call, application, staff, client, enterprise_user):
    services.application_transition(actor=enterprise_user, application=application, to="submitted")
    client.force_login(staff)
    response = client.get(reverse("programmes:call_applications_export", args=[call.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(response))).active.iter_rows(values_only=True))
    assert rows[1][0] == application.organisation.name and rows[1][3] == "A01"
    assert AuditEvent.objects.filter(action="export.xlsx").exists()
    client.force_login(enterprise_user)
    assert client.get(reverse("programmes:call_applications_export", args=[call.pk])).status_code in (
        403,
        404,
    )


def test_the_technical_field_comes_from_the_form(programme, call, enterprise_user, staff):
    programme.form_schema = [{**f, "route": "field_code"} if f["key"] == "field" else f for f in FORM]
    programme.full_clean()
    programme.save()
    app = services.application_create(
        actor=enterprise_user, call=call, organisation=enterprise_user.organisation, title="t"
    )
    assert app.field_code == ""
    app = services.application_save_draft(
        actor=enterprise_user, application=app, data={**COMPLETE, "field": "B02"}, expected_version=1
    )
    assert app.field_code == "B02"


def test_schema_checks_routes_and_slot_kinds():
    assert rules.check_form_schema([{"key": "a", "label": "甲", "type": "text", "route": "nowhere"}])
    bad = [{"key": "f", "label": "文件", "type": "attachment", "accept": ["exe"]}]
    assert "文件类型" in rules.check_form_schema(bad)[0]
    assert "大小上限" in rules.check_form_schema([{**bad[0], "accept": ["pdf"], "max_mb": 500}])[0]
    assert rules.check_form_schema([{**bad[0], "accept": ["pdf", "image"], "max_mb": 10}]) == []


def test_a_slot_takes_only_its_kinds(programme, application, enterprise_user, client):
    programme.form_schema = [
        {**f, "accept": ["pdf"], "max_mb": 1} if f["type"] == "attachment" else f for f in FORM
    ]
    programme.save()
    client.force_login(enterprise_user)
    url = reverse("programmes:application_edit", args=[application.pk])
    page = client.get(url).content.decode()
    assert "PDF，不超过 1 MB" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"title": application.title, "version": application.version, "f_revenue": "1", "f_field": "A01"}
    refused = client.post(url, {**data, "f_ip": SimpleUploadedFile("照片.png", PNG)}, follow=True)
    assert "“知识产权证明”" in refused.content.decode()
    ok = client.post(url, {**data, "f_ip": SimpleUploadedFile("证明.pdf", PDF)})
    assert ok.status_code == 302


def test_extend_and_close_on_the_page(call, staff, client):
    client.force_login(staff)
    later = timezone.localtime(call.closes_at + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(reverse("programmes:call_extend", args=[call.pk]), {"closes_at": later}, follow=True)
    assert "截止时间已延长" in page.content.decode()
    page = client.post(reverse("programmes:call_close", args=[call.pk]), {"reason": ""}, follow=True)
    assert "请写明提前截止的原因" in page.content.decode()
    page = client.post(reverse("programmes:call_close", args=[call.pk]), {"reason": "已报满。"}, follow=True)
    assert "本批次已截止申报" in page.content.decode()
    assert not Call.objects.get(pk=call.pk).is_open(timezone.now())
