"""Programme configuration as data: a type (who applies, what the outcome is, which workflow), a programme
(form schema, scoring sheet, review rules, 公示 days) and its calls (申报批次)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from kechuang.core.permissions import serves
from kechuang.programmes import rules


class Level(models.TextChoices):
    DISTRICT = "district", "区级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "国家级"


class ProgrammeType(models.Model):
    class ApplicantKind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        INSTITUTE = "institute", "科研院所/高校"
        PERSON = "person", "个人"
        TEAM = "team", "团队"

    class OutcomeKind(models.TextChoices):
        QUALIFICATION = "qualification", "资质认定/入库"
        PROJECT = "project", "项目立项"
        PLATFORM = "platform", "平台称号"
        TALENT_AWARD = "talent_award", "人才奖项"
        ACHIEVEMENT = "achievement", "科技成果/奖励"
        RECOMMENDATION = "recommendation", "推荐上报"

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=60)
    region = models.ForeignKey(
        "core.Region",
        models.PROTECT,
        related_name="+",
        verbose_name="所属区划",
        help_text="维护该类型的科技局；本区及下级区划的项目可以使用",
    )
    applicant_kind = models.CharField("申报主体", max_length=12, choices=ApplicantKind.choices)
    outcome_kind = models.CharField("结果类型", max_length=16, choices=OutcomeKind.choices)
    transition_key = models.CharField(
        "流程",
        max_length=20,
        default="default",
        help_text="使用哪一张状态流转表（见 rules.FLOWS）",
    )
    decision_label = models.CharField(
        "决定用语", max_length=10, default="认定", help_text="立项/认定/入库/推荐/获奖"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "项目类型"
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="programme_type_region_code")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.transition_key not in rules.FLOWS:
            raise ValidationError({"transition_key": f"未知的流程：{self.transition_key}"})

    @property
    def stages(self) -> list[str]:
        return rules.stages_of(self.transition_key)


class Programme(models.Model):
    type = models.ForeignKey(ProgrammeType, models.PROTECT, related_name="programmes", verbose_name="类型")
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=80)
    level = models.CharField("级别", max_length=10, choices=Level.choices, default=Level.DISTRICT)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="组织区划")
    form_schema = models.JSONField("申报表字段", default=list, blank=True)
    scoring_sheet = models.JSONField("评分表", default=list, blank=True)
    review_rules = models.JSONField("评审规则", default=dict, blank=True)
    publicity_days = models.PositiveSmallIntegerField("公示工作日", default=5)
    eligibility_check = models.CharField(
        "资格预审",
        max_length=20,
        blank=True,
        choices=[("hnte", "高新技术企业认定条件"), ("tech_sme", "科技型中小企业评价条件")],
        help_text="申报单位打开和提交申报时，按企业库数据自动预审",
    )
    eligibility_blocks = models.BooleanField(
        "预审不符合时不允许提交",
        default=False,
        help_text="不勾选时预审结果仅供参考，不影响提交",
    )
    letter_template = models.TextField(
        "决定书模板",
        blank=True,
        help_text="可用占位符：{applicant} {programme} {call} {result} {decision_label} {date} {score}",
    )
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "项目（申报事项）"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = rules.check_form_schema(self.form_schema) + rules.check_scoring_sheet(self.scoring_sheet)
        if self.review_rules:
            errors += rules.DrawRules.from_dict(self.review_rules).problems()
        if errors:
            raise ValidationError("；".join(errors))
        if self.type_id and self.region_id and not serves(self.type.region.path, self.region.path):
            raise ValidationError({"type": "只能使用本区或上级科技局维护的项目类型。"})
        if letter_errors := rules.letter_problems(self.letter_template):
            raise ValidationError({"letter_template": letter_errors})

    @property
    def draw_rules(self) -> "rules.DrawRules":
        return rules.DrawRules.from_dict(self.review_rules or {})

    @property
    def shows_other_scores(self) -> bool:
        return bool((self.review_rules or {}).get("show_other_scores", False))


class Call(models.Model):
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="calls", verbose_name="项目")
    name = models.CharField("批次", max_length=60, help_text="如 2020年第一批")
    opens_at = models.DateTimeField("开始申报")
    closes_at = models.DateTimeField("截止申报")
    quota = models.PositiveIntegerField(
        "名额", null=True, blank=True, help_text="本批次最多批准的项数；批准达到名额后不再批准"
    )
    max_per_org = models.PositiveSmallIntegerField(
        "每单位限报（项）",
        default=1,
        validators=[MinValueValidator(1)],
        help_text="同一单位在本批次最多可申报的项数（已撤回的不计）",
    )
    level = models.CharField("级别", max_length=10, choices=Level.choices, default=Level.DISTRICT)
    recommending_unit = models.CharField("推荐单位", max_length=80, blank=True)
    notice = models.TextField("申报通知", blank=True)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="组织区划")
    guides = models.ManyToManyField(
        "core.Attachment", blank=True, related_name="+", verbose_name="申报指南及附件"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = verbose_name_plural = "申报批次"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opens"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.name}（{self.name}）"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "截止时间必须晚于开始时间。"})

    def is_open(self, at) -> bool:
        return self.opens_at <= at < self.closes_at
