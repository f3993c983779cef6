"""Statistics facts: per-enterprise periodic figures and regional figures, plus the bureau's targets.

Money is Decimal in 万元 (the unit the statistics forms use); reports convert to 亿元 when they format.
Each row carries its status (预计 / 快报 / 年报), source and submission metadata; changes are audited
(`kechuang.statistics.services`), and editable rows carry `version` for optimistic locking.
"""

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from kechuang.core.indicators import Period, Status
from kechuang.core.versions import Versioned

MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}


class FactStatus(models.TextChoices):
    ESTIMATE = Status.ESTIMATE, "预计"
    PRELIMINARY = Status.PRELIMINARY, "快报"
    FINAL = Status.FINAL, "年报"


# estimate < preliminary < final: a figure is only as final as its least final row.
STATUS_RANK = {FactStatus.ESTIMATE: 0, FactStatus.PRELIMINARY: 1, FactStatus.FINAL: 2}


class FactSource(models.TextChoices):
    ENTERPRISE = "enterprise", "企业在线填报"
    STAFF_IMPORT = "staff_import", "工作人员导入"
    BUREAU = "statistics_bureau", "统计部门"


class PeriodFields(models.Model):
    """Year, and optionally a quarter or a month (never both)."""

    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        "季度", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    month = models.PositiveSmallIntegerField(
        "月份", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )

    class Meta:
        abstract = True

    @property
    def period(self) -> Period:
        return Period(self.year, quarter=self.quarter, month=self.month)

    @property
    def period_label(self) -> str:
        if self.month:
            return f"{self.year}年{self.month}月"
        if self.quarter:
            return f"{self.year}年第{self.quarter}季度"
        return f"{self.year}年"


class EnterpriseFact(PeriodFields, Versioned):
    """One firm's figures for one period. Monthly rows hold that month's amounts (当月), not year-to-date.

    Versioned (`core.versions`): a revision, correction (更正) or void (作废) keeps the earlier figures as a
    closed version; `reported_on` is the date from which a version counts in "as of" figures.
    """

    KNOWN_FROM = "reported_on"

    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        related_name="statistics_facts",
        verbose_name="企业",
        db_index=False,  # fact_unique_period leads with it
    )
    town = models.ForeignKey(
        "core.Region",
        models.PROTECT,
        related_name="+",
        verbose_name="所在镇街（该期）",
        help_text="企业在该统计期所在的镇街；企业迁址后，历史期仍计入原镇街",
    )
    # R&D in three 口径 (DOMAIN.md §6): never added together.
    rd_internal = models.DecimalField("R&D经费内部支出（统计口径，万元）", **MONEY)
    rd_hnte = models.DecimalField("研发费用（高企口径，万元）", **MONEY)
    rd_super_deduction = models.DecimalField("研发费用加计扣除额（税务口径，万元）", **MONEY)
    has_rd_projects = models.BooleanField("有研发项目", default=False)
    rd_project_count = models.PositiveIntegerField("研发项目数", null=True, blank=True)
    operating_revenue = models.DecimalField("营业收入（万元）", **MONEY)
    sales_revenue = models.DecimalField("销售收入（万元）", **MONEY)
    hightech_income = models.DecimalField("高新技术产品（服务）收入（万元）", **MONEY)
    industrial_output = models.DecimalField("工业总产值（万元）", **MONEY)
    hightech_output = models.DecimalField("高新技术产业产值（万元）", **MONEY)
    above_size = models.BooleanField("规模以上工业企业", default=False)
    staff = models.PositiveIntegerField("从业人员（人）", null=True, blank=True)
    st_staff = models.PositiveIntegerField("科技人员（人）", null=True, blank=True)
    net_assets = models.DecimalField("净资产（万元）", **MONEY)
    total_assets = models.DecimalField("资产总额（万元）", **MONEY)
    total_costs = models.DecimalField("成本费用总额（万元）", **MONEY)

    status = models.CharField(
        "数据状态", max_length=12, choices=FactStatus.choices, default=FactStatus.ESTIMATE
    )
    source = models.CharField("来源", max_length=20, choices=FactSource.choices)
    reported_on = models.DateField("报送日期", help_text="计入“截至日期”口径的日期")
    submitted_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="报送人"
    )
    submitted_at = models.DateTimeField("报送时间")

    class Meta:
        ordering = ["-year", "-quarter", "-month", "organisation__name"]
        verbose_name = verbose_name_plural = "企业统计数据"
        base_manager_name = "versions"
        constraints = [
            models.UniqueConstraint(  # one live row per firm and period; closed versions beside it
                F("organisation"),
                F("year"),
                Coalesce("quarter", Value(0)),
                Coalesce("month", Value(0)),
                condition=Q(superseded_on__isnull=True),
                name="fact_unique_period",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(month__isnull=True), name="fact_quarter_or_month"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "month", "town"], name="fact_period_town"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.period_label}"

    @property
    def period_code(self) -> str:
        return str(self.period)


