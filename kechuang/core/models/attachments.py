import uuid

from django.conf import settings
from django.db import models


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Server-side names only: the user's file name is kept in `original_name`, never on disk.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{instance.uid.hex}"


class Attachment(models.Model):
    """A file stored outside the database, checked by content and size before it is accepted."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64, db_index=True)
    kind = models.CharField("材料类别", max_length=60, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    region = models.ForeignKey("core.Region", models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.original_name

    @property
    def type_label(self) -> str:
        from kechuang.core.uploads import ALLOWED

        return ALLOWED.get(self.content_type, self.content_type)

    @property
    def inline(self) -> bool:
        """Shown in the browser (PDF, images) rather than downloaded."""
        from kechuang.core.files import INLINE_TYPES

        return self.content_type in INLINE_TYPES
