from django.conf import settings
from django.db import models

from kechuang.core.models import StatusChangeBase


class ReserveProject(models.Model):
    """A key project being planned (科技创新项目储备库), before it is applied for and approved."""

    class Status(models.TextChoices):
        IDEA = "idea", "构想"
        PLANNED = "planned", "策划中"
        APPLIED = "applied", "已申报"
        APPROVED = "approved", "已立项"
        DROPPED = "dropped", "已放弃"

    class Maturity(models.TextChoices):
        CONCEPT = "concept", "概念阶段"
        FEASIBILITY = "feasibility", "可研阶段"
        READY = "ready", "具备实施条件"

    class Source(models.TextChoices):
        NEED = "need", "需求征集"
        PLANNING = "planning", "项目策划对接"

    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="管理区划")
    title = models.CharField("项目名称", max_length=120)
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="reserve_projects", verbose_name="实施单位"
    )
    field = models.ForeignKey(
        "core.DictItem", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="领域"
    )
    expected_investment = models.DecimalField("预计总投资（元）", max_digits=14, decimal_places=2)
    maturity = models.CharField("成熟度", max_length=12, choices=Maturity.choices, default=Maturity.CONCEPT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="责任人",
    )
    team = models.ForeignKey(
        "accounts.Team", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任专班"
    )
    target_programme = models.ForeignKey(
        "programmes.Programme",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="拟申报计划",
    )
    target_text = models.CharField("拟申报计划（其他）", max_length=120, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.NEED)
    year = models.PositiveSmallIntegerField("入库年度")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.IDEA)
    project = models.ForeignKey(
        "projects.Project",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reserve_entries",
        verbose_name="立项项目",
    )
    note = models.TextField("说明", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = verbose_name_plural = "储备项目"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_investment__gte=0), name="reserve_investment_nonneg"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def target_label(self) -> str:
        return str(self.target_programme) if self.target_programme_id else self.target_text


class ReserveStatusChange(StatusChangeBase):
    reserve = models.ForeignKey(ReserveProject, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=ReserveProject.Status.choices)
    to_status = models.CharField(max_length=10, choices=ReserveProject.Status.choices)

    class Meta(StatusChangeBase.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.reserve_id} {self.from_status}→{self.to_status}"
