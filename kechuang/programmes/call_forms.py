"""Forms of a call after creation: edit, extend, close early, a guide document."""

from __future__ import annotations

from django import forms

from kechuang.programmes.forms import CallForm


class CallEditForm(CallForm):
    """The call's own fields; its programme stays (applications already follow its form)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, programmes=None, **kwargs)
        del self.fields["programme"]


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(
        label="新的截止时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="提前截止原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class GuideForm(forms.Form):
    file = forms.FileField(
        label="申报指南或模板（PDF、Word、Excel）",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.docx,.xlsx"}),
    )
