from __future__ import annotations

from django import forms

from kechuang.programmes import form_rules
from kechuang.programmes.models import Application, Programme, ProgrammeType, Training


def _widget_attrs(field: forms.Field) -> forms.Field:
    css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
    field.widget.attrs.setdefault("class", css)
    return field


class ApplicationDataForm(forms.Form):
    """The application form built from the programme's schema. Every field is optional here: the draft
    autosaves whatever is filled in, and completeness is checked when the applicant submits."""

    title = forms.CharField(label="申报名称", max_length=120)

    def __init__(self, *args, schema: list[dict], initial_data: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.schema = schema
        initial_data = initial_data or {}
        _widget_attrs(self.fields["title"])
        headings: list[dict] = []  # section headings waiting for the next field (components/form.html)
        for f in schema:
            key, label, kind = f["key"], f["label"], f["type"]
            if kind == "section":
                headings.append({"label": label, "help": f.get("help", "")})
                continue
            help_text = "必填" if f.get("required") else ""
            if kind == "text":
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}), max_length=int(f.get("max_length", 5000))
                )
            elif kind in ("number", "money"):
                field = forms.DecimalField(min_value=0, decimal_places=2 if kind == "money" else None)
                if kind == "money":
                    help_text = (help_text + " 单位：元").strip()
            elif kind == "date":
                field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
            elif kind == "choice":
                field = forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in f["choices"]])
            elif kind == "table":
                cols = "，".join(c["label"] for c in f["columns"])
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
                help_text = f"每行一条，各列以逗号分隔：{cols}"
                initial_data = {**initial_data, key: _table_to_text(initial_data.get(key), f["columns"])}
            else:  # attachment
                field = forms.FileField()
                have = len(initial_data.get(key) or [])
                hint = form_rules.slot_hint(f)
                help_text = (
                    f"已上传{have}份（见下方“已上传附件”）；上传新文件将追加，同一文件不会重复保存。"
                    + ("必须上传" if f.get("required") else "")
                    + (f"（{hint}）" if hint else "")
                )
            field.required = False
            field.label = label
            field.help_text = f"{f['help']} {help_text}".strip() if f.get("help") else help_text
            if kind != "attachment":
                field.initial = initial_data.get(key)
            field.sections, headings = headings, []
            self.fields[f"f_{key}"] = _widget_attrs(field)
        self.trailing_sections = headings

    def data_for(self, existing: dict, stored_uids: dict[str, list[str]]) -> dict:
        out = {}
        for f in self.schema:
            key, kind = f["key"], f["type"]
            if kind == "section":
                continue
            value = self.cleaned_data.get(f"f_{key}")
            if kind == "attachment":
                value = list(dict.fromkeys(list(existing.get(key) or []) + stored_uids.get(key, [])))
            elif kind == "table":
                value = _text_to_table(value or "", f["columns"])
            elif kind in ("number", "money") and value is not None:
                value = str(value)
            elif kind == "date" and value is not None:
                value = value.isoformat()
            if value not in (None, "", []):
                out[key] = value
        return out


def _table_to_text(rows, columns) -> str:
    if not rows:
        return ""
    return "\n".join("，".join(str(r.get(c["key"], "")) for c in columns) for r in rows)


