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
