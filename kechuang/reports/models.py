"""Work-summary templates (sections of sentence templates with figure placeholders) and drafts.

A draft is stored as blocks so that regeneration can recompute the figures without touching what staff
wrote: `{"kind": "computed", "template": "...{hnte_count}...", "pieces": [...], "figures": [...]}` and
`{"kind": "text", "text": "..."}`; every block belongs to a section (`section`, with the heading kept on the
section entry of `sections`).
"""

from django.conf import settings
from django.db import models


class SummaryTemplate(models.Model):
    """A bureau's work-summary wording: each bureau (region) owns its templates; drafts of its region and
    the regions below it use them."""

    code = models.SlugField("代码", max_length=40)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="所属区划")
    name = models.CharField("名称", max_length=100)
    title = models.CharField("标题模板", max_length=200, help_text="可用 {region} {year}")
    opening = models.TextField("开头段", blank=True)
    closing = models.TextField("结束语", blank=True)
    signature = models.CharField("落款单位", max_length=100, blank=True)
    style = models.CharField(
        "行文风格",
        max_length=10,
        choices=[("plain", "通用（中性）"), ("seed", "答复函（提案答复范文风格）")],
        default="plain",
        help_text="平台生成句子的措辞风格",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "工作总结模板"
        verbose_name_plural = verbose_name
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="summary_template_region_code")
        ]

    def __str__(self):
        return self.name

    def section_data(self) -> list[dict]:
        """The sections as plain data, in order (for audit before/after and the editor's preview)."""
        return [
            {"key": s.key, "heading": s.heading, "keywords": s.keywords, "blocks": s.blocks}
            for s in self.sections.all()
        ]


class SummarySection(models.Model):
    template = models.ForeignKey(SummaryTemplate, models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("顺序")
    key = models.SlugField("代码", max_length=30)
    heading = models.CharField("标题句", max_length=200, blank=True)
    keywords = models.CharField(
        "主题关键词", max_length=300, blank=True, help_text="以逗号分隔，用于提案答复选节"
    )
    blocks = models.JSONField("句子与文字块", default=list)

    class Meta:
        verbose_name = "模板章节"
        verbose_name_plural = verbose_name
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="summary_section_key_unique"),
        ]

    def __str__(self):
        return f"{self.template} · {self.key}"

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]


class Stage(models.TextChoices):
    """Sign-off of a draft (拟稿 → 核稿 → 签发); the transitions are `reports/rules.py`."""

    DRAFTING = "drafting", "拟稿"
    CHECKING = "checking", "核稿中"
    CHECKED = "checked", "待签发"
    SIGNED = "signed", "已签发"


class SummaryDraft(models.Model):
    template = models.ForeignKey(SummaryTemplate, models.PROTECT, related_name="drafts")
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")
    period = models.CharField("统计期", max_length=10)
    as_of = models.DateField("截至日期")
    title = models.CharField("标题", max_length=200)
    opening = models.TextField("开头段", blank=True)
    closing = models.TextField("结束语", blank=True)
    sections = models.JSONField("章节", default=list)  # [{"key", "heading", "blocks": [...]}]
    changed_count = models.PositiveIntegerField("数据有变化的句子", default=0)
    stage = models.CharField("签发流程", max_length=10, choices=Stage.choices, default=Stage.DRAFTING)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    regenerated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "工作总结稿"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class DraftVersion(models.Model):
    """The draft's text as it was sent to 核稿 (and as signed): numbered 1, 2, … per draft, never changed."""

    draft = models.ForeignKey(SummaryDraft, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本")
    stage = models.CharField("送出时", max_length=10, choices=Stage.choices)
    title = models.CharField("标题", max_length=200)
    opening = models.TextField("开头段", blank=True)
    closing = models.TextField("结束语", blank=True)
    sections = models.JSONField("章节", default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "稿件版本"
        verbose_name_plural = verbose_name
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="draft_version_number")]

    def __str__(self):
        return f"{self.draft} 第{self.number}稿"


class DraftComment(models.Model):
    """A note of 拟稿人, 核稿人 or 签发人 on a draft (a return to 拟稿 needs one)."""

    draft = models.ForeignKey(SummaryDraft, models.CASCADE, related_name="comments")
    version = models.ForeignKey(DraftVersion, models.SET_NULL, null=True, blank=True, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=20, blank=True)
    text = models.TextField("意见")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "核签意见"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:30]


class DocumentCounter(models.Model):
    """The last 发文顺序号 a bureau gave for a kind of document (函, 字…) in a year: numbers are allocated from
    it at signing only, one at a time (the row is locked by its update), and never given back."""

    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="发文机关")
    kind = models.CharField("文种代字", max_length=10)
    year = models.PositiveSmallIntegerField("年份")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = "发文字号计数"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "year"], name="document_counter_unique")
        ]

    def __str__(self):
        return f"{self.region_id} {self.kind}〔{self.year}〕{self.last}"


class SignedDocument(models.Model):
    """A signed 公文: its 文号, who checked and signed it, the frozen text (`version`) with every figure's
    source and scope, the 公文 as data (`gongwen`) and the rendered files. Never changed after signing."""

    draft = models.OneToOneField(SummaryDraft, models.PROTECT, related_name="signed")
    version = models.OneToOneField(DraftVersion, models.PROTECT, related_name="+")
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="发文机关")
    kind = models.CharField("文种代字", max_length=10)
    year = models.PositiveSmallIntegerField("年份")
    serial = models.PositiveIntegerField("顺序号")
    number = models.CharField("发文字号", max_length=40)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    issuer_name = models.CharField("签发人", max_length=60)
    signed_on = models.DateField("签发日期")
    gongwen = models.JSONField("公文要素")
    docx = models.BinaryField("Word 文件")
    docx_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField("PDF 文件", null=True, blank=True)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "已签发公文"
        verbose_name_plural = verbose_name
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "year", "serial"], name="signed_document_serial"
            ),
            models.UniqueConstraint(fields=["region", "number"], name="signed_document_number"),
        ]

    def __str__(self):
        return self.number


class FigureSnapshot(models.Model):
    """The figures of one page part (`kind`) for one scope and language, as computed at `stamp`
    (`audit.figures_stamp()`): what the dashboard and home cards show, kept in the database so the task
    worker's refresh reaches every app server (ADR 0038, `reports.snapshots`)."""

    kind = models.CharField(max_length=20)
    region = models.ForeignKey("core.Region", models.CASCADE, related_name="+")
    period = models.CharField(max_length=20)
    as_of = models.DateField()
    language = models.CharField(max_length=10)
    stamp = models.CharField(max_length=40)
    data = models.JSONField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)  # how long the computation took
    read_at = models.DateTimeField()
    refreshing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "period", "as_of", "language"], name="figure_snapshot_scope"
            )
        ]
        indexes = [models.Index(fields=["read_at"], name="figure_snapshot_read")]

    def __str__(self):
        return f"{self.kind} {self.region_id} {self.period} {self.as_of}"
