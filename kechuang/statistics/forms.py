from __future__ import annotations

import datetime as dt

from django import forms

from kechuang.core.forms import RegionPicker
from kechuang.core.indicators import Period
from kechuang.core.version_forms import CorrectForm
from kechuang.statistics import rules
from kechuang.statistics.models import EnterpriseFact, FactStatus
from kechuang.statistics.services import VALUE_FIELDS


def parse_period(text: str) -> Period:
    try:
        period = Period.parse(text)
        period.start  # noqa: B018 - raises ValueError for a month/quarter out of range
    except (ValueError, TypeError):
        raise forms.ValidationError("统计期格式应为 2020、2020Q3 或 2020-10。") from None
    if not 2000 <= period.year <= 2100:
        raise forms.ValidationError("年份应在 2000—2100 之间。")
    return period


class PeriodField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return parse_period(value) if value else None


class IndicatorFilterForm(forms.Form):
    region = RegionPicker(label="区域", queryset=None)
    period = PeriodField(label="统计期", help_text="2020、2020Q3 或 2020-10")
    as_of = forms.DateField(label="截至日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field, RegionPicker)
                else "form-control form-control-sm",
            )

    def full_clean(self):
        super().full_clean()
        self.fields["region"].around_cleaned(self)

    @classmethod
    def bound(cls, data, *, regions, default_region, today: dt.date):
        initial = {
            "region": default_region.pk if default_region else None,
            "period": str(today.year),
            "as_of": today.isoformat(),
        }
        merged = {**initial, **{k: v for k, v in data.items() if v}}
        return cls(merged, regions=regions)


class FactForm(forms.ModelForm):
    """An enterprise's own periodic form; the consistency rules live in rules.check_fact."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = EnterpriseFact
        fields = (*VALUE_FIELDS, "status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (FactStatus.ESTIMATE, "预计"),
            (FactStatus.PRELIMINARY, "快报"),
            (FactStatus.FINAL, "年报"),
        ]
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif name != "version":
                field.widget.attrs["class"] = "form-select" if name == "status" else "form-control"
                if name != "status":
                    field.widget.attrs["inputmode"] = "decimal"

    def clean(self):
        data = super().clean()
        for field, messages in rules.check_fact({k: data.get(k) for k in VALUE_FIELDS}).items():
            for message in messages:
                self.add_error(field, message)
        return data

    def values(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in VALUE_FIELDS}


class DeadlineForm(forms.Form):
    period = PeriodField(label="统计期", help_text="2020、2020Q3 或 2020-10")
    due_on = forms.DateField(label="报送截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class RegionFactForm(forms.Form):
    region = forms.ModelChoiceField(label="区划", queryset=None, empty_label=None)
    period = PeriodField(label="统计期", help_text="2020、2020Q3 或 2020-10")
    gdp = forms.DecimalField(
        label="地区生产总值（万元）", required=False, min_value=0, decimal_places=2, max_digits=14
    )
    industrial_output_above_size = forms.DecimalField(
        label="规上工业总产值（万元）", required=False, min_value=0, decimal_places=2, max_digits=14
    )
    rd_intensity_published = forms.DecimalField(
        label="R&D经费投入强度（公布数，%）",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        max_digits=6,
    )
    hightech_share_published = forms.DecimalField(
        label="高新技术产业产值占比（公布数，%）",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        max_digits=6,
    )
    status = forms.ChoiceField(label="数据状态", choices=FactStatus.choices)
    source = forms.CharField(label="来源", max_length=200, help_text="如：淄博市统计公报")
    reported_on = forms.DateField(label="发布日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        for name, field in self.fields.items():
            field.widget.attrs.setdefault(
                "class", "form-select" if name in ("region", "status") else "form-control"
            )


class TargetForm(forms.Form):
    region = forms.ModelChoiceField(label="区划", queryset=None, empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    indicator = forms.ChoiceField(label="指标")
    value = forms.DecimalField(label="目标值", decimal_places=2, max_digits=16)
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, regions, **kwargs):
        from kechuang.core import indicators

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["indicator"].choices = [
            (i.code, f"{i.name}（{i.unit}）") for i in indicators.all_indicators()
        ]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault(
                "class", "form-select" if name in ("region", "indicator") else "form-control"
            )


class FactCorrectForm(CorrectForm):
    """更正 of one firm's facts: the figures to change (blank keeps the stored value)."""

    rd_internal = forms.DecimalField(
        label="R&D经费内部支出（万元）", required=False, max_digits=14, decimal_places=2
    )
    rd_hnte = forms.DecimalField(
        label="研发费用（高企口径，万元）", required=False, max_digits=14, decimal_places=2
    )
    industrial_output = forms.DecimalField(
        label="工业总产值（万元）", required=False, max_digits=14, decimal_places=2
    )
    hightech_output = forms.DecimalField(
        label="高新技术产业产值（万元）", required=False, max_digits=14, decimal_places=2
    )
    operating_revenue = forms.DecimalField(
        label="营业收入（万元）", required=False, max_digits=14, decimal_places=2
    )
    status = forms.ChoiceField(label="数据状态", required=False, choices=[("", "不变"), *FactStatus.choices])
