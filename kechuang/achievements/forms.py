from django import forms

from kechuang.achievements.models import Achievement, Award
from kechuang.core.kit import VersionedForm
from kechuang.core.models import Organisation
from kechuang.platforms.forms import DATE, INPUT, SELECT, _blank
from kechuang.platforms.models import Level


class FilterForm(forms.Form):
    q = forms.CharField(label="名称/单位", required=False, widget=forms.TextInput(INPUT))
    level = forms.ChoiceField(
        label="级别", choices=_blank(Level.choices), required=False, widget=forms.Select(SELECT)
    )
    year = forms.IntegerField(
        label="年度", required=False, min_value=2000, max_value=2100, widget=forms.NumberInput(INPUT)
    )


class PublicFilterForm(forms.Form):
    year = forms.IntegerField(
        label="年度", required=False, min_value=2000, max_value=2100, widget=forms.NumberInput(INPUT)
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput({"class": "form-control form-control-sm"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class AchievementForm(forms.Form):
    title = forms.CharField(label="成果名称", max_length=160, widget=forms.TextInput(INPUT))
    organisation = forms.ModelChoiceField(
        label="完成单位", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    level = forms.ChoiceField(label="级别", choices=Level.choices, widget=forms.Select(SELECT))
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput(INPUT))
    recognised_on = forms.DateField(
        label="登记日期", required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )
    project_name = forms.CharField(label="所属项目", required=False, widget=forms.TextInput(INPUT))
    field_code = forms.CharField(label="技术领域代码", required=False, widget=forms.TextInput(INPUT))
    summary = forms.CharField(label="成果简介", required=False, widget=forms.Textarea({**INPUT, "rows": 3}))
    is_published = forms.BooleanField(label="在门户公开", required=False)
    files = MultipleFileField(label="证明材料", required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AwardForm(forms.Form):
    name = forms.CharField(label="奖项名称", max_length=120, widget=forms.TextInput(INPUT))
    organisation = forms.ModelChoiceField(
        label="获奖单位", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    level = forms.ChoiceField(label="级别", choices=Level.choices, widget=forms.Select(SELECT))
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput(INPUT))
    grade = forms.ChoiceField(label="等级", choices=Award.Grade.choices, widget=forms.Select(SELECT))
    achievement = forms.ModelChoiceField(
        label="获奖成果", queryset=Achievement.objects.none(), required=False, widget=forms.Select(SELECT)
    )
    project_name = forms.CharField(label="获奖项目", required=False, widget=forms.TextInput(INPUT))
    is_published = forms.BooleanField(label="在门户公开", required=False)
    files = MultipleFileField(label="证明材料", required=False)

    def __init__(self, *args, organisations, achievements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["achievement"].queryset = achievements


class AchievementEditForm(VersionedForm, AchievementForm):
    files = MultipleFileField(label="补充证明材料", required=False)


class AwardEditForm(VersionedForm, AwardForm):
    files = MultipleFileField(label="补充证明材料", required=False)
