"""Notices and policy documents: draft → review by another person → publish → withdraw, with attachments,
audited; the public sees published ones only; subscribers are told on publication."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import UserFactory
from kechuang.notifications.models import Notification
from kechuang.portal import services
from kechuang.portal.models import Notice, NoticeStep

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def reviewer(db):
    return UserFactory(staff=True)


def draft(staff, district, **kw):
    return services.notice_create(
        actor=staff, region=district, title=kw.pop("title", "科技创新券管理办法"), body="正文", **kw
    )


def test_the_drafter_cannot_publish_their_own_notice(staff, district):
    notice = draft(staff, district)
    services.notice_step(actor=staff, notice=notice, to="review")
    with pytest.raises(ValidationError, match="起草人以外"):
        services.notice_step(actor=staff, notice=notice, to="published")
    assert Notice.objects.get(pk=notice.pk).status == "review"


def test_a_draft_cannot_be_published_without_review(staff, reviewer, district):
    notice = draft(staff, district)
    with pytest.raises(ValidationError, match="不能从“草稿”变为“已发布”"):
        services.notice_step(actor=reviewer, notice=notice, to="published")


def test_full_cycle_is_recorded_and_audited(staff, reviewer, district):
    notice = draft(staff, district, category="policy", doc_number="周科发〔2020〕3号")
    services.notice_step(actor=staff, notice=notice, to="review")
    with pytest.raises(ValidationError, match="理由"):
        services.notice_step(actor=reviewer, notice=notice, to="draft")
    services.notice_step(actor=reviewer, notice=notice, to="draft", comment="文号有误")
    services.notice_update(actor=staff, notice=notice, title="科技创新券管理办法（试行）")
    services.notice_step(actor=staff, notice=notice, to="review")
    notice = services.notice_step(actor=reviewer, notice=notice, to="published")
    assert notice.reviewed_by == reviewer and notice.published_at is not None
    with pytest.raises(ValidationError, match="只有草稿可以修改"):
        services.notice_update(actor=staff, notice=notice, title="改标题")
    with pytest.raises(ValidationError, match="理由"):
        services.notice_step(actor=staff, notice=notice, to="withdrawn")
    services.notice_step(actor=staff, notice=notice, to="withdrawn", comment="已废止")
    steps = list(NoticeStep.objects.filter(notice=notice).values_list("from_status", "to_status", "reason"))
    assert steps == [
        ("draft", "review", ""),
        ("review", "draft", "文号有误"),
        ("draft", "review", ""),
        ("review", "published", ""),
        ("published", "withdrawn", "已废止"),
    ]
    actions = set(AuditEvent.objects.filter(object_id=str(notice.pk)).values_list("action", flat=True))
    assert {
        "notice.create",
        "notice.update",
        "notice.review",
        "notice.published",
        "notice.withdrawn",
    } <= actions


def test_leaders_firms_and_other_districts_staff_cannot_manage(staff, leader, enterprise_user, district):
    notice = draft(staff, district)
    zd_staff = UserFactory(staff=True, region=district.parent.children.get(code="370303"))
    for outsider in (leader, enterprise_user, zd_staff):
        with pytest.raises(PermissionDenied):
            services.notice_step(actor=outsider, notice=notice, to="review")
    with pytest.raises(PermissionDenied):
        services.notice_create(actor=leader, region=district, title="x", body="y")


def test_withdrawn_notice_leaves_the_public_pages_and_its_files_too(client, staff, reviewer, district):
    notice = draft(staff, district, files=[("办法.pdf", PDF)])
    services.notice_step(actor=staff, notice=notice, to="review")
    services.notice_step(actor=reviewer, notice=notice, to="published")
    uid = notice.attachments.get().uid
    file_url = reverse("portal:notice_file", args=[notice.pk, uid])
    assert client.get(file_url).status_code == 200
    assert "办法.pdf" in client.get(reverse("portal:notice_detail", args=[notice.pk])).content.decode()
    services.notice_step(actor=staff, notice=notice, to="withdrawn", comment="废止")
    assert client.get(reverse("portal:notice_detail", args=[notice.pk])).status_code == 404
    assert client.get(file_url).status_code == 404
    assert "科技创新券管理办法" not in client.get(reverse("portal:notice_list")).content.decode()


def test_subscribers_of_the_region_are_told_once_on_publication(
    staff, reviewer, district, enterprise_user, django_capture_on_commit_callbacks
):
    elsewhere = UserFactory(enterprise=True)
    elsewhere.organisation.region = district.parent.children.get(code="370303")
    elsewhere.organisation.save()
    for user in (enterprise_user, elsewhere):
        services.subscription_set(actor=user, category="policy", on=True)
    not_subscribed = UserFactory(enterprise=True)
    notice = draft(staff, district, category="policy")
    services.notice_step(actor=staff, notice=notice, to="review")
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_step(actor=reviewer, notice=notice, to="published")
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        services.notice_step(actor=reviewer, notice=notice, to="published")  # a repeat tells nobody twice
    told = Notification.objects.filter(kind="portal.notice")
    assert list(told.values_list("user", flat=True)) == [enterprise_user.pk]
    assert told.get().url == reverse("portal:notice_detail", args=[notice.pk])
    assert not Notification.objects.filter(
        user__in=[elsewhere, not_subscribed], kind="portal.notice"
    ).exists()


def test_staff_pages_draft_submit_and_a_colleague_publishes(client, staff, reviewer, district):
    client.force_login(staff)
    resp = client.post(
        reverse("portal:manage_create"),
        {
            "category": "notice",
            "title": "关于开展科技活动周的通知",
            "doc_number": "",
            "body": "各有关单位：……",
        },
    )
    notice = Notice.objects.get(title="关于开展科技活动周的通知")
    assert resp.url == reverse("portal:manage_detail", args=[notice.pk])
    client.post(reverse("portal:manage_step", args=[notice.pk]), {"to": "review"})
    page = client.get(reverse("portal:manage_detail", args=[notice.pk])).content.decode()
    assert "审核通过并发布" not in page and "起草人以外" in page
    client.force_login(reviewer)
    assert "审核通过并发布" in client.get(reverse("portal:manage_detail", args=[notice.pk])).content.decode()
    client.post(reverse("portal:manage_step", args=[notice.pk]), {"to": "published"})
    assert Notice.objects.get(pk=notice.pk).status == "published"
    listing = client.get(reverse("portal:manage_list"), {"status": "published"}).content.decode()
    assert "关于开展科技活动周的通知" in listing


def test_a_refused_upload_keeps_what_was_typed(client, staff):
    client.force_login(staff)
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = client.post(
        reverse("portal:manage_create"),
        {
            "category": "notice",
            "title": "带附件的通知",
            "body": "正文要保留",
            "attachments": [SimpleUploadedFile("a.pdf", b"not a pdf at all")],
        },
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "正文要保留" in html and "带附件的通知" in html
    assert not Notice.objects.filter(title="带附件的通知").exists()


def test_other_districts_staff_get_404_on_manage_pages(client, staff, district):
    notice = draft(staff, district)
    client.force_login(UserFactory(staff=True, region=district.parent.children.get(code="370303")))
    for name in ("portal:manage_detail", "portal:manage_edit"):
        assert client.get(reverse(name, args=[notice.pk])).status_code == 404
    assert client.post(reverse("portal:manage_step", args=[notice.pk]), {"to": "review"}).status_code == 404


def test_menu_entry_is_for_bureau_roles(client, staff, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(reverse("portal:manage_list")).status_code == 403
    client.force_login(staff)
    assert client.get(reverse("portal:manage_list")).status_code == 200


def test_a_submitted_notice_is_a_task_for_colleagues_not_for_its_drafter(staff, reviewer, leader, district):
    from kechuang.core import todos

    def tasks(user):
        kind = next((k for k in todos.kinds_for(user) if k.key == "portal.review"), None)
        return [] if kind is None else list(kind.records(todos.TaskContext(user)))

    notice = draft(staff, district)
    assert tasks(reviewer) == []
    services.notice_step(actor=staff, notice=notice, to="review")
    assert tasks(reviewer) == [notice] and tasks(staff) == [] and tasks(leader) == []
    assert tasks(UserFactory(staff=True, region=district.parent.children.get(code="370303"))) == []
    services.notice_step(actor=reviewer, notice=notice, to="published")
    assert tasks(reviewer) == []
