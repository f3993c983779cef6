"""Staff forms that set a programme up: its rules as data, batches, the service catalogue, providers;
and the support-fund forms (budget lines, allocations, instalments). Validation messages in Chinese."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError

from kechuang.core.models import Organisation, Person
from kechuang.enterprises.models import QualificationKind
from kechuang.vouchers.forms import DATE, TEXT, money_field
from kechuang.vouchers.models import Affiliation, BudgetLine, ServiceItem, VoucherProgramme

INT = {"class": "form-control", "inputmode": "numeric"}
CATALOGUE_HELP = "每行一项：服务项目|服务类别，例如“检验检测|检测”；已被创新券使用的项目不能删除。"


def parse_catalogue(text: str) -> tuple[tuple[str, str], ...]:
    items, seen = [], set()
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _, category = (p.strip() for p in line.replace("｜", "|").partition("|"))
        if not name or len(name) > 60 or len(category) > 30:
            raise ValidationError(f"服务目录第{n}行格式不对：项目名称必填且不超过60字，类别不超过30字。")
        if name in seen:
            raise ValidationError(f"服务目录第{n}行“{name}”重复。")
        seen.add(name)
        items.append((name, category))
    return tuple(items)


def catalogue_text(programme: VoucherProgramme) -> str:
    return "\n".join(
        f"{s.name}|{s.category}" if s.category else s.name for s in programme.service_items.all()
    )


class ProgrammeForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=80, widget=forms.TextInput(attrs=TEXT))
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=INT)
    )
    eligible_kinds = forms.ModelMultipleChoiceField(
        label="申领资格（持有其一即可）",
        queryset=QualificationKind.objects.order_by("name"),
        required=False,
        help_text="不选表示区域内任何企业均可申领。",
        widget=forms.CheckboxSelectMultiple,
    )
    share_percent = forms.DecimalField(
        label="补助比例（%）",
        min_value=0.01,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text="创新券可抵扣服务合同金额的比例。",
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
    )
    cap_per_firm = money_field("每家企业年度上限（元）")
    second_approval_above = money_field("两人发放起点（元）", required=False)
    budget = money_field("年度资金池（元）")
    validity_days = forms.IntegerField(
        label="有效期（天，自发放日起）", min_value=1, max_value=1095, widget=forms.NumberInput(attrs=INT)
    )
    publicity_days = forms.IntegerField(
        label="兑付公示（工作日）",
        min_value=0,
        max_value=30,
        initial=0,
        help_text="0 表示兑付审核通过后不公示。",
        widget=forms.NumberInput(attrs=INT),
    )
    catalogue = forms.CharField(
        label="服务目录",
        required=False,
        help_text=CATALOGUE_HELP,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
    )
    is_active = forms.BooleanField(label="开放申领", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "second_approval_above"
        ].help_text = "发放金额超过此数时，须一人经办、另一人复核后才发放；留空表示一人即可发放。"
        if editing:
            del self.fields["year"]  # the year is fixed once money has moved
        else:
            del self.fields["version"]
            del self.fields["is_active"]

    def clean_catalogue(self):
        return parse_catalogue(self.cleaned_data["catalogue"])

    def clean(self):
        data = super().clean()
        cap, budget = data.get("cap_per_firm"), data.get("budget")
        if cap and budget and cap > budget:
            self.add_error("cap_per_firm", "每家企业年度上限不能超过年度资金池。")
        return data


class BatchForm(forms.Form):
    name = forms.CharField(label="批次名称", max_length=40, widget=forms.TextInput(attrs=TEXT))
    opens_on = forms.DateField(label="开始申领", widget=DATE)
    closes_on = forms.DateField(label="截止申领", widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "截止日期不能早于开始日期。")
        return data


class ProviderRegisterForm(forms.Form):
    credit_code = forms.CharField(
        label="服务机构统一社会信用代码",
        max_length=18,
        min_length=18,
        widget=forms.TextInput(attrs=TEXT),
        help_text="须已在单位库登记。",
    )
    services = forms.ModelMultipleChoiceField(
        label="可提供服务",
        queryset=ServiceItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations=None, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations if organisations is not None else Organisation.objects.none()
        self.fields["services"].queryset = services if services is not None else ServiceItem.objects.none()

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        org = self.organisations.filter(credit_code=code).first()
        if org is None:
            raise ValidationError(
                "单位库中没有该统一社会信用代码的单位（或不在您的管辖范围内），请先登记单位。"
            )
        self.cleaned_data["organisation"] = org
        return code


class ProviderServicesForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label="可提供服务",
        queryset=ServiceItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services if services is not None else ServiceItem.objects.none()


class VetForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论", choices=[("approve", "入库"), ("reject", "不予入库")], widget=forms.RadioSelect
    )


class ProviderInviteForm(forms.Form):
    """The provider organisation's contact gets an account and the set-password link (in-app, e-mail, SMS)."""

    email = forms.EmailField(
        label="联系人电子邮箱",
        required=False,
        widget=forms.EmailInput(attrs=TEXT),
        help_text="选填；邀请同时发送到该邮箱",
    )
    phone = forms.CharField(
        label="联系人手机",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"}),
        help_text="选填；不填则用单位联系电话",
    )


