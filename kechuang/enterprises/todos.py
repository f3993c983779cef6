"""Firm cultivation's task kinds for the one to-do list (core.todos): HNTE certificates ending soon, which
the firm must apply to renew and the bureau follows up. Listed on EnterprisesConfig."""

from __future__ import annotations

from django.urls import reverse

from kechuang.core.models import Organisation
from kechuang.core.todos import Due, TaskKind
from kechuang.enterprises import permissions, selectors

RENEW_AHEAD_DAYS = 365  # calendar days: 重新认定 is applied for in the year the certificate ends


def _expiring(qs, ctx):
    ending = selectors.hnte_expiring(Organisation.objects.all(), as_of=ctx.today, days=RENEW_AHEAD_DAYS)
    return qs.filter(pk__in=ending.values("pk"))


KINDS = (
    TaskKind(
        key="enterprises.hnte_renew",
        label="高企证书即将到期",
        description=f"{RENEW_AHEAD_DAYS} 天内到期且尚未重新认定的高新技术企业证书，须及早申请重新认定",
        policy=permissions.qualifications,
        action="renew",
        pending=_expiring,
        due=Due("valid_until"),
        url=lambda q: reverse("enterprises:firm_detail", args=[q.organisation_id]),
        title=lambda q: f"{q.organisation.name}：{q.number or '高新技术企业'}",
        related=("organisation",),
        order=40,
    ),
)
