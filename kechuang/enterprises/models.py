"""The enterprise master record and its qualifications over time.

A firm is one `core.Organisation` (kind=enterprise). This module hangs off it:
  * `EnterpriseProfile` — the firm's innovation profile (scale, 规上, field, staff, IP counts …);
  * `EnterpriseYear` — the accounting-year figures a firm self-reports for an HNTE / tech-SME application
    (the 口径 of 国科发火〔2016〕32号; the statistics module keeps the statistical 口径 apart);
  * `QualificationKind` — data-defined titles (高新技术企业, 科技型中小企业, 市高企培育库 …) with a ladder tier;
  * `Qualification` — one title held by one firm for a period, revocable.

The cultivation ladder (梯次培育体系) tier of a firm on a date is the highest `QualificationKind.tier` among
its qualifications valid that day (0 when it holds none). Default tiers (data, editable):
  0 未入梯次 · 1 科技型中小企业 · 2 创新型高成长企业 / 市级高企培育库 / 专精特新 / 瞪羚 · 3 高新技术企业 ·
  4 科技创新领军企业.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from kechuang.core.versions import CurrentManager, LiveManager, Versioned

TIER_LABELS = {
    0: "未入梯次",
    1: "科技型中小企业",
    2: "创新型高成长企业 / 培育库",
    3: "高新技术企业",
    4: "科技创新领军企业",
}

MONEY = {"max_digits": 16, "decimal_places": 2, "null": True, "blank": True}


class EnterpriseProfile(models.Model):
    class Scale(models.TextChoices):
        LARGE = "large", "大型"
        MEDIUM = "medium", "中型"
        SMALL = "small", "小型"
        MICRO = "micro", "微型"

    organisation = models.OneToOneField(
        "core.Organisation", models.CASCADE, related_name="enterprise_profile", verbose_name="企业"
    )
    scale = models.CharField("企业规模", max_length=10, choices=Scale.choices, blank=True)
    above_size = models.BooleanField("规模以上工业企业", default=False)
    main_products = models.TextField("主要产品（服务）", blank=True)
    hnte_field = models.ForeignKey(
        "core.DictItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="高新技术领域",
        limit_choices_to={"dict_type__code": "hnte_field"},
    )
    key_industry = models.ForeignKey(
        "core.DictItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="重点产业",
        limit_choices_to={"dict_type__code": "key_industry"},
    )
    staff_count = models.PositiveIntegerField("职工总数", null=True, blank=True)
    st_staff_count = models.PositiveIntegerField("科技人员数", null=True, blank=True)
    ip_class1 = models.PositiveIntegerField(
        "Ⅰ类知识产权数",
        default=0,
        help_text="发明专利、植物新品种、国家级农作物品种、新药、一级中药保护品种、集成电路布图设计",
    )
    ip_class2 = models.PositiveIntegerField(
        "Ⅱ类知识产权数", default=0, help_text="实用新型、外观设计、软件著作权"
    )
    ip_own_rnd = models.BooleanField("知识产权主要为自主研发", default=True)
    standards_led = models.PositiveIntegerField("近5年主持制定国际/国家/行业标准数", default=0)
    national_award_5y = models.BooleanField("近5年获国家科学技术奖（前三名完成单位）", default=False)
    provincial_rnd_institution = models.BooleanField("拥有省部级以上研发机构", default=False)
    rnd_org_score = models.PositiveSmallIntegerField(
        "研发组织管理水平自评分（0–20）",
        null=True,
        blank=True,
        help_text="高企创新能力评价第三部分，由专家评判；此处为自评",
    )
    compliance_ok = models.BooleanField(
        "申请前一年内无重大安全、质量事故、严重环境违法及科研严重失信，未列入经营异常名录",
        default=True,
    )
    catalogue_ok = models.BooleanField("产品不属于国家禁止、限制和淘汰类", default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业画像"
        constraints = [
            models.CheckConstraint(
                condition=Q(rnd_org_score__isnull=True) | Q(rnd_org_score__lte=20),
                name="ent_profile_rnd_org_le20",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}（画像）"

    def clean(self) -> None:
        if (
            self.staff_count is not None
            and self.st_staff_count is not None
            and self.st_staff_count > self.staff_count
        ):
            raise ValidationError({"st_staff_count": "科技人员数不能大于职工总数。"})


class EnterpriseYear(models.Model):
    """One accounting year of a firm's HNTE-口径 figures, in 元 (self-reported, for the eligibility engine)."""

    organisation = models.ForeignKey(
        "core.Organisation", models.CASCADE, related_name="enterprise_years", verbose_name="企业"
    )
    year = models.PositiveSmallIntegerField("会计年度")
    sales_revenue = models.DecimalField("销售收入（元）", **MONEY)
    total_revenue = models.DecimalField("总收入（元）", **MONEY)
    high_tech_income = models.DecimalField("高新技术产品（服务）收入（元）", **MONEY)
    rnd_expense = models.DecimalField("研究开发费用（高企口径，元）", **MONEY)
    rnd_domestic = models.DecimalField("其中：境内研发费用（元）", **MONEY)
    net_assets = models.DecimalField("净资产（元）", **MONEY)
    total_assets = models.DecimalField("资产总额（元）", **MONEY)
    total_costs = models.DecimalField("成本费用总额（元）", **MONEY)
    staff = models.PositiveIntegerField("职工总数", null=True, blank=True)
    st_staff = models.PositiveIntegerField("科技人员数（全年累计工作183天以上）", null=True, blank=True)
    conversions = models.PositiveIntegerField("科技成果转化数", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "-year"]
        verbose_name = verbose_name_plural = "企业年度财务数据"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="ent_year_unique"),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="ent_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年"

    def clean(self) -> None:
        errors = {}
        if (
            self.rnd_expense is not None
            and self.rnd_domestic is not None
            and self.rnd_domestic > self.rnd_expense
        ):
            errors["rnd_domestic"] = "境内研发费用不能大于研究开发费用总额。"
        if self.staff is not None and self.st_staff is not None and self.st_staff > self.staff:
            errors["st_staff"] = "科技人员数不能大于职工总数。"
        if (
            self.total_revenue is not None
            and self.high_tech_income is not None
            and self.high_tech_income > self.total_revenue
        ):
            errors["high_tech_income"] = "高新技术产品（服务）收入不能大于总收入。"
        for name in (
            "sales_revenue",
            "total_revenue",
            "high_tech_income",
            "rnd_expense",
            "rnd_domestic",
            "total_assets",
            "total_costs",
        ):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = "金额不能为负数。"
        if errors:
            raise ValidationError(errors)


