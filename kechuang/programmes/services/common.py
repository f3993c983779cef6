"""Shared by the programme services: notification kinds, the refusal exception and its audited raise."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit
from kechuang.notifications import kinds
from kechuang.programmes.models import Application

kinds.register("programmes.status", "申报状态变化")
kinds.register("programmes.review", "评审任务")
kinds.register("programmes.reminder", "申报待办提醒")
kinds.register("programmes.task", "新申报与异议待办")

S = Application.Status


class TransitionRefused(ValidationError):
    """An illegal or unguarded step; the message says why in Chinese. The refusal is audited."""


def _refuse(*, actor, action: str, obj, message: str, details: dict) -> None:
    # The refusal is recorded in its own transaction so that it survives the exception that follows.
    with transaction.atomic():
        audit.record(actor=actor, action=action, obj=obj, changes={**details, "message": message})
    raise TransitionRefused(message)
