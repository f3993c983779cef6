"""The decision (决定) form: what an approval grants is asked for explicitly — the amount, conditions and the
outcome's own fields (a project's start and years, a qualification's certificate number) — never read from
hidden inputs or defaulted silently."""

from __future__ import annotations

from django import forms


class DecisionForm(forms.Form):
    result = forms.ChoiceField(
        label="决定",
        choices=[("approve", "批准"), ("reject", "不予批准")],
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label="支持资金（元）",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    starts_on = forms.DateField(
        label="项目开始日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    years = forms.IntegerField(
        label="实施年限（年）",
        required=False,
        min_value=1,
        max_value=5,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    certificate_number = forms.CharField(
        label="证书/入库编号",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    conditions = forms.CharField(
        label="立项条件/要求",
        required=False,
        max_length=1000,
        help_text="写入立项通知，如“按季度报送项目进展，2021年12月底前完成中期检查”。",
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    reason = forms.CharField(
        label="理由/说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome_kind = application.call.programme.type.outcome_kind
        if self.outcome_kind != "project":
            del self.fields["starts_on"], self.fields["years"]
        else:
            self.fields["amount"].help_text = f"申报总投资 {application.data.get('budget') or '—'} 元"
        if self.outcome_kind == "project":
            del self.fields["certificate_number"]

    def clean(self):
        data = super().clean()
        approve = data.get("result") == "approve"
        if approve and self.outcome_kind == "project":
            if data.get("amount") is None:
                self.add_error("amount", "立项须填写支持资金（不资助请填 0）。")
            if not data.get("starts_on"):
                self.add_error("starts_on", "请填写项目开始日期。")
            if not data.get("years"):
                self.add_error("years", "请填写实施年限。")
        if data.get("result") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "不予批准须写明理由，理由写入不予立项通知。")
        return data

    def service_kwargs(self) -> dict:
        """The keyword arguments of `services.application_decide` from the cleaned form."""
        data = self.cleaned_data
        outcome = {}
        if data.get("certificate_number"):
            outcome["number"] = data["certificate_number"].strip()
        if data.get("starts_on"):
            outcome["starts_on"] = data["starts_on"].isoformat()
        if data.get("years"):
            outcome["years"] = data["years"]
        return {
            "approve": data["result"] == "approve",
            "reason": data.get("reason", "").strip(),
            "amount": data.get("amount"),
            "conditions": data.get("conditions", ""),
            "outcome_data": outcome or None,
        }
