from django import forms

from kechuang.proposals.models import Proposal, ResultClass


class BootstrapMixin:
    """Bootstrap classes on every widget (no inline styles; CSP)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class ProposalForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Proposal.Kind.choices)
    session = forms.CharField(label="会议", max_length=60, help_text="如 区政协十三届四次会议")
    number = forms.CharField(label="提案号", max_length=20)
    member_name = forms.CharField(label="提案人", max_length=60)
    title = forms.CharField(label="案由", max_length=200)
    text = forms.CharField(label="提案内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    lead_unit = forms.CharField(label="主办单位", max_length=100)
    co_units = forms.CharField(label="协办单位", required=False, help_text="多个单位以顿号或逗号分隔")
    assigned_on = forms.DateField(label="交办日期", widget=forms.DateInput(attrs={"type": "date"}))
    months = forms.IntegerField(label="办理期限（月）", min_value=1, max_value=12, initial=3)

    def clean_co_units(self):
        text = self.cleaned_data["co_units"]
        for sep in ("、", "，", ";", "；"):
            text = text.replace(sep, ",")
        return [n.strip() for n in text.split(",") if n.strip()]


class ReplyDetailsForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    result_class = forms.ModelChoiceField(
        label="办理结果", queryset=ResultClass.objects.filter(is_active=True), required=False
    )
    contact = forms.CharField(label="联系人及电话", max_length=100, required=False)


class OpinionForm(BootstrapMixin, forms.Form):
    opinion = forms.CharField(label="协办意见", widget=forms.Textarea(attrs={"rows": 3}))


class DraftReplyForm(BootstrapMixin, forms.Form):
    as_of = forms.DateField(label="数据截至日期", widget=forms.DateInput(attrs={"type": "date"}))


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Proposal.Status.choices)
    feedback = forms.ChoiceField(choices=[("", "—")] + list(Proposal.Feedback.choices), required=False)
    note = forms.CharField(max_length=300, required=False)
