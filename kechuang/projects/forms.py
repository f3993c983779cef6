from django import forms

from kechuang.core.models import Organisation
from kechuang.projects.models import CampaignItem, ChangeRequest, Level, ProgressReport

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})
TEXT = {"class": "form-control"}


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ProjectForm(BootstrapForm):
    name = forms.CharField(label="项目名称", max_length=160)
    level = forms.ChoiceField(label="级别", choices=Level.choices)
    plan_name = forms.CharField(label="计划类别", max_length=80, required=False)
    undertaking_unit = forms.ModelChoiceField(label="承担单位", queryset=Organisation.objects.none())
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="计划结束日期", widget=DATE)
    fiscal_national = forms.DecimalField(label="国家财政资金（元）", min_value=0, decimal_places=2, initial=0)
    fiscal_province = forms.DecimalField(label="省级财政资金（元）", min_value=0, decimal_places=2, initial=0)
    fiscal_city = forms.DecimalField(label="市级财政资金（元）", min_value=0, decimal_places=2, initial=0)
    fiscal_district = forms.DecimalField(label="区级财政资金（元）", min_value=0, decimal_places=2, initial=0)
    self_raised = forms.DecimalField(label="自筹资金（元）", min_value=0, decimal_places=2, initial=0)
    goals = forms.CharField(label="任务书主要目标", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["undertaking_unit"].queryset = organisations


class MilestoneForm(BootstrapForm):
    title = forms.CharField(label="阶段目标", max_length=120)
    due_on = forms.DateField(label="完成期限", widget=DATE)
    deliverable = forms.CharField(label="交付成果", max_length=200)
    target = forms.CharField(label="考核指标", max_length=200)


class DisbursementForm(BootstrapForm):
    amount = forms.DecimalField(label="拨付金额（元）", min_value=0, decimal_places=2)
    paid_on = forms.DateField(label="拨付日期", widget=DATE)
    milestone = forms.ModelChoiceField(label="对应阶段目标", queryset=None, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = project.milestones.all()


class ReportForm(BootstrapForm):
    kind = forms.ChoiceField(label="类型", choices=ProgressReport.Kind.choices)
    milestone = forms.ModelChoiceField(label="阶段目标", queryset=None, required=False)
    period = forms.CharField(label="报告期", max_length=40, required=False)
    summary = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    spent = forms.DecimalField(label="本期支出（元）", min_value=0, decimal_places=2, initial=0)
    evidence = forms.FileField(label="佐证材料", required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = project.milestones.filter(status="open")


class ReviewReportForm(BootstrapForm):
    accept = forms.TypedChoiceField(
        label="审核结论", choices=[("1", "通过"), ("0", "退回")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ChangeForm(BootstrapForm):
    kind = forms.ChoiceField(label="变更类型", choices=ChangeRequest.Kind.choices)
    reason = forms.CharField(label="变更理由", widget=forms.Textarea(attrs={"rows": 3}))
    ends_on = forms.DateField(label="延期后结束日期（延期时填）", widget=DATE, required=False)
    fiscal_district = forms.DecimalField(
        label="调整后区级财政资金（预算调整时填）", min_value=0, required=False
    )
    self_raised = forms.DecimalField(label="调整后自筹资金（预算调整时填）", min_value=0, required=False)
    leader_name = forms.CharField(label="新项目负责人（团队变更时填）", max_length=40, required=False)


class CampaignForm(BootstrapForm):
    name = forms.CharField(label="督查名称", max_length=60)
    period_start = forms.DateField(label="督查期间起", widget=DATE)
    period_end = forms.DateField(label="督查期间止", widget=DATE)


class InspectForm(BootstrapForm):
    progress = forms.ChoiceField(label="进度对照", choices=CampaignItem.Progress.choices)
    funds_spent = forms.DecimalField(label="资金使用（元）", min_value=0, decimal_places=2)
    problems = forms.CharField(label="存在问题", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FindingForm(BootstrapForm):
    problem = forms.CharField(label="问题", widget=forms.Textarea(attrs={"rows": 2}))
    demand = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="整改期限", widget=DATE)


class AssignForm(BootstrapForm):
    inspector = forms.ModelChoiceField(label="督查人", queryset=None)
    items = forms.ModelMultipleChoiceField(label="项目", queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, inspectors, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors
        self.fields["items"].queryset = items
        self.fields["items"].widget.attrs["class"] = "form-check-input"
