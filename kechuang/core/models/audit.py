import datetime as dt

from django.conf import settings
from django.db import models

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class AppendOnlyQuerySet(models.QuerySet):
    """The application never changes or removes audit rows; the database refuses it too (triggers, migration
    core 0007), except for rows the archive has moved out (`core.archiving`)."""

    def update(self, **kwargs):
        raise PermissionError("审计记录只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计记录只能追加，不能删除。")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录只能追加，不能删除。")


class AuditEvent(AppendOnly):
    """One append-only record of a write, inserted in the writer's own transaction (no shared row).

    The sealer (`core.sealing`) later numbers committed events and chains them with a keyed hash in
    `AuditSeal`; `kechuang audit verify` checks both (ADR 0003).
    """

    occurred_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", db_constraint=False
    )
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=80, blank=True)  # indexed with object_id below
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "审计日志"
        # Every audited write maintains these, and an import writes one event per fact (ADR 0008 §1): only the
        # lookups that exist — an object's history (type and id), the log's filters (action by prefix, actor,
        # time).
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class AuditSeal(AppendOnly):
    """The sealer's number for one committed event and the keyed chain value over it:
    `mac` = MAC(key, previous seal's mac, seq, the event's id and content) — see `core.sealing`."""

    seq = models.BigIntegerField(primary_key=True)
    event_id = models.BigIntegerField(
        unique=True
    )  # no FK: a deleted event must show up in verify, not cascade
    mac = models.CharField(max_length=128)
    alg = models.CharField(max_length=16)
    key_id = models.CharField(max_length=16)
    sealed_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "审计封存"

    def __str__(self) -> str:
        return f"#{self.seq} → {self.event_id}"


class AuditChainHead(models.Model):
    """The sealer's state (one row, written only by the sealer under its lock and by the archive):
    the newest seal, the newest seal of an event that may change a figure (the dashboard's stamp), where the
    next run looks for unsealed events, and what the archive has moved out."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=128)  # mac of seal `last_seq`
    last_seq = models.BigIntegerField(default=0)
    figure_seq = models.BigIntegerField(default=0)
    unsealed_from = models.DateTimeField(default=EPOCH)
    # Seals up to this seq (and their events) were moved to the archive; verification starts from its mac.
    archived_through_seq = models.BigIntegerField(default=0)
    archived_hash = models.CharField(max_length=128, default="0" * 64)

    class Meta:
        verbose_name = verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return self.last_hash
