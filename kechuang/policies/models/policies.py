"""Policies as data: the source document, versioned policies, their items (条款) and conditions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class PolicyDocument(models.Model):
    """The issued document a policy comes from (文号, issuing body, dates, attachment)."""

    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="适用区域")
    title = models.CharField("文件名称", max_length=160)
    number = models.CharField("文号", max_length=60, blank=True, help_text="如：周科发〔2020〕3号")
    issuer = models.CharField("发文机关", max_length=80)
    issued_on = models.DateField("发文日期")
    effective_from = models.DateField("施行日期")
    effective_until = models.DateField("有效期至", null=True, blank=True)
    attachment = models.ForeignKey(
        "core.Attachment", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="原文附件"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = verbose_name_plural = "政策文件"
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=F("effective_from")),
                name="poldoc_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title


class Policy(models.Model):
    """One version of a policy. A draft is edited freely; publishing freezes it and retires the version
    before it; changing a published policy starts a new draft version (same `code`, `version` + 1), so a
    stored verdict always cites the exact conditions it was computed from."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ACTIVE = "active", "施行中"
        RETIRED = "retired", "已停止"

    document = models.ForeignKey(
        PolicyDocument, models.PROTECT, related_name="policies", verbose_name="政策文件"
    )
    code = models.SlugField("政策代码", max_length=40, help_text="各版本共用，如 hnte-award")
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("政策名称", max_length=120)
    summary = models.TextField("政策解读（通俗说明）", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    budget = models.DecimalField("年度预算（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = verbose_name_plural = "政策"
        constraints = [
            models.UniqueConstraint(fields=["document", "code", "version"], name="policy_version_unique"),
            models.UniqueConstraint(
                fields=["document", "code"], condition=Q(status="active"), name="policy_one_active"
            ),
            models.UniqueConstraint(
                fields=["document", "code"], condition=Q(status="draft"), name="policy_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    @property
    def region(self):
        return self.document.region

    @property
    def is_published(self) -> bool:
        """In force: readable by anyone (the public policy library)."""
        return self.status == self.Status.ACTIVE


class PolicyItem(models.Model):
    """One 条款 of a policy: who qualifies (its conditions), what they get (benefit) and how it is delivered."""

    class Delivery(models.TextChoices):
        AUTOMATIC = "automatic", "免申即享"
        QUICK = "quick", "快申快享"
        CALL = "call", "申报评审"

    policy = models.ForeignKey(Policy, models.CASCADE, related_name="items", verbose_name="政策")
    key = models.SlugField("条款代码", max_length=40, help_text="各版本共用；同一条款同一年度只兑现一次")
    position = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("条款名称", max_length=120)
    text = models.TextField("条款原文", blank=True)
    benefit = models.JSONField("兑现标准", default=dict, blank=True)
    delivery = models.CharField(
        "兑现方式", max_length=10, choices=Delivery.choices, default=Delivery.AUTOMATIC
    )
    budget = models.DecimalField("条款预算（元）", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["policy", "position", "pk"]
        verbose_name = verbose_name_plural = "政策条款"
        constraints = [models.UniqueConstraint(fields=["policy", "key"], name="politem_key_unique")]

    def __str__(self) -> str:
        return self.title


class Condition(models.Model):
    """One condition of an item: a kind from the library (`rules.conditions`) and its checked parameters.
    Conditions sharing a `group` number above 0 form an any-of group of their item (一项满足即可); the item holds
    when every condition with group 0 and every group hold (`rules.tree`)."""

    item = models.ForeignKey(PolicyItem, models.CASCADE, related_name="conditions", verbose_name="条款")
    position = models.PositiveSmallIntegerField("序号", default=1)
    group = models.PositiveSmallIntegerField(
        "条件组", default=0, help_text="0 为须单独满足的条件；同一组号的条件满足其一即可"
    )
    kind = models.CharField("条件类型", max_length=20)
    params = models.JSONField("参数", default=dict)

    class Meta:
        ordering = ["item", "position", "pk"]
        verbose_name = verbose_name_plural = "适用条件"

    def __str__(self) -> str:
        return f"{self.item} · {self.kind}"


class Simulation(models.Model):
    """A stored run of the simulator: a (draft) policy against the records as known on a date."""

    policy = models.ForeignKey(Policy, models.CASCADE, related_name="simulations", verbose_name="政策")
    as_of = models.DateField("评价日期")
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="范围")
    sweep = models.JSONField("变动参数", default=dict, blank=True)
    result = models.JSONField("结果", default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "政策模拟"

    def __str__(self) -> str:
        return f"{self.policy} · {self.as_of}"
