"""Forms of the summary-template editor.

A section's blocks are edited as one text box, one block a line (blank lines between them are only for
reading): `@生成器代码` (e.g. `@hnte_totals`) is a sentence the drafting engine writes from records (left out
when its data is empty), `【分项】…` a lead-in numbered 一是/二是, a line with `{indicator}` placeholders is
the bureau's own sentence with figures, any other line is the bureau's own wording. Moving lines reorders blocks; adding or deleting lines adds or removes blocks. Sections are a
formset: the 顺序 number reorders them, 删除 removes one, the empty form at the end adds one.
"""

from __future__ import annotations

import re

from django import forms

from kechuang.reports import summary
from kechuang.reports.forms import BootstrapMixin
from kechuang.reports.models import SummaryTemplate

KEY = re.compile(r"^[a-z0-9_-]{1,30}$")


LEAD = "【分项】"


def block_line(block: dict) -> str:
    if block.get("kind") == "generated":
        return f"@{block.get('generator', '')}"
    if block.get("kind") == "lead":
        return LEAD + block.get("text", "").replace("\n", " ")
    return block.get("text", "").replace("\n", " ")


def blocks_to_text(blocks: list[dict]) -> str:
    return "\n\n".join(block_line(b) for b in blocks)


def line_block(line: str) -> dict:
    from kechuang.reports.drafting import GENERATED_LINE

    if match := GENERATED_LINE.match(line):
        return {"kind": "generated", "generator": match.group(1)}
    if line.startswith(LEAD):
        return {"kind": "lead", "text": line[len(LEAD) :].strip()}
    return {"kind": "computed" if summary.placeholders(line) else "text", "text": line}


def text_to_blocks(text: str) -> list[dict]:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return [line_block(line) for line in lines if line]


def _no_placeholders(value: str, what: str) -> str:
    if summary.BRACED.search(value) or "{" in value or "}" in value:
        raise forms.ValidationError(f"{what}不能使用指标占位符或花括号；数字请写在章节的句子里。")
    return value


class TemplateForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SummaryTemplate
        fields = ["name", "title", "opening", "closing", "signature"]
        widgets = {"opening": forms.Textarea(attrs={"rows": 3}), "closing": forms.Textarea(attrs={"rows": 2})}

    def clean_title(self):
        title = self.cleaned_data["title"]
        if problems := summary.title_problems(title):
            raise forms.ValidationError(problems)
        return title

    def clean_opening(self):
        return _no_placeholders(self.cleaned_data["opening"], "开头段")

    def clean_closing(self):
        return _no_placeholders(self.cleaned_data["closing"], "结束语")


class SectionForm(BootstrapMixin, forms.Form):
    order = forms.IntegerField(
        label="顺序", min_value=1, max_value=99, required=False, help_text="留空排在最后"
    )
    key = forms.CharField(
        label="代码",
        max_length=30,
        required=False,
        help_text="英文小写，如 platforms；“next”为下一步打算，答复时总保留",
    )
    heading = forms.CharField(label="标题句", max_length=200, required=False)
    keywords = forms.CharField(label="主题关键词", max_length=300, required=False, help_text="以逗号分隔")
    blocks_text = forms.CharField(
        label="句子与文字块（每行一块）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="“@生成器代码”一行由平台按记录写出（无数据时自动略去）；“【分项】”开头为一是、二是引导语；"
        "含 {指标代码} 的行为本局句子中的数字；其余行为固定文字；调整行的顺序即调整块的顺序。",
    )

    def clean_key(self):
        key = self.cleaned_data["key"].strip()
        if key and not KEY.match(key):
            raise forms.ValidationError("代码只能由小写英文字母、数字、下划线和短横线组成。")
        return key

    def clean_heading(self):
        return _no_placeholders(self.cleaned_data["heading"], "标题句")

    def clean_blocks_text(self):
        text = self.cleaned_data["blocks_text"]
        problems = []
        for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
            problems += [f"第{n}行：{p}" for p in summary.check_template_text(line)]
        if problems:
            raise forms.ValidationError(problems)
        return text


class BaseSectionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() or f.initial]
        kept = [f for f in kept if not self._should_delete_form(f)]
        if not kept:
            raise forms.ValidationError("模板至少要有一个章节。")
        keys = [f.cleaned_data["key"] for f in kept if f.cleaned_data.get("key")]
        duplicated = sorted({k for k in keys if keys.count(k) > 1})
        if duplicated:
            raise forms.ValidationError(f"章节代码重复：{'、'.join(duplicated)}。")
        for f in kept:
            if not f.cleaned_data.get("heading") and not text_to_blocks(
                f.cleaned_data.get("blocks_text", "")
            ):
                raise forms.ValidationError("每个章节至少要有标题句或一个句子；不需要的章节请勾选删除。")

    def sections(self) -> list[dict]:
        """The kept sections in their new order, as service input (key filled in where left blank)."""
        kept = [
            f
            for f in self.forms
            if (f.has_changed() or f.initial) and not self._should_delete_form(f) and f.cleaned_data
        ]
        kept.sort(key=lambda f: (f.cleaned_data["order"] or 100, self.forms.index(f)))
        used = {f.cleaned_data["key"] for f in kept if f.cleaned_data["key"]}
        out = []
        for n, f in enumerate(kept, start=1):
            c = f.cleaned_data
            key = c["key"]
            if not key:
                key = next(f"section{i}" for i in range(n, n + 100) if f"section{i}" not in used)
                used.add(key)
            out.append(
                {
                    "key": key,
                    "heading": c["heading"],
                    "keywords": c["keywords"],
                    "blocks": text_to_blocks(c["blocks_text"]),
                }
            )
        return out


SectionFormSet = forms.formset_factory(
    SectionForm, formset=BaseSectionFormSet, extra=1, can_delete=True, max_num=30, validate_max=True
)


def section_initial(template: SummaryTemplate) -> list[dict]:
    return [
        {
            "order": n,
            "key": s.key,
            "heading": s.heading,
            "keywords": s.keywords,
            "blocks_text": blocks_to_text(s.blocks),
        }
        for n, s in enumerate(template.sections.all(), start=1)
    ]
