from django.conf import settings
from django.db import models


class PublicityPeriod(models.Model):
    """A 公示: the proposed list of a call, public for N working days from `starts_on`."""

    call = models.ForeignKey("programmes.Call", models.PROTECT, related_name="publicities")
    title = models.CharField("公示标题", max_length=120)
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示截止")
    working_days = models.PositiveSmallIntegerField("工作日数")
    provisional = models.BooleanField("截止日期暂定", default=False)
    note = models.CharField("说明", max_length=200, blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = verbose_name_plural = "公示"

    def __str__(self) -> str:
        return self.title


class Objection(models.Model):
    """A real-name objection from the public; anonymous objections are not accepted."""

    class Status(models.TextChoices):
        OPEN = "open", "待答复"
        ANSWERED = "answered", "已答复"

    class Resolution(models.TextChoices):
        """How an upheld objection (异议成立) was dealt with; approval waits for one."""

        WITHDRAWN = "withdrawn", "撤销申报"
        RE_REVIEW = "re_review", "退回重新评审"
        OVERRIDE = "override", "经复核仍予批准"

    publicity = models.ForeignKey(PublicityPeriod, models.PROTECT, related_name="objections")
    application = models.ForeignKey(
        "programmes.Application",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name="异议对象",
    )
    name = models.CharField("姓名", max_length=40)
    contact = models.CharField("联系方式", max_length=60)
    reason = models.TextField("异议理由")
    evidence = models.ForeignKey("core.Attachment", models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    submitted_at = models.DateTimeField()
    source_ip = models.GenericIPAddressField("提交IP", null=True, blank=True)
    answer = models.TextField("答复", blank=True)
    upheld = models.BooleanField("异议成立", default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    receipt = models.CharField("受理回执号", max_length=24, unique=True, null=True, blank=True)
    resolution = models.CharField("异议成立后的处理", max_length=10, choices=Resolution.choices, blank=True)
    resolution_reason = models.TextField("处理理由", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = verbose_name_plural = "公示异议"

    def __str__(self) -> str:
        return f"{self.name}的异议"

    @property
    def awaits_resolution(self) -> bool:
        return self.upheld and not self.resolution


class Decision(models.Model):
    class Result(models.TextChoices):
        APPROVED = "approved", "批准"
        NOT_APPROVED = "not_approved", "不予批准"

    application = models.OneToOneField("programmes.Application", models.PROTECT, related_name="decision")
    result = models.CharField("结果", max_length=14, choices=Result.choices)
    letter = models.TextField("决定书")
    outcome = models.CharField("结果写入", max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    # What the approval grants, recorded on the form (never read from hidden fields), and the letter as a 公文:
    # its 文号 is taken at the decision and its .docx is kept, so the letter never changes afterwards.
    amount = models.DecimalField("支持资金（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    conditions = models.TextField("立项条件/要求", blank=True)
    number = models.CharField("文号", max_length=40, blank=True)
    gongwen = models.JSONField("公文要素", default=dict, blank=True)
    docx = models.BinaryField("Word 文件", null=True, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField("PDF 文件", null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = verbose_name_plural = "决定"

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_result_display()}"
