"""Agricultural S&T's task kinds for the one to-do list (core.todos): the service requests waiting at a
provider a commissioner serves in. Listed on AgritechConfig."""

from __future__ import annotations

from django.urls import reverse

from kechuang.agritech import permissions
from kechuang.agritech.models import ServiceRequest
from kechuang.core.todos import Due, TaskKind

ANSWER_DAYS = 3  # a farmer's request answered (or passed up the chain) after it is registered

KINDS = (
    TaskKind(
        key="agritech.request_answer",
        label="待答复的服务需求",
        description=f"农户、村提出的技术服务需求，{ANSWER_DAYS} 个工作日内答复或上转",
        policy=permissions.requests,
        action="answer",
        pending=lambda qs, ctx: qs.filter(status=ServiceRequest.Status.OPEN),
        due=Due("created_at", ANSWER_DAYS),
        url=lambda r: reverse("agritech:request_detail", args=[r.pk]),
        title=lambda r: f"{r.village.name} {r.requester}：{r.subject}",
        related=("village",),
        order=60,
    ),
)
