import uuid
from decimal import Decimal

from django import forms

from kechuang.core.indicators import Period
from kechuang.core.permissions import ancestor_paths
from kechuang.vouchers.models import Provider, ServiceItem, Voucher, VoucherProgramme

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})
TEXT = {"class": "form-control"}
MONEY = {"class": "form-control", "step": "0.01", "min": "0.01", "inputmode": "decimal"}


def money_field(label: str, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),  # not the float 0.01, which is a hair above one fen
        required=required,
        widget=forms.NumberInput(attrs=MONEY),
    )


class VoucherFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部")] + list(Voucher.Status.choices),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    programme = forms.ModelChoiceField(
        label="项目",
        required=False,
        queryset=VoucherProgramme.objects.none(),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    q = forms.CharField(
        label="企业/券号",
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"].queryset = programmes


class ClaimForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)  # one-time: a resubmit claims nothing more
    programme = forms.ModelChoiceField(
        label="创新券项目",
        queryset=VoucherProgramme.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    amount = money_field("申领金额（元）")
    purpose = forms.CharField(
        label="拟购买服务", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args, programmes=None, **kwargs):
        kwargs.setdefault("initial", {"key": uuid.uuid4().hex})
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = (
            programmes if programmes is not None else VoucherProgramme.objects.none()
        )


class IssueForm(forms.Form):
    amount = money_field("发放面额（元）")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, widget=forms.TextInput(attrs=TEXT))
    blacklist = forms.BooleanField(label="同时将服务机构列入黑名单", required=False)


class ContractForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="服务机构",
        queryset=Provider.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    service_item = forms.ModelChoiceField(
        label="服务项目",
        queryset=ServiceItem.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    contract_number = forms.CharField(
        label="合同编号", max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    contract_amount = money_field("合同金额（元）")
    signed_on = forms.DateField(label="签订日期", widget=DATE)

    def __init__(self, *args, voucher=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(
            status=Provider.Status.APPROVED,
            region__path__in=ancestor_paths(voucher.programme.region.path),  # this programme's registry
        ).select_related("organisation")
        self.fields["service_item"].queryset = ServiceItem.objects.filter(programme_id=voucher.programme_id)


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label="服务完成日期", widget=DATE)


class RedemptionForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    amount = money_field("兑付金额（元）")
    invoice_amount = money_field("发票金额（元）")
    contract_file = forms.FileField(label="服务合同")
    invoice_file = forms.FileField(label="发票")
    payment_file = forms.FileField(label="付款凭证")
    output_file = forms.FileField(label="服务成果")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"idempotency_key": uuid.uuid4().hex})
        super().__init__(*args, **kwargs)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核意见", choices=[("approve", "通过"), ("reject", "不予兑付")], widget=forms.RadioSelect
    )
    reason = forms.CharField(label="说明", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))


class PeriodForm(forms.Form):
    period = forms.CharField(
        label="统计期",
        max_length=7,
        help_text="年度“2020”、季度“2020Q3”或月份“2020-08”",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        try:
            period = Period.parse(text)
            period.start  # noqa: B018 - validates the month/quarter
        except (ValueError, TypeError):
            raise forms.ValidationError("统计期格式应为“2020”、“2020Q3”或“2020-08”。") from None
        if not 2000 <= period.year <= 2100 or (period.quarter and not 1 <= period.quarter <= 4):
            raise forms.ValidationError("统计期格式应为“2020”、“2020Q3”或“2020-08”。")
        return period


class ProviderInvoiceForm(forms.Form):
    """A provider's own invoice on a contract (partial invoices allowed)."""

    number = forms.CharField(label="发票号码", max_length=40, widget=forms.TextInput(attrs=TEXT))
    amount = money_field("发票金额（元）")
    issued_on = forms.DateField(label="开票日期", widget=DATE)
    file = forms.FileField(label="发票文件（PDF 或图片）", widget=forms.ClearableFileInput(attrs=TEXT))
