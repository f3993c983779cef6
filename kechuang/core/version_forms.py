"""The forms of 作废 (void) and 更正 (correct) for versioned records (`core.versions`), for any module."""

from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        if not isinstance(field.widget, forms.CheckboxInput | forms.DateInput):
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


class VoidForm(forms.Form):
    """作废: the record was a mistake; a reason is required."""

    reason = forms.CharField(label="作废原因", max_length=200, help_text="如：录入错误、重复录入")
    on = forms.DateField(
        label="作废登记日期",
        required=False,
        widget=DATE,
        help_text="留空为今天；自该日起的“截至日期”口径不再计入，此前日期的数字保持当时所知",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "void")
        super().__init__(*args, **kwargs)
        _style(self)


class CorrectForm(forms.Form):
    """更正: subclasses add the record's fields, all optional (blank keeps the stored value)."""

    reason = forms.CharField(label="更正原因", max_length=200)
    on = forms.DateField(
        label="更正生效日期",
        required=False,
        widget=DATE,
        help_text="留空为今天；自该日起按更正后的数值计入，此前日期仍按原数值",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "correct")
        super().__init__(*args, **kwargs)
        _style(self)

    def changes(self) -> dict:
        """The filled record fields (not the reason or date)."""
        skip = {"reason", "on"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip and v not in (None, "")}
