from django import forms

from kechuang.cooperation.models import Contact, ExpectedTransfer, OfferedAchievement, TechNeed
from kechuang.core.models import DictItem, Organisation
from kechuang.platforms.forms import DATE, INPUT, SELECT, _blank


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


class NeedForm(forms.Form):
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


class OfferedForm(forms.Form):
    institute = forms.ModelChoiceField(
        label="成果单位", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    title = forms.CharField(label="成果名称", max_length=160, widget=forms.TextInput(INPUT))
    description = forms.CharField(label="成果简介", widget=forms.Textarea({**INPUT, "rows": 3}))
    field_code = forms.ChoiceField(label="技术领域", required=False, widget=forms.Select(SELECT))
    maturity = forms.ChoiceField(
        label="成熟度", choices=OfferedAchievement.Maturity.choices, widget=forms.Select(SELECT)
    )

    def __init__(self, *args, institutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institute"].queryset = institutes
        self.fields["field_code"].choices = _fields()


class ContactOutcomeForm(forms.Form):
    to = forms.ChoiceField(label="变更为", choices=Contact.Status.choices, widget=forms.Select(SELECT))
    outcome = forms.CharField(label="对接结果", required=False, widget=forms.TextInput(INPUT))
    on = forms.DateField(label="对接日期", required=False, widget=forms.DateInput(DATE))


class AgreementForm(forms.Form):
    subject = forms.CharField(label="协议内容", max_length=200, widget=forms.TextInput(INPUT))
    firm = forms.ModelChoiceField(
        label="企业", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    partner = forms.ModelChoiceField(
        label="合作方", queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    signed_on = forms.DateField(label="签订日期", widget=forms.DateInput(DATE))
    amount = forms.DecimalField(
        label="合同金额（元）", min_value=0, decimal_places=2, widget=forms.NumberInput(INPUT)
    )

    def __init__(self, *args, firms, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = firms
        self.fields["partner"].queryset = partners


class TransferForm(forms.Form):
    to = forms.ChoiceField(
        label="变更为", choices=ExpectedTransfer.Status.choices, widget=forms.Select(SELECT)
    )
    on = forms.DateField(label="落地日期", required=False, widget=forms.DateInput(DATE))
    note = forms.CharField(label="说明", required=False, widget=forms.TextInput(INPUT))