class BlacklistForm(forms.Form):
    reason = forms.CharField(label="列入黑名单原因", max_length=200, widget=forms.TextInput(attrs=TEXT))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("列入黑名单必须填写原因。")
        return reason


# --- support funds and prizes ------------------------------------------------------------------------


class BudgetLineForm(forms.Form):
    name = forms.CharField(label="预算名称", max_length=80, widget=forms.TextInput(attrs=TEXT))
    kind = forms.ChoiceField(
        label="类别", choices=BudgetLine.Kind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=INT)
    )
    budget = money_field("预算（元）")
    booked_on = forms.DateField(label="下达日期", widget=DATE)


class AllocationForm(forms.Form):
    TARGETS = [("organisation", "单位"), ("person", "个人"), ("project", "项目")]

    budget_line = forms.ModelChoiceField(
        label="预算", queryset=BudgetLine.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )
    target = forms.ChoiceField(
        label="发放对象", choices=TARGETS, widget=forms.RadioSelect, initial="organisation"
    )
    credit_code = forms.CharField(
        label="单位统一社会信用代码", max_length=18, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    person_name = forms.CharField(
        label="个人姓名", max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    reference = forms.CharField(
        label="项目/事由",
        max_length=120,
        help_text="如“区校城融合项目：××联合实验室”或“2020年度周村区科技先锋”。",
        widget=forms.TextInput(attrs=TEXT),
    )
    amount = money_field("金额（元）")

    def __init__(self, *args, lines=None, organisations=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = lines if lines is not None else BudgetLine.objects.none()
        self.organisations = organisations if organisations is not None else Organisation.objects.none()
        self.people = people if people is not None else Person.objects.none()

    def clean(self):
        data = super().clean()
        target = data.get("target")
        data["organisation"] = data["person"] = None
        if target == "organisation":
            code = (data.get("credit_code") or "").strip().upper()
            org = self.organisations.filter(credit_code=code).first() if code else None
            if org is None:
                self.add_error("credit_code", "请填写单位库中已登记单位的统一社会信用代码。")
            data["organisation"] = org
        elif target == "person":
            name = (data.get("person_name") or "").strip()
            matches = list(self.people.filter(name=name)[:2]) if name else []
            if not matches:
                self.add_error("person_name", "人员库中没有该姓名的人员，请先登记人员。")
            elif len(matches) > 1:
                self.add_error("person_name", "人员库中有多位同名人员，请联系管理员区分后再发放。")
            else:
                data["person"] = matches[0]
        return data

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return {
            "budget_line": c["budget_line"],
            "organisation": c["organisation"],
            "person": c["person"],
            "reference": c["reference"],
            "amount": c["amount"],
        }


class InstalmentForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    amount = money_field("本期拨付金额（元）")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"idempotency_key": uuid.uuid4().hex})
        super().__init__(*args, **kwargs)


class AffiliationForm(forms.Form):
    """A tie between the provider and a firm (DOMAIN.md §7: it blocks voucher contracts between them)."""

    credit_code = forms.CharField(
        label="关联单位统一社会信用代码",
        max_length=18,
        min_length=18,
        widget=forms.TextInput(attrs=TEXT),
        help_text="如持股企业、共同法定代表人的企业。须已在单位库登记。",
    )
    kind = forms.ChoiceField(label="关系", choices=Affiliation.Kind.choices)
    note = forms.CharField(label="说明", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations if organisations is not None else Organisation.objects.none()

    clean_credit_code = ProviderRegisterForm.clean_credit_code
