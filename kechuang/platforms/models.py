"""Innovation carriers (创新平台) of every kind, their status history, members and yearly evaluations."""

from django.conf import settings
from django.db import models

from kechuang.core.models import StatusChangeBase


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区级"


class Kind(models.TextChoices):
    COMMUNITY = "community", "创新创业共同体"
    NEW_RD = "new_rd", "新型研发机构"
    ACADEMICIAN = "academician", "院士工作站"
    KEY_LAB = "key_lab", "重点实验室"
    ENGINEERING = "engineering", "工程技术研究中心"
    ALLIANCE = "alliance", "创新战略联盟"
    MAKER_SPACE = "maker_space", "众创空间"
    INCUBATOR = "incubator", "科技企业孵化器"
    ACCELERATOR = "accelerator", "加速器"
    PARK = "park", "科技园区"
    TAISHAN_STUDIO = "taishan_studio", "泰山系列人才工作室"
    FOREIGN_TALENT = "foreign_talent", "引智平台"


class Status(models.TextChoices):
    PLANNING = "planning", "筹建/申报中"
    BUILDING = "building", "建设中"
    RECOGNISED = "recognised", "已认定"
    EVALUATED = "evaluated", "已评估"
    REVOKED = "revoked", "已撤销"


class Platform(models.Model):
    name = models.CharField("名称", max_length=120)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, db_index=True)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PLANNING)
    operator = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        related_name="operated_platforms",
        verbose_name="运营（依托）单位",
    )
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="所在区划")
    industry = models.ForeignKey(
        "core.DictItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="产业领域",
        limit_choices_to={"dict_type__code": "key_industry"},
    )
    partners = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="partner_platforms", verbose_name="合作机构"
    )
    partner_note = models.CharField("合作说明", max_length=200, blank=True, help_text="如：合作的外籍院士")
    recognition_document = models.CharField("认定（备案）文件", max_length=120, blank=True)
    recognised_on = models.DateField("认定（备案）日期", null=True, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    description = models.TextField("简介", blank=True)
    is_published = models.BooleanField("公开", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = verbose_name_plural = "创新平台"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_on__isnull=True)
                | models.Q(recognised_on__isnull=False, revoked_on__gte=models.F("recognised_on")),
                name="platform_revoked_after_recognised",
            ),
        ]
        indexes = [models.Index(fields=["kind", "level"], name="platform_kind_level")]

    def __str__(self) -> str:
        return self.name


class StatusChange(StatusChangeBase):
    """Every status and level change with its date and document (the history behind 'valid on a date').
    `field` says which one changed; `from_status`/`to_status` then hold that field's old and new value
    (a level for a level change). `on` is the date the change took effect (the document's date); `at` is
    when it was recorded."""

    platform = models.ForeignKey(Platform, models.CASCADE, related_name="status_changes")
    field = models.CharField("变更项", max_length=10, default="status")
    from_status = models.CharField("原值", max_length=12, blank=True)
    to_status = models.CharField("新值", max_length=12)
    on = models.DateField("日期")
    document = models.CharField("文件", max_length=120, blank=True)

    class Meta(StatusChangeBase.Meta):
        ordering = ["platform", "on", "pk"]
        verbose_name = verbose_name_plural = "平台状态变更"

    def __str__(self) -> str:
        return f"{self.platform_id} {self.field} {self.from_status}→{self.to_status}"

    def label_of(self, value: str) -> str:
        """The label of a value this row holds: a level's for a level change, a status's otherwise (the
        history page shows 建设中, never `building`); blank stays blank."""
        choices = Level if self.field == "level" else Status
        return str(dict(choices.choices).get(value, value)) if value else ""

    def get_from_status_display(self) -> str:
        return self.label_of(self.from_status)

    def get_to_status_display(self) -> str:
        return self.label_of(self.to_status)


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "牵头单位"
        MEMBER = "member", "成员单位"

    platform = models.ForeignKey(Platform, models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey("core.Organisation", models.PROTECT, related_name="platform_memberships")
    role = models.CharField("角色", max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        ordering = ["platform", "joined_on", "pk"]
        verbose_name = verbose_name_plural = "平台成员"
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "organisation"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.platform}"


class EvaluationSchema(models.Model):
    """Which yearly evaluation figures a kind of platform reports (data, overriding rules.DEFAULT_SCHEMAS)."""

    kind = models.CharField("类型", max_length=20, choices=Kind.choices, unique=True)
    fields = models.JSONField(
        "指标", default=list, help_text='[{"key": "area", "label": "场地面积（㎡）", "type": "number"}]'
    )

    class Meta:
        verbose_name = verbose_name_plural = "平台评估指标"

    def __str__(self) -> str:
        return self.get_kind_display()


class Evaluation(models.Model):
    class Grade(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        GOOD = "good", "良好"
        PASS = "pass", "合格"
        FAIL = "fail", "不合格"

    platform = models.ForeignKey(Platform, models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField("年度")
    data = models.JSONField("评估数据", default=dict)
    grade = models.CharField("评价结果", max_length=10, choices=Grade.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "-year"]
        verbose_name = verbose_name_plural = "平台年度评估"
        constraints = [models.UniqueConstraint(fields=["platform", "year"], name="evaluation_one_per_year")]

    def __str__(self) -> str:
        return f"{self.platform} {self.year}"
