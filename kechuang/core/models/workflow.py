"""The one shape of a workflow's history (ADR 0035): every app's status-change model subclasses
`StatusChangeBase` and adds its foreign key to the subject (and, where the subject has them, narrows the two
statuses to its choices so templates can show `get_from_status_display`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kechuang.core import dates


class StatusChangeBase(models.Model):
    """One row per step of a record's workflow: from which status to which, who took it, when, and why.
    `from_status` is blank for a record's first recorded status. `at` is the business clock
    (`core.dates.now`), like every other date the workflows show."""

    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间", default=dates.now)
    reason = models.TextField("说明", blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"
