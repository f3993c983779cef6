from django.conf import settings
from django.db import models


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计记录只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计记录只能追加，不能删除。")


class AuditEvent(models.Model):
    """One append-only, hash-chained record of a write.

    `hash` = SHA-256 over the previous event's hash and this event's canonical content, so changing
    or removing any row breaks the chain from that point on (`kechuang audit verify`).
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
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)  # unique: Meta.constraints (no LIKE index beside it)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "审计日志"
        # Every audited write maintains these, and an import writes one event per fact (ADR 0008 §1): only the
        # lookups that exist — an object's history (type and id), a hash once, the log's filters (action by
        # prefix, actor, time). A LIKE index on the hash and a second index on the type alone served nothing.
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_hash_unique")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录只能追加，不能删除。")


class AuditChainHead(models.Model):
    """A single row holding the chain's last hash; locking it serialises appends on PostgreSQL."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(default=0)
    # Events up to this id were moved to the archive; verification starts from their last hash.
    archived_through_id = models.BigIntegerField(default=0)
    archived_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return self.last_hash
