from django import forms

from kechuang.core.kit import VersionedForm
from kechuang.core.models import DictItem, Organisation, Person
from kechuang.platforms.forms import INPUT, SELECT, _blank
from kechuang.platforms.models import Level
from kechuang.talent.models import (
    ExpertProfile,
    ForeignExpert,
    ForeignExpertDemand,
    ForeignExpertProject,
    Nomination,
    TalentAward,
)

YEAR = forms.NumberInput(INPUT)


class ExpertFilterForm(forms.Form):
    q = forms.CharField(label="姓名/单位/专长", required=False, widget=forms.TextInput(INPUT))
    field = forms.ChoiceField(label="领域", required=False, widget=forms.Select(SELECT))
    availability = forms.ChoiceField(
        label="可对接",
        choices=_blank(ExpertProfile.Availability.choices),
        required=False,
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = _blank(
            list(DictItem.objects.filter(dict_type__code="hnte_field").values_list("code", "name"))
        )


class ProfileForm(forms.Form):
    expertise = forms.CharField(label="研究方向与专长", widget=forms.Textarea({**INPUT, "rows": 3}))
    availability = forms.ChoiceField(
        label="可对接状态", choices=ExpertProfile.Availability.choices, widget=forms.Select(SELECT)
    )
    available_note = forms.CharField(label="说明", required=False, widget=forms.TextInput(INPUT))


class YearFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(INPUT))
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100, widget=YEAR)


class AwardFilterForm(YearFilterForm):
    result = forms.ChoiceField(
        label="结果", choices=_blank(TalentAward.Result.choices), required=False, widget=forms.Select(SELECT)
    )


class DemandFilterForm(YearFilterForm):
    status = forms.ChoiceField(
        label="状态",
        choices=_blank(ForeignExpertDemand.Status.choices),
        required=False,
        widget=forms.Select(SELECT),
    )


class AwardForm(forms.Form):
    person = forms.ModelChoiceField(label="人才", queryset=Person.objects.none(), widget=forms.Select(SELECT))
    organisation = forms.ModelChoiceField(
        label="企业", queryset=Organisation.objects.none(), required=False, widget=forms.Select(SELECT)
    )
    programme_name = forms.CharField(label="人才工程/赛事", widget=forms.TextInput(INPUT))
    level = forms.ChoiceField(
        label="级别", choices=Level.choices, initial="municipal", widget=forms.Select(SELECT)
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=YEAR)
    category = forms.CharField(label="类别", required=False, widget=forms.TextInput(INPUT))
    rank = forms.CharField(label="名次/等次", required=False, widget=forms.TextInput(INPUT))
    result = forms.ChoiceField(label="结果", choices=TalentAward.Result.choices, widget=forms.Select(SELECT))

    def __init__(self, *args, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["person"].queryset = people


class DemandForm(VersionedForm):
    need = forms.CharField(label="需求内容", max_length=200, widget=forms.TextInput(INPUT))
    field = forms.CharField(label="专业领域", max_length=60, widget=forms.TextInput(INPUT))
    duration_months = forms.IntegerField(
        label="拟引进期限（月）", min_value=1, max_value=120, widget=forms.NumberInput(INPUT)
    )


class StaffDemandForm(DemandForm):
    organisation = forms.ModelChoiceField(
        label="需求企业", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    year = forms.IntegerField(label="征集年度", min_value=2000, max_value=2100, widget=YEAR)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class DemandTransitionForm(forms.Form):
    to = forms.ChoiceField(
        label="变更为", choices=ForeignExpertDemand.Status.choices, widget=forms.Select(SELECT)
    )
    expert = forms.ModelChoiceField(
        label="匹配专家", queryset=None, required=False, widget=forms.Select(SELECT)
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts


class NominationTransitionForm(forms.Form):
    to = forms.ChoiceField(label="变更为", choices=Nomination.Status.choices, widget=forms.Select(SELECT))


class AwardEditForm(VersionedForm, AwardForm):
    note = forms.CharField(label="备注", required=False, widget=forms.TextInput(INPUT))


class ForeignFilterForm(forms.Form):
    q = forms.CharField(label="姓名/领域", required=False, widget=forms.TextInput(INPUT))
    nationality = forms.CharField(label="国籍", required=False, widget=forms.TextInput(INPUT))


class ForeignExpertForm(VersionedForm):
    nationality = forms.CharField(label="国籍", max_length=40, widget=forms.TextInput(INPUT))
    field = forms.CharField(label="专业领域", max_length=60, widget=forms.TextInput(INPUT))
    field_code = forms.ChoiceField(label="高新技术领域", required=False, widget=forms.Select(SELECT))
    employer = forms.ModelChoiceField(
        label="工作（服务）单位",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    expertise = forms.CharField(label="专长", required=False, widget=forms.Textarea({**INPUT, "rows": 3}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = organisations
        self.fields["field_code"].choices = _blank(
            list(DictItem.objects.filter(dict_type__code="hnte_field").values_list("code", "name")), "—"
        )


class ForeignExpertCreateForm(ForeignExpertForm):
    name = forms.CharField(label="姓名", max_length=40, widget=forms.TextInput(INPUT))
    gender = forms.ChoiceField(
        label="性别", choices=_blank(Person.Gender.choices, "—"), required=False, widget=forms.Select(SELECT)
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False, widget=forms.TextInput(INPUT))
    email = forms.EmailField(label="电子邮箱", required=False, widget=forms.EmailInput(INPUT))
    field_order = ["name", "nationality", "gender", "phone", "email"]


class ForeignProjectForm(VersionedForm):
    title = forms.CharField(label="项目名称", max_length=160, widget=forms.TextInput(INPUT))
    organisation = forms.ModelChoiceField(
        label="承担单位", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    expert = forms.ModelChoiceField(
        label="外国专家", queryset=ForeignExpert.objects.none(), required=False, widget=forms.Select(SELECT)
    )
    level = forms.ChoiceField(label="级别", choices=Level.choices, widget=forms.Select(SELECT))
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=YEAR)
    status = forms.ChoiceField(
        label="状态", choices=ForeignExpertProject.Status.choices, widget=forms.Select(SELECT)
    )

    def __init__(self, *args, organisations, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["expert"].queryset = experts


class ProjectFilterForm(YearFilterForm):
    level = forms.ChoiceField(
        label="级别", choices=_blank(Level.choices), required=False, widget=forms.Select(SELECT)
    )
    status = forms.ChoiceField(
        label="状态",
        choices=_blank(ForeignExpertProject.Status.choices),
        required=False,
        widget=forms.Select(SELECT),
    )


class NominationFilterForm(YearFilterForm):
    status = forms.ChoiceField(
        label="状态", choices=_blank(Nomination.Status.choices), required=False, widget=forms.Select(SELECT)
    )


class NominationForm(VersionedForm):
    person = forms.ModelChoiceField(
        label="被推荐人", queryset=Person.objects.none(), widget=forms.Select(SELECT)
    )
    award = forms.CharField(label="奖项", max_length=80, initial="齐鲁友谊奖", widget=forms.TextInput(INPUT))
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=YEAR)
    organisation = forms.ModelChoiceField(
        label="推荐（服务）单位",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    note = forms.CharField(
        label="事迹摘要", max_length=300, required=False, widget=forms.Textarea({**INPUT, "rows": 3})
    )

    def __init__(self, *args, people, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["organisation"].queryset = organisations
