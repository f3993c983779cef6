from django import forms

from kechuang.core.kit import VersionedForm
from kechuang.core.models import DictItem, Organisation
from kechuang.platforms.models import Evaluation, Kind, Level, Membership, Status

SELECT = {"class": "form-select form-select-sm"}
INPUT = {"class": "form-control form-control-sm"}
DATE = {"class": "form-control form-control-sm", "type": "date"}


def _blank(choices, label="全部"):
    return [("", label), *choices]


class PlatformFilterForm(forms.Form):
    q = forms.CharField(label="名称/单位", required=False, widget=forms.TextInput(INPUT))
    kind = forms.ChoiceField(
        label="类型", choices=_blank(Kind.choices), required=False, widget=forms.Select(SELECT)
    )
    level = forms.ChoiceField(
        label="级别", choices=_blank(Level.choices), required=False, widget=forms.Select(SELECT)
    )
    status = forms.ChoiceField(
        label="状态", choices=_blank(Status.choices), required=False, widget=forms.Select(SELECT)
    )


class PublicFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=_blank(Kind.choices), required=False, widget=forms.Select(SELECT)
    )


class PlatformForm(forms.Form):
    name = forms.CharField(label="名称", max_length=120, widget=forms.TextInput(INPUT))
    kind = forms.ChoiceField(label="类型", choices=Kind.choices, widget=forms.Select(SELECT))
    level = forms.ChoiceField(label="级别", choices=Level.choices, widget=forms.Select(SELECT))
    status = forms.ChoiceField(
        label="当前状态",
        choices=[(k, v) for k, v in Status.choices if k != "revoked"],
        widget=forms.Select(SELECT),
    )
    operator = forms.ModelChoiceField(
        label="运营（依托）单位", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    industry = forms.ModelChoiceField(
        label="产业领域",
        queryset=DictItem.objects.filter(dict_type__code="key_industry"),
        required=False,
        widget=forms.Select(SELECT),
    )
    registered_on = forms.DateField(
        label="申报/筹建日期",
        required=False,
        help_text="筹建或申报中的平台自该日起计入在建（申报中）平台",
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
    )
    recognised_on = forms.DateField(
        label="认定（备案）日期", required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )
    recognition_document = forms.CharField(
        label="认定（备案）文件", required=False, widget=forms.TextInput(INPUT)
    )
    partners = forms.ModelMultipleChoiceField(
        label="合作机构",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(SELECT),
    )
    partner_note = forms.CharField(label="合作说明", required=False, widget=forms.TextInput(INPUT))
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea({**INPUT, "rows": 3}))
    is_published = forms.BooleanField(label="在门户公开", required=False)

    def __init__(self, *args, operators, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators
        self.fields["partners"].queryset = partners


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label="变更为", choices=Status.choices, widget=forms.Select(SELECT))
    on = forms.DateField(label="日期", widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    document = forms.CharField(label="文件（认定/撤销须填）", required=False, widget=forms.TextInput(INPUT))
    note = forms.CharField(label="说明", required=False, widget=forms.TextInput(INPUT))


class LevelForm(forms.Form):
    level = forms.ChoiceField(label="新级别", choices=Level.choices, widget=forms.Select(SELECT))
    on = forms.DateField(label="日期", widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    document = forms.CharField(label="文件", widget=forms.TextInput(INPUT))


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="成员单位", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    role = forms.ChoiceField(label="角色", choices=Membership.Role.choices, widget=forms.Select(SELECT))
    joined_on = forms.DateField(label="加入日期", widget=forms.DateInput(DATE, format="%Y-%m-%d"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput(INPUT))
    grade = forms.ChoiceField(
        label="评价结果",
        choices=_blank(Evaluation.Grade.choices, "—"),
        required=False,
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args, schema, **kwargs):
        super().__init__(*args, **kwargs)
        for f in schema:
            self.fields[f"f_{f['key']}"] = forms.CharField(label=f["label"], widget=forms.TextInput(INPUT))

    def data_values(self) -> dict:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("f_")}


class PublishForm(forms.Form):
    published = forms.BooleanField(label="在门户公开", required=False)


class PlatformEditForm(VersionedForm):
    name = forms.CharField(label="名称", max_length=120, widget=forms.TextInput(INPUT))
    operator = forms.ModelChoiceField(
        label="运营（依托）单位", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    industry = forms.ModelChoiceField(
        label="产业领域",
        queryset=DictItem.objects.filter(dict_type__code="key_industry"),
        required=False,
        widget=forms.Select(SELECT),
    )
    partners = forms.ModelMultipleChoiceField(
        label="合作机构",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(SELECT),
    )
    partner_note = forms.CharField(
        label="合作说明", max_length=200, required=False, widget=forms.TextInput(INPUT)
    )
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea({**INPUT, "rows": 3}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = organisations
        self.fields["partners"].queryset = organisations