def _text_to_table(text: str, columns) -> list[dict]:
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("，", ",").split(",")]
        rows.append({c["key"]: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns)})
    return rows


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="理由/说明", required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label="总体意见", required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )

    def __init__(self, *args, sheet: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for c in sheet:
            self.fields[f"p_{c['code']}"] = forms.DecimalField(
                label=f"{c['label']}（满分{c['max']}）",
                min_value=0,
                max_value=c["max"],
                decimal_places=2,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
            )
            self.fields[f"c_{c['code']}"] = forms.CharField(
                label=f"{c['label']}意见",
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
        self.order_fields([k for c in sheet for k in (f"p_{c['code']}", f"c_{c['code']}")] + ["comment"])


class PublicityForm(forms.Form):
    starts_on = forms.DateField(
        label="公示开始日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    applications = forms.ModelMultipleChoiceField(
        label="拟公示名单", queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = candidates


class ObjectionForm(forms.Form):
    name = forms.CharField(
        label="姓名（实名）", max_length=40, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    contact = forms.CharField(
        label="联系电话或地址", max_length=60, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    application = forms.ModelChoiceField(
        label="异议对象",
        queryset=Application.objects.none(),
        required=False,
        empty_label="（针对整个公示）",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label="异议理由",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    evidence = forms.FileField(
        label="证明材料（可选）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = entries

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise forms.ValidationError("请填写真实姓名（异议须实名提出）。")
        return name

    def clean_contact(self):
        contact = self.cleaned_data["contact"].strip()
        if sum(ch.isdigit() for ch in contact) < 7:
            raise forms.ValidationError("请填写可以联系到您的电话号码。")
        return contact


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    upheld = forms.BooleanField(label="异议成立", required=False)


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["title", "topic", "held_on", "mode", "place", "programme"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "topic": forms.TextInput(attrs={"class": "form-control"}),
            "held_on": forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
            "mode": forms.Select(attrs={"class": "form-select"}),
            "place": forms.TextInput(attrs={"class": "form-control"}),
            "programme": forms.Select(attrs={"class": "form-select"}),
        }
        labels = {"programme": "相关申报项目"}

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].required = False


class InviteForm(forms.Form):
    invite_lines = forms.CharField(
        label="邀请企业",
        help_text="每行一个单位名称或统一社会信用代码（须是本区单位库中的单位）",
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class AttendanceImportForm(forms.Form):
    lines = forms.CharField(
        label="签到名单",
        help_text="每行一个单位名称或统一社会信用代码",
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
    )


class CallForm(forms.Form):
    programme = forms.ModelChoiceField(
        label="项目", queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    name = forms.CharField(
        label="批次", max_length=60, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    opens_at = forms.DateTimeField(
        label="开始申报",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}),
    )
    closes_at = forms.DateTimeField(
        label="截止申报",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}),
    )
    quota = forms.IntegerField(
        label="名额", required=False, min_value=1, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    max_per_org = forms.IntegerField(
        label="每单位限报（项）",
        min_value=1,
        max_value=99,
        initial=1,
        required=False,
        help_text="同一单位在本批次最多可申报的项数（已撤回的不计）；不填为 1 项或保持原值",
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    recommending_unit = forms.CharField(
        label="推荐单位",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    notice = forms.CharField(
        label="申报通知", required=False, widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"].queryset = programmes

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "截止时间必须晚于开始时间。")
        if data.get("max_per_org") is None:
            data.pop("max_per_org", None)  # left empty: the call's default (1) or its current limit
        return data


class JSONTextarea(forms.Textarea):
    """JSON shown indented and with Chinese characters as they are, so staff can read and edit it."""

    def format_value(self, value):
        import json

        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class ChineseJSONField(forms.JSONField):
    default_error_messages = {
        "invalid": "不是有效的 JSON：请检查括号、引号和逗号（键名和文字须用英文双引号）。"
    }
    widget = JSONTextarea

    def __init__(self, *, kind: type, kind_label: str, **kwargs):
        self.kind, self.kind_label = kind, kind_label
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"rows": 10, "class": "form-control font-monospace", "spellcheck": "false"})

    def clean(self, value):
        data = super().clean(value)
        if data is None:
            data = self.kind()
        if not isinstance(data, self.kind):
            raise forms.ValidationError(f"{self.label}应为{self.kind_label}。")
        return data


class ProgrammeTypeForm(forms.ModelForm):
    class Meta:
        model = ProgrammeType
        fields = ["code", "name", "applicant_kind", "outcome_kind", "transition_key", "decision_label"]

    def __init__(self, *args, **kwargs):
        from kechuang.programmes import rules

        super().__init__(*args, **kwargs)
        labels = {
            "default": "标准流程（形式审查→专家评审→公示→决定）",
            "no_review": "无专家评审（形式审查→公示→决定）",
        }
        self.fields["transition_key"] = forms.ChoiceField(
            label="流程", choices=[(k, labels.get(k, k)) for k in rules.FLOWS]
        )
        for field in self.fields.values():
            _widget_attrs(field)


class ProgrammeForm(forms.ModelForm):
    form_schema = ChineseJSONField(
        label="申报表字段",
        kind=list,
        kind_label="列表 [ … ]",
        help_text='如 [{"key": "revenue", "label": "上年度销售收入（元）", "type": "money", "required": true}]；'
        "类型：text、number、money、date、choice（需 choices）、table（需 columns）、attachment",
    )
    scoring_sheet = ChineseJSONField(
        label="评分表",
        kind=list,
        kind_label="列表 [ … ]",
        help_text='如 [{"code": "ip", "label": "知识产权", "max": 30}]',
    )
    review_rules = ChineseJSONField(
        label="评审规则",
        kind=dict,
        kind_label="对象 { … }",
        help_text='如 {"group_size": 5, "min_technical_share": 0.6, "min_finance": 1, "field_match": true}',
    )

    class Meta:
        model = Programme
        fields = [
            "type",
            "code",
            "name",
            "level",
            "publicity_days",
            "eligibility_check",
            "eligibility_blocks",
            "form_schema",
            "scoring_sheet",
            "review_rules",
            "letter_template",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.BooleanField):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif name not in ("form_schema", "scoring_sheet", "review_rules"):
                _widget_attrs(field)

    def _post_clean(self):
        # Validate the schema, sheet and rules with the engine's own checks (Chinese messages), without
        # touching the instance being edited: the service applies the change.
        from kechuang.programmes import rules

        data = self.cleaned_data
        checks = {
            "form_schema": lambda v: rules.check_form_schema(v),
            "scoring_sheet": lambda v: rules.check_scoring_sheet(v),
            "review_rules": lambda v: rules.DrawRules.from_dict(v).problems() if v else [],
            "letter_template": lambda v: rules.letter_problems(v or ""),
        }
        for name, check in checks.items():
            if name in data:
                try:
                    problems = check(data[name])
                except (TypeError, ValueError, KeyError, AttributeError) as exc:
                    problems = [f"格式不正确（{exc}）"]
                for problem in problems:
                    self.add_error(name, problem)
