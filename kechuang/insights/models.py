"""What the insights module stores: staff decisions on radar entries, the innovation-score schemes (indicators
and weights as data), and official scores imported to compare with.

The radar entries and the scores themselves are computed from the other modules' records (selectors), never
stored: a resolution names the entry it settles by (firm, period, code).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

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