class RegionFact(PeriodFields, Versioned):
    """A region's published or estimated figures (GDP, city averages) for one period; versioned like the
    firms' facts (`core.versions`), `reported_on` being the date a version counts from."""

    KNOWN_FROM = "reported_on"

    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="区划")
    gdp = models.DecimalField("地区生产总值（万元）", **MONEY)
    industrial_output_above_size = models.DecimalField("规上工业总产值（万元）", **MONEY)
    rd_published = models.DecimalField("R&D经费支出（公布数，万元）", **MONEY)
    rd_intensity_published = models.DecimalField(
        "R&D经费投入强度（公布数，%）", max_digits=6, decimal_places=2, null=True, blank=True
    )
    hightech_share_published = models.DecimalField(
        "高新技术产业产值占比（公布数，%）", max_digits=6, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        "数据状态", max_length=12, choices=FactStatus.choices, default=FactStatus.ESTIMATE
    )
    source = models.CharField("来源", max_length=200, blank=True, help_text="如：淄博市统计公报")
    reported_on = models.DateField("发布日期")

    class Meta:
        ordering = ["region__path", "-year", "-quarter", "-month"]
        verbose_name = verbose_name_plural = "区域统计数据"
        base_manager_name = "versions"
        constraints = [
            models.UniqueConstraint(
                F("region"),
                F("year"),
                Coalesce("quarter", Value(0)),
                Coalesce("month", Value(0)),
                condition=Q(superseded_on__isnull=True),
                name="regionfact_unique_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.period_label}"


class Target(Versioned):
    """A yearly target of the bureau for one registered indicator in one region; versioned (`core.versions`):
    a changed target counts from its `recorded_on`, figures as of earlier dates keep the earlier target."""

    KNOWN_FROM = "recorded_on"

    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度")
    indicator = models.CharField("指标代码", max_length=60)
    value = models.DecimalField("目标值", max_digits=16, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_on = models.DateField("下达日期", help_text="自该日起计入“截至日期”口径")

    class Meta:
        ordering = ["region__path", "-year", "indicator"]
        verbose_name = verbose_name_plural = "年度目标"
        base_manager_name = "versions"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "indicator"],
                condition=Q(superseded_on__isnull=True),
                name="target_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.indicator} = {self.value}"


class SubmissionDeadline(PeriodFields):
    """The submission calendar: when firms of a region must have reported a period."""

    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="区划")
    due_on = models.DateField("报送截止日期")
    note = models.CharField("说明", max_length=200, blank=True)
    last_reminded_at = models.DateTimeField("最近催报时间", null=True, blank=True)

    class Meta:
        ordering = ["-due_on"]
        verbose_name = verbose_name_plural = "报送日历"
        constraints = [
            models.UniqueConstraint(
                F("region"),
                F("year"),
                Coalesce("quarter", Value(0)),
                Coalesce("month", Value(0)),
                name="deadline_unique_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.period_label} 截止 {self.due_on}"


class FactTotal(models.Model):
    """Summary of `EnterpriseFact` (the statistics indicators read their values here; their drill-down rows stay
    the facts). Maintained by `statistics.totals.refresh` in the transaction of every write of facts.

    One row per group of facts with equal *grain*, which is exactly what the indicators filter on:
    period (year, quarter, month), town (the scope is a set of towns), `reported_on` (the as-of cut), `status`
    (the least final status of a figure), and the conditions of `figure_reads._plan_rows`' calls —
    `has_rd_projects` (rd_firm_count), `above_size` (hightech_output_share), and whether `rd_internal` and
    `industrial_output` are filled (each call's `field__isnull=False`). Measures: the number of facts and the
    sums the indicators read.

    Read from here (`figure_reads._plan_rows_once`): `rd_firm_count`, `rd_total`, `rd_total_yoy`, `rd_intensity`,
    `rd_intensity_vs_city`, `rd_total_completion`, `hightech_output_share`,
    `hightech_output_share_year_start`, `hightech_output_share_change` — their sums, the firm count of the
    period's own rows (= `rows`: one fact per firm and period, `fact_unique_period`), the least status rank, the
    last month and whether the period has rows of its own. Still read from the facts: the number of distinct
    firms over the monthly rows of a year or quarter (1—N月累计; a firm reports every month, so per-month
    counts cannot be added), and every drill-down.
    """

    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True)
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    town = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="镇街")
    reported_on = models.DateField("报送日期")
    superseded_on = models.DateField("被取代日期", null=True)
    status = models.CharField("数据状态", max_length=12, choices=FactStatus.choices)
    has_rd_projects = models.BooleanField("有研发项目")
    above_size = models.BooleanField("规模以上工业企业")
    has_rd_internal = models.BooleanField("已填R&D经费内部支出")
    has_industrial_output = models.BooleanField("已填工业总产值")
    rows = models.PositiveIntegerField("企业统计数据条数")
    rd_internal = models.DecimalField(
        "R&D经费内部支出合计（万元）", max_digits=20, decimal_places=2, null=True
    )
    hightech_output = models.DecimalField(
        "高新技术产业产值合计（万元）", max_digits=20, decimal_places=2, null=True
    )
    industrial_output = models.DecimalField(
        "工业总产值合计（万元）", max_digits=20, decimal_places=2, null=True
    )

    class Meta:
        verbose_name = verbose_name_plural = "企业统计数据汇总"
        constraints = [
            # a second row of the same group would count its facts twice: refused, never silently added
            models.UniqueConstraint(
                F("year"),
                Coalesce("quarter", Value(0)),
                Coalesce("month", Value(0)),
                F("town"),
                F("reported_on"),
                Coalesce("superseded_on", Value(dt.date(9999, 12, 31))),
                F("status"),
                F("has_rd_projects"),
                F("above_size"),
                F("has_rd_internal"),
                F("has_industrial_output"),
                name="facttotal_unique_group",
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "month", "town"], name="facttotal_period_town")]

    def __str__(self) -> str:
        return f"{self.year}/{self.quarter}/{self.month} {self.town_id}: {self.rows}"