class QualificationKind(models.Model):
    class IssuingLevel(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"
        MUNICIPAL = "municipal", "市级"
        DISTRICT = "district", "区县级"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    tier = models.PositiveSmallIntegerField(
        "梯次", default=0, help_text="0 未入梯次 … 4 领军企业；企业梯次取其有效资质的最高梯次"
    )
    validity_years = models.PositiveSmallIntegerField("有效期（年）", default=1)
    number_pattern = models.CharField("编号格式（正则）", max_length=200, blank=True)
    number_example = models.CharField("编号示例", max_length=40, blank=True)
    issuing_level = models.CharField("认定层级", max_length=12, choices=IssuingLevel.choices)
    calendar_year = models.BooleanField(
        "按自然年度有效", default=False, help_text="如科技型中小企业入库编号当年有效"
    )
    sort = models.IntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["-tier", "sort", "code"]
        verbose_name = verbose_name_plural = "资质类型"
        constraints = [models.CheckConstraint(condition=Q(tier__lte=9), name="qualkind_tier_range")]

    def __str__(self) -> str:
        return self.name

    def check_number(self, number: str) -> str | None:
        """The Chinese reason `number` does not fit this kind's pattern, or None when it fits."""
        if not self.number_pattern:
            return None
        if not re.fullmatch(self.number_pattern, number):
            example = f"（示例：{self.number_example}）" if self.number_example else ""
            return f"编号“{number}”不符合{self.name}编号格式{example}。"
        return None

    def default_valid_until(self, valid_from: dt.date) -> dt.date:
        if self.calendar_year:
            return dt.date(valid_from.year + self.validity_years - 1, 12, 31)
        try:
            end = valid_from.replace(year=valid_from.year + self.validity_years)
        except ValueError:  # 29 February
            end = valid_from.replace(year=valid_from.year + self.validity_years, day=28)
        return end - dt.timedelta(days=1)


class QualificationQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> QualificationQuerySet:
        """Held on `day`: inside the validity window and not revoked on or before that day."""
        return self.filter(valid_from__lte=day, valid_until__gte=day).filter(
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=day)
        )

    def known_on(self, day: dt.date) -> QualificationQuerySet:
        """The version of each record as known on `day` (`core.versions`); use on `Qualification.versions`."""
        from kechuang.core.versions import known_on_q

        return self.filter(known_on_q(self.model, day))

    def held_on(self, day: dt.date) -> QualificationQuerySet:
        """As known on `day` and valid that day: what a figure "as of `day`" counts."""
        return self.known_on(day).valid_on(day)

    def of_kind(self, code: str) -> QualificationQuerySet:
        return self.filter(kind__code=code)


