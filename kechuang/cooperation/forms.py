from django import forms

from kechuang.cooperation.models import (
    Agreement,
    Contact,
    CooperationProject,
    Event,
    EventActivity,
    ExpectedTransfer,
    OfferedAchievement,
    TechNeed,
)
from kechuang.core.kit import VersionedForm
from kechuang.core.models import DictItem, Organisation
from kechuang.platforms.forms import DATE, INPUT, SELECT, _blank
from kechuang.programmes.models import Expert

TEXT = forms.Textarea({**INPUT, "rows": 3})
YEAR = forms.NumberInput(INPUT)


def _fields():
    return _blank(
        list(DictItem.objects.filter(dict_type__code="hnte_field").values_list("code", "name")), "—"
    )


class NeedFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(INPUT))
    status = forms.ChoiceField(
        label="状态", choices=_blank(TechNeed.Status.choices), required=False, widget=forms.Select(SELECT)
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, widget=forms.Select(SELECT))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _blank(choices)


class NeedForm(VersionedForm):
    title = forms.CharField(label="需求名称", max_length=160, widget=forms.TextInput(INPUT))
    description = forms.CharField(label="需求描述", widget=forms.Textarea({**INPUT, "rows": 4}))
    field_code = forms.ChoiceField(label="技术领域", required=False, widget=forms.Select(SELECT))
    is_published = forms.BooleanField(label="公开发布", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_code"].choices = _fields()


class StaffNeedForm(NeedForm):
    organisation = forms.ModelChoiceField(
        label="需求企业", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class OfferedForm(VersionedForm):
    institute = forms.ModelChoiceField(
        label="成果单位", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    title = forms.CharField(label="成果名称", max_length=160, widget=forms.TextInput(INPUT))
    description = forms.CharField(label="成果简介", widget=forms.Textarea({**INPUT, "rows": 3}))
    field_code = forms.ChoiceField(label="技术领域", required=False, widget=forms.Select(SELECT))
    maturity = forms.ChoiceField(
        label="成熟度", choices=OfferedAchievement.Maturity.choices, widget=forms.Select(SELECT)
    )
    is_published = forms.BooleanField(label="公开发布", required=False, initial=True)

    def __init__(self, *args, institutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institute"].queryset = institutes
        self.fields["field_code"].choices = _fields()


class ContactOutcomeForm(forms.Form):
    to = forms.ChoiceField(label="变更为", choices=Contact.Status.choices, widget=forms.Select(SELECT))
    outcome = forms.CharField(label="对接结果", required=False, widget=forms.TextInput(INPUT))
    on = forms.DateField(label="对接日期", required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d"))


class AgreementForm(VersionedForm):
    subject = forms.CharField(label="协议内容", max_length=200, widget=forms.TextInput(INPUT))
    firm = forms.ModelChoiceField(
        label="企业", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    partner = forms.ModelChoiceField(
        label="合作方", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    signed_on = forms.DateField(label="签订日期", widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    amount = forms.DecimalField(
        label="合同金额（元）", min_value=0, decimal_places=2, widget=forms.NumberInput(INPUT)
    )
    event = forms.ModelChoiceField(
        label="签约活动", queryset=Event.objects.none(), required=False, widget=forms.Select(SELECT)
    )

    def __init__(self, *args, firms, partners, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = firms
        self.fields["partner"].queryset = partners
        self.fields["event"].queryset = events


class TransferForm(forms.Form):
    to = forms.ChoiceField(
        label="变更为", choices=ExpectedTransfer.Status.choices, widget=forms.Select(SELECT)
    )
    on = forms.DateField(label="落地日期", required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    note = forms.CharField(label="说明", required=False, widget=forms.TextInput(INPUT))


class TextYearFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(INPUT))
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100, widget=YEAR)


class ProjectFilterForm(TextYearFilterForm):
    status = forms.ChoiceField(
        label="状态",
        choices=_blank(CooperationProject.Status.choices),
        required=False,
        widget=forms.Select(SELECT),
    )


class TransferFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(INPUT))
    status = forms.ChoiceField(
        label="状态",
        choices=_blank(ExpectedTransfer.Status.choices),
        required=False,
        widget=forms.Select(SELECT),
    )


class OfferedFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(INPUT))
    maturity = forms.ChoiceField(
        label="成熟度",
        choices=_blank(OfferedAchievement.Maturity.choices),
        required=False,
        widget=forms.Select(SELECT),
    )


class TransferEditForm(VersionedForm):
    title = forms.CharField(label="成果名称", max_length=160, widget=forms.TextInput(INPUT))
    firm = forms.ModelChoiceField(
        label="承接企业", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    expected_by = forms.DateField(label="预期落地日期", widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    agreement = forms.ModelChoiceField(
        label="依据协议", queryset=Agreement.objects.none(), required=False, widget=forms.Select(SELECT)
    )
    event = forms.ModelChoiceField(
        label="来源活动", queryset=Event.objects.none(), required=False, widget=forms.Select(SELECT)
    )
    offered = forms.ModelChoiceField(
        label="对应成果",
        queryset=OfferedAchievement.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    note = forms.CharField(label="说明", max_length=200, required=False, widget=forms.TextInput(INPUT))

    def __init__(self, *args, firms, agreements, events, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = firms
        self.fields["agreement"].queryset = agreements
        self.fields["event"].queryset = events
        self.fields["offered"].queryset = offered


class ProjectForm(VersionedForm):
    title = forms.CharField(label="项目名称", max_length=160, widget=forms.TextInput(INPUT))
    organisation = forms.ModelChoiceField(
        label="承担企业", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    partner = forms.ModelChoiceField(
        label="合作高校院所", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    year = forms.IntegerField(label="立项年度", min_value=2000, max_value=2100, widget=YEAR)
    amount = forms.DecimalField(
        label="扶持资金（元）", min_value=0, decimal_places=2, widget=forms.NumberInput(INPUT)
    )
    status = forms.ChoiceField(
        label="状态", choices=CooperationProject.Status.choices, widget=forms.Select(SELECT)
    )

    def __init__(self, *args, firms, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = firms
        self.fields["partner"].queryset = partners


class EventForm(VersionedForm):
    name = forms.CharField(label="活动名称", max_length=120, widget=forms.TextInput(INPUT))
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    place = forms.CharField(label="地点", max_length=120, required=False, widget=forms.TextInput(INPUT))
    summary = forms.CharField(label="活动概况", required=False, widget=TEXT)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        return data


class ActivityForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label="类型", choices=EventActivity.Kind.choices, widget=forms.Select(SELECT))
    title = forms.CharField(label="议程", max_length=160, widget=forms.TextInput(INPUT))
    place = forms.CharField(label="地点", max_length=120, required=False, widget=forms.TextInput(INPUT))


class AttendanceForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label="参加专家", queryset=Expert.objects.none(), required=False, widget=forms.SelectMultiple(SELECT)
    )
    firms = forms.ModelMultipleChoiceField(
        label="参加企业",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(SELECT),
    )

    def __init__(self, *args, experts, firms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = experts
        self.fields["firms"].queryset = firms


class ConsultationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="企业", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    expert = forms.ModelChoiceField(label="专家", queryset=Expert.objects.none(), widget=forms.Select(SELECT))
    held_on = forms.DateField(label="日期", widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    topic = forms.CharField(label="问诊问题", max_length=200, widget=forms.TextInput(INPUT))
    advice = forms.CharField(label="专家建议", required=False, widget=TEXT)

    def __init__(self, *args, experts, firms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["organisation"].queryset = firms


class OutcomesForm(forms.Form):
    outcomes = forms.CharField(label="活动成果", widget=forms.Textarea({**INPUT, "rows": 4}))
