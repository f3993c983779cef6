from django.core.exceptions import ValidationError
from django.db import models

from kechuang.core import rules


def validate_credit_code(value: str) -> None:
    result = rules.check_credit_code(value)
    if not result:
        raise ValidationError(result.message, code=result.code)


class Organisation(models.Model):
    """Any organisation the bureau deals with, keyed by its 统一社会信用代码 where it has one.

    A firm is one record across every programme; module-specific data hangs off this row.
    Foreign institutions (e.g. an academician's Ukrainian institute) have no credit code.
    """

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        UNIVERSITY = "university", "高等院校"
        INSTITUTE = "institute", "科研院所"
        GOVERNMENT = "government", "政府部门"
        SERVICE_PROVIDER = "service_provider", "科技服务机构"
        PLATFORM_OPERATOR = "platform_operator", "平台运营机构"
        COOPERATIVE = "cooperative", "农民专业合作社"
        ASSOCIATION = "association", "社会团体"
        FOREIGN = "foreign", "境外机构"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=120, db_index=True)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_credit_code],
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE)
    region = models.ForeignKey(
        "core.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name="所在区划",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=40, blank=True)
    established_on = models.DateField("成立日期", null=True, blank=True)
    industry = models.ForeignKey(
        "core.DictItem", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="行业"
    )
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    in_city = models.BooleanField("市内单位", default=True, help_text="校城融合统计区分市内、市外合作单位")
    is_active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "单位"
        indexes = [models.Index(fields=["kind", "region"], name="org_kind_region")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.credit_code:
            self.credit_code = rules.normalise(self.credit_code)
        elif self.kind not in (self.Kind.FOREIGN, self.Kind.OTHER):
            raise ValidationError({"credit_code": "境内单位必须填写统一社会信用代码。"})
        if self.credit_code == "":
            self.credit_code = None
        from django.utils import timezone

        problems = {
            "contact_phone": rules.phone_problem(self.contact_phone),
            # The calendar's today, not the business clock (a demo dated 2020 holds firms founded later).
            "established_on": rules.founding_problem(self.established_on, today=timezone.localdate()),
        }
        problems = {field: message for field, message in problems.items() if message}
        if problems:
            raise ValidationError(problems)
