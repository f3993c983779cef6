from django import forms

from kechuang.core.models import Organisation
from kechuang.projects.models import (
    CampaignItem,
    ChangeRequest,
    Level,
    ProgressReport,
    ProjectOutcome,
    ProjectReview,
    ReserveProject,
)

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
        self.fields["inspector"].label_from_instance = lambda u: u.display_name or u.username
        self.fields["items"].queryset = items.select_related("project__undertaking_unit", "inspector")
        self.fields["items"].label_from_instance = _item_label
        # One class for the list and its boxes (Django puts the widget's class on both): a bordered,
        # scrolling list inside the card, each project's name on its own wrapped line.
        self.fields["items"].widget.attrs["class"] = "kc-checks"


def _item_label(item) -> str:
    project = item.project
    who = (
        f"现督查人：{item.inspector.display_name or item.inspector.username}"
        if item.inspector_id
        else "未指派"
    )
    return f"{project.number} {project.name}（{project.undertaking_unit.name}）· {who}"


class AcceptanceForm(BootstrapForm):
    summary = forms.CharField(
        label="任务书目标完成情况",
        help_text="简要说明各阶段目标、考核指标的完成情况与资金使用情况；任务书阶段目标须已全部完成。",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ExcuseForm(BootstrapForm):
    reason = forms.CharField(
        label="未督查原因",
        max_length=200,
        help_text="如：项目已于督查期间前终止；承担单位已注销。原因列入督查报告的例外清单。",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReserveForm(BootstrapForm):
    title = forms.CharField(label="项目名称", max_length=120)
    organisation = forms.ModelChoiceField(label="实施单位", queryset=Organisation.objects.none())
    field = forms.ModelChoiceField(label="领域", queryset=None, required=False)
    expected_investment = forms.DecimalField(label="预计总投资（元）", min_value=0, decimal_places=2)
    maturity = forms.ChoiceField(label="成熟度", choices=ReserveProject.Maturity.choices)
    source = forms.ChoiceField(label="来源", choices=ReserveProject.Source.choices)
    year = forms.IntegerField(label="入库年度", min_value=2000, max_value=2100)
    owner = forms.ModelChoiceField(label="责任人", queryset=None, required=False)
    team = forms.ModelChoiceField(label="责任专班", queryset=None, required=False)
    target_programme = forms.ModelChoiceField(label="拟申报计划", queryset=None, required=False)
    target_text = forms.CharField(label="拟申报计划（其他）", max_length=120, required=False)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisations, fields, owners, teams, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["field"].queryset = fields
        self.fields["owner"].queryset = owners
        self.fields["team"].queryset = teams
        self.fields["target_programme"].queryset = programmes


class ReserveMoveForm(BootstrapForm):
    to = forms.ChoiceField(label="变为", choices=())
    project = forms.ModelChoiceField(label="立项的计划项目（转为已立项时选）", queryset=None, required=False)
    reason = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, targets, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = targets
        self.fields["project"].queryset = projects


class ReviewDrawForm(BootstrapForm):
    kind = forms.ChoiceField(label="评审类型", choices=ProjectReview.Kind.choices)


class ReviewConcludeForm(BootstrapForm):
    conclusion = forms.ChoiceField(label="结论", choices=ProjectReview.Conclusion.choices)
    opinion = forms.CharField(label="专家组意见", widget=forms.Textarea(attrs={"rows": 3}))
    fiscal_spent = forms.DecimalField(
        label="财政资金决算（元，验收/结题必填）", min_value=0, decimal_places=2, required=False
    )
    self_spent = forms.DecimalField(
        label="自筹资金决算（元，验收/结题必填）", min_value=0, decimal_places=2, required=False
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        if review.kind == ProjectReview.Kind.MIDTERM:
            self.fields["conclusion"].choices = [
                c for c in ProjectReview.Conclusion.choices if c[0] != ProjectReview.Conclusion.CONCLUDED
            ]
            del self.fields["fiscal_spent"], self.fields["self_spent"]


class OutcomeForm(BootstrapForm):
    kind = forms.ChoiceField(label="类别", choices=ProjectOutcome.Kind.choices)
    description = forms.CharField(label="内容", max_length=200, help_text="如 发明专利“……”（专利号）")
    quantity = forms.DecimalField(
        label="数量/金额", min_value=0, decimal_places=2, required=False, help_text="销售收入填金额（元）"
    )


class DocumentForm(BootstrapForm):
    title = forms.CharField(label="文件名称", max_length=120, required=False, help_text="不填则用文件名")
    file = forms.FileField(label="文件", help_text="PDF、Word、Excel、图片等；按内容识别类型")


class FollowUpForm(BootstrapForm):
    follow_up = forms.CharField(label="整改或跟踪情况", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label="整改佐证材料", required=False, help_text="整改报告、现场照片等（PDF、图片或 Office 文件）"
    )
    close = forms.BooleanField(label="整改已完成，销号", required=False)

    def __init__(self, *args, may_close, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_close:
            del self.fields["close"]
        else:
            self.fields["close"].widget.attrs["class"] = "form-check-input"


class TeamChangeForm(BootstrapForm):
    reason = forms.CharField(label="变更理由", widget=forms.Textarea(attrs={"rows": 2}))
    leader_name = forms.CharField(label="新项目负责人（不换则留空）", max_length=40, required=False)
    add = forms.CharField(
        label="新增成员",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="每行一人：姓名 分工，如“李明 工艺设计”",
    )
    remove = forms.ModelMultipleChoiceField(
        label="移出成员", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = members
        self.fields["remove"].label_from_instance = lambda m: f"{m.person.name}（{m.role or '成员'}）"
        self.fields["remove"].widget.attrs["class"] = "form-check-input"

    def clean_add(self):
        rows = []
        for line in self.cleaned_data["add"].splitlines():
            parts = line.replace("\u3000", " ").split(None, 1)
            if parts:
                rows.append({"name": parts[0], "role": parts[1].strip() if len(parts) > 1 else ""})
        return rows
