"""Writes of the portal: notices and policy documents through draft → review → published → withdrawn
(rules.FLOW), each step audited with a status-change row; subscribers are told on publication."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from kechuang.core import audit, dates
from kechuang.core import services as core_services
from kechuang.notifications import kinds
from kechuang.notifications import services as notify
from kechuang.portal import permissions, rules, selectors
from kechuang.portal.models import Notice, NoticeStep, Subscription

kinds.register("portal.notice", "通知公告与政策文件发布")

EDITABLE = ("title", "category", "doc_number", "body")


def _require(actor, action: str, notice: Notice | None = None) -> None:
    allowed = (
        permissions.notices.allows_create(actor)
        if notice is None
        else permissions.notices.allows(actor, action, notice)
    )
    if not allowed:
        raise PermissionDenied("无权办理该公告。")


def _store(actor, notice: Notice, files) -> None:
    for name, data in files:
        notice.attachments.add(
            core_services.attachment_store(
                actor=actor, data=data, original_name=name, kind="公告附件", region=notice.region
            )
        )


@transaction.atomic
def notice_create(
    *,
    actor,
    region,
    title: str,
    body: str,
    category: str = Notice.Category.NOTICE,
    doc_number: str = "",
    files=(),
) -> Notice:
    """A draft in the staff member's region. Call inside `core.services.attachments_atomic()` with files."""
    _require(actor, "create")
    if not region.path.startswith(actor.region.path):
        raise PermissionDenied("只能在本辖区内起草公告。")
    notice = Notice(
        title=title, body=body, category=category, doc_number=doc_number, region=region, created_by=actor
    )
    notice.full_clean()
    notice.save()
    _store(actor, notice, files)
    audit.record(actor=actor, action="notice.create", obj=notice, changes={"files": [n for n, _ in files]})
    return notice


@transaction.atomic
def notice_update(*, actor, notice: Notice, files=(), remove_uids=(), **fields) -> Notice:
    """Change a draft's text and attachments; a notice under review or published is not edited in place."""
    _require(actor, "change", notice)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != Notice.Status.DRAFT:
        raise ValidationError("只有草稿可以修改；已发布的公告请先撤回再修改。")
    before = {k: getattr(notice, k) for k in EDITABLE}
    for key, value in fields.items():
        if key not in EDITABLE:
            raise ValueError(key)
        setattr(notice, key, value)
    notice.full_clean()
    notice.save()
    removed = list(notice.attachments.filter(uid__in=list(remove_uids)))
    notice.attachments.remove(*removed)
    _store(actor, notice, files)
    changes = {k: [before[k], getattr(notice, k)] for k in EDITABLE if before[k] != getattr(notice, k)}
    changes |= {"files": [n for n, _ in files], "removed": [a.original_name for a in removed]}
    audit.record(actor=actor, action="notice.update", obj=notice, changes=changes)
    return notice


@transaction.atomic
def notice_step(*, actor, notice: Notice, to: str, comment: str = "", published_at=None) -> Notice:
    """Move a notice along the workflow. Publishing and returning are for a staff member other than the
    drafter; a return or a withdrawal needs a reason. `published_at` back-dates a publication (the demo's
    history); pages publish now."""
    step = rules.FLOW.get(notice.status, to)
    _require(actor, step.action if step else "change", notice)
    current = Notice.objects.get(pk=notice.pk).status
    labels = dict(Notice.Status.choices)
    problem = rules.step_problem(
        current=current,
        target=to,
        comment=comment,
        is_drafter=notice.created_by_id == actor.pk,
        labels=labels,
    )
    if problem:
        raise ValidationError(problem)
    changes = {"status": to}
    if to == Notice.Status.REVIEW:
        changes["submitted_at"] = dates.now()
    if to == Notice.Status.PUBLISHED:
        changes |= {"reviewed_by": actor, "published_at": published_at or dates.now()}
    if not Notice.objects.filter(pk=notice.pk, status=current).update(**changes):
        raise ValidationError("公告状态已被他人更改，请刷新页面。")
    notice.refresh_from_db()
    NoticeStep.objects.create(
        notice=notice, from_status=current, to_status=to, actor=actor, at=dates.now(), reason=comment.strip()
    )
    audit.record(
        actor=actor, action=f"notice.{to}", obj=notice, changes={"from": current, "comment": comment}
    )
    if to == Notice.Status.PUBLISHED:
        transaction.on_commit(lambda: _tell_subscribers(notice))
    return notice


def _tell_subscribers(notice: Notice) -> None:
    if notice.published_at > dates.now():
        return  # a back-dated history is never "future"; a future date is not offered on any page
    notify.notify(
        users=selectors.subscribers(notice),
        kind="portal.notice",
        title=f"【{notice.get_category_display()}】{notice.title}",
        body=notice.body[:200],
        url=reverse("portal:notice_detail", args=[notice.pk]),
        about=notice,
        reason="published",
    )


@transaction.atomic
def subscription_set(*, actor, category: str, on: bool) -> bool:
    if not permissions.may_subscribe(actor):
        raise PermissionDenied("请先登录。")
    if category not in Notice.Category.values:
        raise ValidationError("栏目不存在。")
    if on:
        Subscription.objects.get_or_create(user=actor, category=category)
    else:
        Subscription.objects.filter(user=actor, category=category).delete()
    audit.record(
        actor=actor, action="notice.subscribe" if on else "notice.unsubscribe", changes={"category": category}
    )
    return on
