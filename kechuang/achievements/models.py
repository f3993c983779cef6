"""科技成果 and awards by level and year, per firm (and optionally per project), with evidence."""

from django.db import models

from kechuang.platforms.models import Level


class Achievement(models.Model):
    """A 科技成果 recognised at a level in a year (e.g. 市级科技成果 registered for a firm's project)."""

    title = models.CharField("成果名称", max_length=160)
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="achievements", verbose_name="完成单位"
    )
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    recognised_on = models.DateField("登记（评价）日期", null=True, blank=True)
    field_code = models.CharField("技术领域", max_length=20, blank=True)
    project_name = models.CharField("所属项目", max_length=160, blank=True)
    application = models.ForeignKey(
        "programmes.Application",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="来源申报",
    )
    summary = models.TextField("成果简介", blank=True)
    evidence = models.ManyToManyField(
        "core.Attachment", blank=True, related_name="+", verbose_name="证明材料"
    )
    is_published = models.BooleanField("公开", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "level", "title"]
        verbose_name = verbose_name_plural = "科技成果"
        indexes = [models.Index(fields=["year", "level"], name="achievement_year_level")]

    def __str__(self) -> str:
        return self.title


class Award(models.Model):
    """A science and technology award (科学技术奖) won by a firm, optionally for one of its achievements."""

    class Grade(models.TextChoices):
        SPECIAL = "special", "特等奖"
        FIRST = "first", "一等奖"
        SECOND = "second", "二等奖"
        THIRD = "third", "三等奖"
        OTHER = "other", "其他"

    name = models.CharField("奖项名称", max_length=120, help_text="如：山东省科学技术进步奖")
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="awards", verbose_name="获奖单位"
    )
    achievement = models.ForeignKey(
        Achievement, models.SET_NULL, null=True, blank=True, related_name="awards", verbose_name="获奖成果"
    )
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    grade = models.CharField("等级", max_length=10, choices=Grade.choices, default=Grade.OTHER)
    project_name = models.CharField("获奖项目", max_length=160, blank=True)
    evidence = models.ManyToManyField(
        "core.Attachment", blank=True, related_name="+", verbose_name="证明材料"
    )
    is_published = models.BooleanField("公开", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "level", "name"]
        verbose_name = verbose_name_plural = "科技奖励"

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"