class Qualification(Versioned):
    """One title held by one firm. Versioned (`core.versions`): a correction (更正), void (作废) or revocation
    keeps the earlier state as a closed version; `recorded_on` is the date from which a version counts in "as
    of" figures (by default the issue date, or the revocation date for a revocation)."""

    KNOWN_FROM = "recorded_on"

    class Source(models.TextChoices):
        MANUAL = "manual", "手工录入"
        IMPORT = "import", "批量导入"
        PROGRAMME = "programme", "认定结果"
        DEMO = "demo", "演示数据"

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        REVOKED = "revoked", "已撤销"

    organisation = models.ForeignKey(
        "core.Organisation", models.CASCADE, related_name="qualifications", verbose_name="企业"
    )
    kind = models.ForeignKey(
        QualificationKind, models.PROTECT, related_name="qualifications", verbose_name="资质类型"
    )
    number = models.CharField("证书/入库编号", max_length=40, blank=True)
    issued_on = models.DateField("发证（入库）日期", null=True, blank=True)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期止")
    field = models.ForeignKey(
        "core.DictItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="技术领域",
        limit_choices_to={"dict_type__code": "hnte_field"},
    )
    evidence = models.ForeignKey(
        "core.Attachment", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="证明材料"
    )
    source = models.CharField("来源", max_length=12, choices=Source.choices, default=Source.MANUAL)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revoke_reason = models.CharField("撤销原因", max_length=200, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_on = models.DateField("计入日期", help_text="自该日起计入“截至日期”口径（默认发证日期）")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LiveManager.from_queryset(QualificationQuerySet)()
    current = CurrentManager.from_queryset(QualificationQuerySet)()
    versions = models.Manager.from_queryset(QualificationQuerySet)()

    class Meta:
        ordering = ["organisation", "-valid_from"]
        verbose_name = verbose_name_plural = "企业资质"
        base_manager_name = "versions"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="qual_valid_range"
            ),
            models.UniqueConstraint(  # among live, not voided records; versions repeat the number
                fields=["kind", "number"],
                condition=~Q(number="") & Q(superseded_on__isnull=True, voided=False),
                name="qual_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(status="active", revoked_on__isnull=True)
                | Q(status="revoked", revoked_on__isnull=False),
                name="qual_revoked_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "valid_from", "valid_until"], name="qual_kind_window"),
            models.Index(fields=["organisation", "valid_until"], name="qual_org_until"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}".strip()

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until and (
            self.revoked_on is None or self.revoked_on > day
        )

    def clean(self) -> None:
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "有效期止不能早于有效期起。"
        if self.kind_id and self.number:
            problem = self.kind.check_number(self.number)
            if problem:
                errors["number"] = problem
        if errors:
            raise ValidationError(errors)
