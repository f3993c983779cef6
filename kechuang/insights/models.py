"""What the insights module stores: staff decisions on radar entries, the innovation-score schemes (indicators
and weights as data), official scores imported to compare with, and the yearly figures the score needs that
no other module holds (`FirmYearFact`).

The radar entries and the scores themselves are computed from the other modules' records (selectors), never
stored: a resolution names the entry it settles by (firm, period, code).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from kechuang.core.versions import Versioned
from kechuang.statistics.models import PeriodFields


class RadarResolution(PeriodFields):
    """A radar entry settled by staff: reported (已报送), explained (已说明) or not applicable (不适用)."""

    class Outcome(models.TextChoices):
        REPORTED = "reported", "已报送"
        EXPLAINED = "explained", "已说明"
        NOT_APPLICABLE = "not_applicable", "不适用"

    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="radar_resolutions", verbose_name="企业"
    )
    code = models.CharField("线索类型", max_length=30, help_text="如 gap:missing、anomaly:jump")
    outcome = models.CharField("处理结果", max_length=20, choices=Outcome.choices)
    reason = models.CharField("说明", max_length=300)
    resolved_on = models.DateField("处理日期")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="处理人"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-resolved_on", "-pk"]
        verbose_name = verbose_name_plural = "应统尽统核查结果"
        constraints = [
            models.UniqueConstraint(
                F("organisation"),
                F("year"),
                Coalesce("quarter", Value(0)),
                Coalesce("month", Value(0)),
                F("code"),
                name="radar_resolution_unique",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="radar_resolution_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period_label} {self.code}：{self.get_outcome_display()}"


class ScoreScheme(models.Model):
    """One version of the innovation-score indicator table (e.g. 火炬中心《企业创新积分制工作指引（1.0）》);
    a deployment chooses its version with `KECHUANG_SCORE_SCHEME`."""

    code = models.SlugField("版本代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=120)
    source = models.CharField("依据", max_length=300)
    weights_source = models.TextField(
        "权重来源", blank=True, help_text="权重与分档出自何处：公布的版本，或本部署设定（未公布统一权重时）"
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "创新积分指标体系"

    def __str__(self) -> str:
        return self.name


class ScoreIndicator(models.Model):
    """One indicator of a scheme: its class, weight (maximum points) and the bands that earn points.

    `bands` is a list of [lower bound, share of the weight] pairs, ascending: a value at or above a bound earns
    that share (the highest bound reached counts); below the first bound earns nothing."""

    class Klass(models.TextChoices):
        TECH = "tech", "技术创新类"
        GROWTH = "growth", "成长经营类"
        AUX = "aux", "辅助类"

    scheme = models.ForeignKey(
        ScoreScheme, models.CASCADE, related_name="indicators", verbose_name="指标体系"
    )
    code = models.SlugField("指标代码", max_length=40)
    klass = models.CharField("类别", max_length=10, choices=Klass.choices)
    name = models.CharField("指标", max_length=60)
    unit = models.CharField("单位", max_length=20, blank=True)
    weight = models.DecimalField("分值（满分）", max_digits=6, decimal_places=2)
    bands = models.JSONField("分档", default=list)
    definition = models.CharField("定义与数据来源", max_length=300)
    sort = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["scheme", "sort", "code"]
        verbose_name = verbose_name_plural = "创新积分指标"
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="score_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.scheme.code}:{self.code}"


class OfficialScore(models.Model):
    """A score published by a province or the Torch Centre for a firm and year, imported to compare."""

    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="official_scores", verbose_name="企业"
    )
    year = models.PositiveSmallIntegerField("年度")
    score = models.DecimalField("官方积分", max_digits=7, decimal_places=2)
    source = models.CharField("来源", max_length=120)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="导入人"
    )
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = verbose_name_plural = "官方创新积分"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "source"], name="official_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.score}"


class FirmYearFact(Versioned):
    """A firm's yearly figures the score needs and no other module holds (PCT and invention applications,
    registered technology-contract turnover, postgraduates, net profit, equity financing): reported by the
    firm on its profile or imported by staff. Versioned (`core.versions`) like the statistics facts: a change
    adds a version counting from `reported_on`, so a score as of an earlier date is reproduced.

    A blank figure is "not reported" (the score shows 缺数据), never 0."""

    KNOWN_FROM = "reported_on"

    class Source(models.TextChoices):
        FIRM = "firm", "企业自报"
        STAFF = "staff", "工作人员录入"
        IMPORT = "import", "工作人员导入"

    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="score_year_facts", verbose_name="企业"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    invention_applications = models.PositiveIntegerField("发明专利申请量（件）", null=True, blank=True)
    pct_applications = models.PositiveIntegerField("PCT专利申请量（件）", null=True, blank=True)
    tech_contract_turnover = models.DecimalField(
        "技术合同成交额（登记，万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    postgrad_staff = models.PositiveIntegerField("研究生以上学历人员（人）", null=True, blank=True)
    net_profit = models.DecimalField("净利润（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    equity_financing = models.DecimalField(
        "股权融资额（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    reported_on = models.DateField("报送日期", help_text="计入“截至日期”口径的日期")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报送人",
    )

    FIGURES = (
        "invention_applications",
        "pct_applications",
        "tech_contract_turnover",
        "postgrad_staff",
        "net_profit",
        "equity_financing",
    )

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = verbose_name_plural = "企业创新积分补充数据"
        base_manager_name = "versions"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=Q(superseded_on__isnull=True),
                name="firm_year_fact_unique",
            ),
            models.CheckConstraint(
                condition=Q(tech_contract_turnover__gte=0) | Q(tech_contract_turnover__isnull=True),
                name="firm_year_fact_turnover",
            ),
            models.CheckConstraint(
                condition=Q(equity_financing__gte=0) | Q(equity_financing__isnull=True),
                name="firm_year_fact_equity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年创新积分补充数据"
