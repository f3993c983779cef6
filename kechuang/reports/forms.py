from __future__ import annotations

from django import forms

from kechuang.core import dates
from kechuang.core.forms import RegionPicker
from kechuang.core.indicators import Period
from kechuang.core.models import Region
from kechuang.reports.models import SummaryTemplate


class BootstrapMixin:
    """Bootstrap classes on every widget (no inline styles; CSP)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class ScopeForm(BootstrapMixin, forms.Form):
    region = RegionPicker(label="区域", queryset=Region.objects.none())
    period = forms.CharField(label="统计期", max_length=10, help_text="如 2020、2020Q3、2020-08")
    as_of = forms.DateField(label="截至日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()

    def full_clean(self):
        super().full_clean()
        self.fields["region"].around_cleaned(self)

    def clean_period(self):
        text = self.cleaned_data["period"]
        try:
            period = Period.parse(text)
            period.start  # noqa: B018 - validates month/quarter ranges
        except (ValueError, TypeError):
            raise forms.ValidationError("统计期格式不正确，应为 2020、2020Q3 或 2020-08。") from None
        if not 2000 <= period.year <= 2100:
            raise forms.ValidationError("统计年份超出范围。")
        return period

    @staticmethod
    def initial_for(user) -> dict:
        today = dates.today()
        return {"region": user.region_id, "period": str(today.year), "as_of": today}


class DraftCreateForm(ScopeForm):
    template = forms.ModelChoiceField(label="模板", queryset=SummaryTemplate.objects.none())
    topic = forms.CharField(
        label="主题（可选）", required=False, max_length=200, help_text="按主题关键词选择章节"
    )

    field_order = ["template", "region", "period", "as_of", "topic"]

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if templates is not None:
            self.fields["template"].queryset = templates.order_by("code", "region__path")


class RegenerateForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    as_of = forms.DateField(
        label="新的截至日期（可选）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
