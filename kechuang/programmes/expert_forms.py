"""Forms of the expert pages: the pool (add, edit, suspend), the expert's own profile, conflicts and
availability, the answer to a draw, and staff 代录 of a paper score sheet."""

from __future__ import annotations

from django import forms

from kechuang.core.models import Organisation
from kechuang.programmes.forms import ScoreForm
from kechuang.programmes.models import Expert

W = {"class": "form-control"}


def parse_fields(text: str) -> list[str]:
    """专业领域: codes separated by commas, 、 or spaces ("1, 4、8" → ["1", "4", "8"])."""
    for sep in "，、;；":
        text = text.replace(sep, ",")
    return sorted({p.strip() for chunk in text.split(",") for p in chunk.split() if p.strip()})


class FieldsField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "专业领域代码")
        kwargs.setdefault("help_text", "高新技术领域代码，用逗号或顿号分隔，如 1、4、8；财务专家可不填")
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs=W))
        super().__init__(**kwargs)

    def clean(self, value):
        return parse_fields(super().clean(value) or "")


class OrganisationsField(forms.CharField):
    """Organisations by name or unified credit code, one a line; an unknown line is an error naming it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={**W, "rows": 4}))
        super().__init__(**kwargs)

    def clean(self, value):
        lines = [line.strip() for line in (super().clean(value) or "").splitlines() if line.strip()]
        found, missing = [], []
        for line in lines:
            org = (
                Organisation.objects.filter(name=line).first()
                or Organisation.objects.filter(credit_code=line).first()
            )
            (found.append(org) if org else missing.append(line))
        if missing:
            raise forms.ValidationError(
                f"单位库中没有：{'、'.join(missing)}（请填写单位全称或统一社会信用代码）。"
            )
        return found


class EmployerField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "工作单位")
        kwargs.setdefault("help_text", "单位全称或统一社会信用代码（须已在单位库中）")
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs=W))
        super().__init__(**kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        org = (
            Organisation.objects.filter(name=text).first()
            or Organisation.objects.filter(credit_code=text).first()
        )
        if org is None:
            raise forms.ValidationError(f"单位库中没有“{text}”，请填写单位全称或统一社会信用代码。")
        return org


class ExpertCreateForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=40, widget=forms.TextInput(attrs=W))
    phone = forms.RegexField(
        label="手机",
        regex=r"^1\d{10}$",
        error_messages={"invalid": "请填写11位手机号码。"},
        widget=forms.TextInput(attrs=W),
    )
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        help_text="邀请通知会同时发到该邮箱",
        widget=forms.EmailInput(attrs=W),
    )
    category = forms.ChoiceField(
        label="类别", choices=Expert.Category.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    title = forms.CharField(label="职称", max_length=40, required=False, widget=forms.TextInput(attrs=W))
    employer = EmployerField()
    fields_ = FieldsField()


class ExpertEditForm(forms.Form):
    category = forms.ChoiceField(
        label="类别", choices=Expert.Category.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    title = forms.CharField(label="职称", max_length=40, required=False, widget=forms.TextInput(attrs=W))
    employer = EmployerField()
    fields_ = FieldsField()
    version = forms.IntegerField(widget=forms.HiddenInput)


class SuspendForm(forms.Form):
    reason = forms.CharField(label="停用原因", max_length=200, widget=forms.TextInput(attrs=W))


class ProfileForm(forms.Form):
    title = forms.CharField(label="职称", max_length=40, required=False, widget=forms.TextInput(attrs=W))
    employer = EmployerField()
    fields_ = FieldsField()
    phone = forms.RegexField(
        label="手机",
        regex=r"^1\d{10}$",
        error_messages={"invalid": "请填写11位手机号码。"},
        widget=forms.TextInput(attrs={**W, "inputmode": "tel"}),
    )
    email = forms.EmailField(label="电子邮箱", required=False, widget=forms.EmailInput(attrs=W))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConflictForm(forms.Form):
    organisations = OrganisationsField(
        label="有利益冲突的单位",
        help_text="每行一个单位全称或统一社会信用代码：曾任职、兼职、持股、近三年合作或有亲属任职的企业和单位",
    )


class AvailabilityForm(forms.Form):
    unavailable_from = forms.DateField(
        label="不能参加评审（起）", required=False, widget=forms.DateInput(attrs={**W, "type": "date"})
    )
    unavailable_until = forms.DateField(
        label="不能参加评审（止）", required=False, widget=forms.DateInput(attrs={**W, "type": "date"})
    )
    note = forms.CharField(label="说明", max_length=200, required=False, widget=forms.TextInput(attrs=W))


class RespondForm(forms.Form):
    answer = forms.ChoiceField(
        label="确认",
        choices=[
            ("accept", "接受评审任务"),
            ("decline", "谢绝（本次不能参加）"),
            ("conflict", "回避（与申报单位有利益冲突）"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="谢绝或回避的原因",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={**W, "rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="发现的利益冲突", max_length=300, widget=forms.TextInput(attrs=W))


class ProxyScoreForm(ScoreForm):
    """Staff 代录: the expert's scores as on the paper sheet, and the scanned sheet (required)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"] = forms.FileField(
            label="纸质评分表扫描件（专家签字，PDF或图片）",
            widget=forms.ClearableFileInput(attrs={**W, "accept": ".pdf,.jpg,.jpeg,.png"}),
            error_messages={"required": "代录评分须上传专家签字的纸质评分表扫描件。"},
        )
