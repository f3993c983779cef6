"""Forms of the policy pages. Condition and benefit parameters are checked by the rules (`rules.check_*`),
so the page, the API and the demo get the same Chinese messages."""

from __future__ import annotations

from django import forms

from kechuang.core.models import DictItem, Region
from kechuang.enterprises.models import QualificationKind
from kechuang.policies import rules
from kechuang.policies.models import Policy, PolicyDocument, PolicyItem

DATE = forms.DateInput(attrs={"type": "date"})
OPS = [
    ("gte", "不低于（≥）"),
    ("gt", "高于（>）"),
    ("lte", "不高于（≤）"),
    ("lt", "低于（<）"),
    ("between", "介于"),
]
YEARS = [(1, "上一年度"), (0, "本年度"), (2, "前两年度"), (3, "前三年度")]
EDGE = [("1", "含"), ("0", "不含")]


class DocumentForm(forms.ModelForm):
    original = forms.FileField(label="原文附件", required=False, help_text="政策文件原文（PDF、Word 或图片）")

    class Meta:
        model = PolicyDocument
        fields = ["title", "number", "issuer", "issued_on", "effective_from", "effective_until"]
        widgets = {"issued_on": DATE, "effective_from": DATE, "effective_until": DATE}


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["code", "name", "summary", "budget"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class ItemForm(forms.ModelForm):
    benefit_kind = forms.ChoiceField(label="奖励方式", choices=list(rules.BENEFIT_KINDS.items()))
    benefit_amount = forms.DecimalField(label="固定金额（元）", required=False, min_value=0)
    benefit_base = forms.ChoiceField(
        label="计算基数",
        required=False,
        choices=[("", "—")] + [(k, f"{n}（{u}）") for k, (n, u) in rules.FACT_FIELDS.items() if u == "万元"],
    )
    benefit_year_offset = forms.TypedChoiceField(label="基数年度", choices=YEARS, coerce=int, initial=1)
    benefit_rate = forms.DecimalField(label="比例（%）", required=False)
    benefit_cap = forms.DecimalField(label="封顶金额（元）", required=False)
    benefit_tiers = forms.CharField(
        label="分档表",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一档：基数下限（万元）,奖励金额（元），如“100,50000”",
    )

    class Meta:
        model = PolicyItem
        fields = ["title", "key", "text", "delivery", "budget"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        b = (self.instance.benefit if self.instance and self.instance.pk else None) or {}
        if b and not self.is_bound:
            self.initial.update(
                {
                    "benefit_kind": b.get("kind"),
                    "benefit_amount": b.get("amount"),
                    "benefit_base": b.get("base"),
                    "benefit_year_offset": b.get("year_offset", 1),
                    "benefit_rate": b.get("rate"),
                    "benefit_cap": b.get("cap"),
                    "benefit_tiers": "\n".join(",".join(t) for t in b.get("tiers", [])),
                }
            )

    def benefit_raw(self) -> dict:
        c = self.cleaned_data
        return {
            "kind": c["benefit_kind"],
            "amount": c.get("benefit_amount"),
            "base": c.get("benefit_base"),
            "year_offset": c.get("benefit_year_offset"),
            "rate": c.get("benefit_rate"),
            "cap": c.get("benefit_cap"),
            "tiers": c.get("benefit_tiers") or "",
        }

    def item_fields(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


# Which form fields each condition kind shows (the page asks for the kind first).
KIND_FIELDS = {
    "qualification": ["qual_kind", "mode", "year_offset", "on_date"],
    "fact": ["field", "year_offset", "op", "value", "value2", "low_inclusive", "high_inclusive"],
    "rd_ratio": ["denominator", "year_offset", "op", "value", "value2", "low_inclusive", "high_inclusive"],
    "growth": ["field", "year_offset", "op", "value", "value2", "low_inclusive", "high_inclusive"],
    "profile": ["profile_field", "flag", "op", "value", "value2", "low_inclusive", "high_inclusive"],
    "region": ["regions"],
    "industry": ["industries"],
    "prior_awards": ["scope", "max_times", "max_total", "years"],
    "engine": ["rule"],
}


def group_choices(groups) -> list[tuple[str, str]]:
    """How a new condition joins its item: on its own, in a new any-of group, or in an existing one."""
    return (
        [("0", "须单独满足（与其他条件同时满足）")]
        + [(str(g), f"加入条件组{g}（组内满足其一即可）") for g in sorted(groups)]
        + [("new", "新建“满足其一”条件组")]
    )


class ConditionForm(forms.Form):
    group = forms.ChoiceField(
        label="与其他条件的关系",
        choices=[],
        initial="0",
        required=False,
        help_text="同一条件组内的条件满足其一即可（如“持有高企证书或研发费用不低于100万元”）",
    )
    qual_kind = forms.ModelChoiceField(
        label="资质类型",
        queryset=QualificationKind.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
        empty_label="（请选择）",
    )
    mode = forms.ChoiceField(label="要求", choices=list(rules.QUAL_MODES.items()), required=False)
    on_date = forms.DateField(label="持有日期", required=False, widget=DATE, help_text="留空为评价当日")
    field = forms.ChoiceField(
        label="数据项",
        required=False,
        choices=[(k, f"{n}（{u}）") for k, (n, u) in rules.FACT_FIELDS.items()],
    )
    profile_field = forms.ChoiceField(
        label="档案项", required=False, choices=[(k, n) for k, (n, _) in rules.PROFILE_FIELDS.items()]
    )
    flag = forms.BooleanField(
        label="要求为“是”", required=False, initial=True, help_text="仅对是/否类档案项有效"
    )
    denominator = forms.ChoiceField(
        label="分母",
        required=False,
        choices=[("sales_revenue", "销售收入"), ("operating_revenue", "营业收入")],
    )
    year_offset = forms.TypedChoiceField(label="年度", choices=YEARS, coerce=int, initial=1, required=False)
    op = forms.ChoiceField(label="比较方式", choices=OPS, required=False)
    value = forms.CharField(label="阈值（下限）", required=False, help_text="金额单位万元，比例单位%")
    value2 = forms.CharField(label="上限（介于时填写）", required=False)
    low_inclusive = forms.TypedChoiceField(
        label="下限", choices=EDGE, coerce=lambda v: v == "1", initial="1", required=False
    )
    high_inclusive = forms.TypedChoiceField(
        label="上限", choices=EDGE, coerce=lambda v: v == "1", initial="1", required=False
    )
    regions = forms.ModelMultipleChoiceField(label="区域", queryset=Region.objects.none(), required=False)
    industries = forms.ModelMultipleChoiceField(
        label="行业门类",
        queryset=DictItem.objects.filter(dict_type__code="industry", parent__isnull=True),
        required=False,
    )
    scope = forms.ChoiceField(
        label="统计范围", choices=[("item", "本条款"), ("policy", "本政策各条款")], required=False
    )
    max_times = forms.IntegerField(label="最多享受次数", required=False, initial=1, min_value=1)
    max_total = forms.DecimalField(label="累计金额上限（元）", required=False)
    years = forms.IntegerField(label="统计年限（0为不限）", required=False, initial=0, min_value=0)
    rule = forms.ChoiceField(
        label="认定条件", choices=[(k, v) for k, v in rules.conditions.ENGINE_RULES.items()], required=False
    )

    def __init__(self, *args, kind: str, region: Region, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["regions"].queryset = Region.objects.filter(path__startswith=region.path).order_by("path")
        self.fields["group"].choices = group_choices(groups)
        for name in list(self.fields):
            if name != "group" and name not in KIND_FIELDS[kind]:
                del self.fields[name]

    def clean_group(self) -> int | str:
        value = self.cleaned_data["group"] or "0"  # not given: on its own, as before groups existed
        return value if value == "new" else int(value)

    def clean(self):
        data = super().clean()
        raw = dict(data)
        if self.kind == "qualification" and data.get("qual_kind"):
            raw["qual_kind"], raw["qual_name"] = data["qual_kind"].code, data["qual_kind"].name
        if self.kind == "profile":
            raw["field"] = data.get("profile_field")
        if self.kind == "region":
            raw["codes"] = [r.path for r in data.get("regions") or []]
            raw["names"] = [r.name for r in data.get("regions") or []]
        if self.kind == "industry":
            raw["codes"] = [i.code for i in data.get("industries") or []]
            raw["names"] = [i.name for i in data.get("industries") or []]
        try:
            self.params = rules.check_params(self.kind, raw)
        except rules.ParamError as exc:
            for key, message in exc.errors.items():
                target = {
                    "codes": "regions" if self.kind == "region" else "industries",
                    "field": "field",
                }.get(key, key)
                target = "profile_field" if self.kind == "profile" and key == "field" else target
                self.add_error(target if target in self.fields else None, message)
        return data


class SimulateForm(forms.Form):
    as_of = forms.DateField(label="评价日期", widget=DATE, help_text="可选过去的日期，按当时已知的数据评价")
    condition = forms.ChoiceField(label="变动的阈值条件", required=False)
    values = forms.CharField(label="阈值取值", required=False, help_text="用逗号分隔，如“3,4,5,6”")

    def __init__(self, *args, conditions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].choices = [("", "（不变动）")] + list(conditions)

    def clean_values(self):
        from decimal import Decimal, InvalidOperation

        text = self.cleaned_data["values"].replace("，", ",")
        try:
            return [Decimal(v.strip()) for v in text.split(",") if v.strip()]
        except InvalidOperation:
            raise forms.ValidationError("阈值取值应为用逗号分隔的数字。") from None


class BatchForm(forms.Form):
    period = forms.IntegerField(label="兑现年度", min_value=2000, max_value=2100)
    as_of = forms.DateField(label="名单截止日期", widget=DATE)
    budget_line = forms.ModelChoiceField(label="资金预算", queryset=None, empty_label="（请选择）")
    publicity_days = forms.IntegerField(label="公示工作日数", min_value=1, max_value=30, initial=5)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = lines


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class AnswerForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="结论", choices=[("0", "异议不成立"), ("1", "异议成立")], coerce=lambda v: v == "1"
    )
    answer = forms.CharField(label="答复意见", widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    award = forms.ModelChoiceField(
        label="涉及企业", queryset=None, required=False, empty_label="（整个名单）"
    )
    name = forms.CharField(label="姓名", max_length=40)
    contact = forms.CharField(label="联系方式", max_length=60)
    reason = forms.CharField(label="异议理由", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = awards


class CalculatorForm(forms.Form):
    """What a visitor tells the 政策计算器 (万元 / 人); blanks stay unknown (数据不足), never zero."""

    town = forms.ModelChoiceField(
        label="所在镇街", queryset=Region.objects.none(), required=False, empty_label="（不填）"
    )
    hnte = forms.BooleanField(label="持有有效的高新技术企业证书", required=False)
    tech_sme = forms.BooleanField(label="已入库科技型中小企业", required=False)
    sales_revenue = forms.DecimalField(label="上年销售收入（万元）", required=False, min_value=0)
    rd_hnte = forms.DecimalField(label="上年研发费用（万元）", required=False, min_value=0)
    staff = forms.IntegerField(label="从业人员（人）", required=False, min_value=0)

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns
