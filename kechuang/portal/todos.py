"""The portal's task kind for the one to-do list (core.todos): a notice or policy document waiting for a
reviewer, shown to the region's staff other than its drafter (the drafter cannot publish their own).
Listed on PortalConfig."""

from __future__ import annotations

from django.urls import reverse

from kechuang.core.todos import Due, TaskKind
from kechuang.portal import permissions
from kechuang.portal.models import Notice

REVIEW_DAYS = 3  # a notice reviewed (published or returned) after it is submitted

KINDS = (
    TaskKind(
        key="portal.review",
        label="公告待审核发布",
        description=f"同事起草的通知公告、政策文件，{REVIEW_DAYS} 个工作日内审核发布或退回修改",
        policy=permissions.notices,
        action="review",
        pending=lambda qs, ctx: qs.filter(status=Notice.Status.REVIEW).exclude(created_by=ctx.user),
        due=Due("submitted_at", REVIEW_DAYS),
        url=lambda n: reverse("portal:manage_detail", args=[n.pk]),
        title=lambda n: f"{n.get_category_display()}：{n.title}",
        order=80,
    ),
)
