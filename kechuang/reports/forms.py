from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from kechuang.core import dates
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


class _ListedChoices(ModelChoiceIterator):
    """The field's options from the regions it read once (not a second query)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.rows()) + (self.field.empty_label is not None)


class RegionChoiceField(forms.ModelChoiceField):
    """A `ModelChoiceField` whose regions are read ONCE per form, with their parents (`select_related`, the
    rows' own parents linked in Python): validation finds the chosen region among them and the `<select>`
    lists them (Django's field queries for each; a figure's `city_of` then walks up without queries). Same
    options, labels, markup and error messages."""

    iterator = _ListedChoices

    def rows(self) -> list:
        rows = getattr(self, "_rows", None)
        if rows is None:
            rows = self._rows = list(self.queryset.select_related("parent"))
            by_pk = {r.pk: r for r in rows}
            for row in rows:
                if row.parent_id in by_pk:
                    row.parent = by_pk[row.parent_id]
        return rows

    def _set_queryset(self, queryset):
        self._rows = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        if isinstance(value, self.queryset.model):
            value = getattr(value, self.to_field_name or "pk")
        field = self.queryset.model._meta.get_field(self.to_field_name) if self.to_field_name else None
        try:
            key = (field or self.queryset.model._meta.pk).to_python(value)
        except (ValueError, TypeError, ValidationError):
            key = None
        for row in self.rows():
            if key is not None and getattr(row, self.to_field_name or "pk") == key:
                return row
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ScopeForm(BootstrapMixin, forms.Form):
    region = RegionChoiceField(label="区域", queryset=Region.objects.none())
    period = forms.CharField(label="统计期", max_length=10, help_text="如 2020、2020Q3、2020-08")
    as_of = forms.DateField(label="截至日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()

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
