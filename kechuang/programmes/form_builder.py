"""The application-form and score-sheet builder (issue 23 item 7): rows on a page instead of JSON.

Each row of `FieldFormSet` is one field of `Programme.form_schema` (key, label, type, required, help text,
options or table columns, an attachment slot's file kinds and size limit, routing to the technical field)
or a section heading between fields (type "section": label and help only, stored in the same list);
each row of `CriterionFormSet` one criterion of `scoring_sheet` (code, label, full marks = its weight). The
stored format stays the JSON (`to_schema` / `to_sheet` write it, `schema_rows` / `sheet_rows` read it back),
so the JSON textareas on the programme page remain the import/export."""

from __future__ import annotations

import re

from django import forms

from kechuang.programmes import form_rules

TYPE_CHOICES = [
    ("text", "文本"),
    ("number", "数字"),
    ("money", "金额（元）"),
    ("date", "日期"),
    ("choice", "单选"),
    ("table", "表格"),
    ("attachment", "附件"),
    ("section", "分节标题（非字段）"),
]
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _attrs(field: forms.Field, cls: str = "form-control form-control-sm") -> forms.Field:
    if not isinstance(field.widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        field.widget.attrs.setdefault("class", cls)
    return field


class FieldRowForm(forms.Form):
    key = forms.CharField(label="代码", max_length=40, help_text="小写字母开头，字母、数字、下划线")
    label = forms.CharField(label="名称", max_length=80)
    type = forms.ChoiceField(label="类型", choices=TYPE_CHOICES)
    required = forms.BooleanField(label="必填", required=False)
    help = forms.CharField(label="填写说明", max_length=200, required=False)
    options = forms.CharField(
        label="选项/表格列", max_length=500, required=False, help_text="以逗号分隔（单选的选项，表格的列）"
    )
    accept = forms.MultipleChoiceField(
        label="附件类型",
        required=False,
        choices=list(form_rules.FILE_KIND_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    max_mb = forms.IntegerField(label="大小上限（MB）", required=False, min_value=1, max_value=50)
    routes_field = forms.BooleanField(label="用作技术领域", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _attrs(field)
        self.fields["type"].widget.attrs["class"] = "form-select form-select-sm"

    def clean_key(self):
        key = self.cleaned_data["key"].strip()
        if not KEY_RE.match(key):
            raise forms.ValidationError("代码须以小写字母开头，只含小写字母、数字和下划线。")
        return key

    def clean(self):
        data = super().clean()
        kind, options = data.get("type"), _split(data.get("options", ""))
        if kind in ("choice", "table") and not options:
            self.add_error("options", "单选须填写选项，表格须填写列名。")
        if kind != "attachment" and (data.get("accept") or data.get("max_mb")):
            self.add_error("accept", "只有附件可以限定文件类型和大小。")
        if kind == "section" and (data.get("required") or data.get("routes_field") or options):
            self.add_error("type", "分节标题只有名称和说明，不能必填、设选项或用作技术领域。")
        return data


class CriterionRowForm(forms.Form):
    code = forms.CharField(label="代码", max_length=40)
    label = forms.CharField(label="评分项", max_length=80)
    max = forms.DecimalField(label="满分（权重）", min_value=0.5, max_digits=5, decimal_places=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _attrs(field)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not KEY_RE.match(code):
            raise forms.ValidationError("代码须以小写字母开头，只含小写字母、数字和下划线。")
        return code


class _Rows(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = "顺序"
            _attrs(form.fields["ORDER"])


FieldFormSet = forms.formset_factory(FieldRowForm, formset=_Rows, extra=1, can_delete=True, can_order=True)
CriterionFormSet = forms.formset_factory(
    CriterionRowForm, formset=_Rows, extra=1, can_delete=True, can_order=True
)


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,，、]", text or "") if part.strip()]


def schema_rows(schema: list[dict]) -> list[dict]:
    """Initial rows from a stored schema."""
    rows = []
    for f in schema or []:
        options = f.get("choices") or [c.get("label", "") for c in f.get("columns") or []]
        rows.append(
            {
                "key": f.get("key", ""),
                "label": f.get("label", ""),
                "type": f.get("type", "text"),
                "required": bool(f.get("required")),
                "help": f.get("help", ""),
                "options": "，".join(options),
                "accept": f.get("accept") or [],
                "max_mb": f.get("max_mb"),
                "routes_field": f.get("route") == "field_code",
            }
        )
    return rows


def _ordered(formset) -> list[dict]:
    rows = [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.has_changed()
    ]
    return sorted(rows, key=lambda r: (r.get("ORDER") is None, r.get("ORDER") or 0))


def to_schema(formset, previous: list[dict] | None = None) -> list[dict]:
    """The stored JSON from the rows (a table keeps its columns' keys where the label is unchanged)."""
    old = {f.get("key"): f for f in previous or []}
    schema = []
    for row in _ordered(formset):
        field = {"key": row["key"], "label": row["label"].strip(), "type": row["type"]}
        if row.get("required"):
            field["required"] = True
        if row.get("help"):
            field["help"] = row["help"].strip()
        options = _split(row.get("options", ""))
        if row["type"] == "choice":
            field["choices"] = options
        if row["type"] == "table":
            known = {c.get("label"): c.get("key") for c in old.get(row["key"], {}).get("columns") or []}
            field["columns"] = [
                {"key": known.get(o) or f"c{i}", "label": o} for i, o in enumerate(options, 1)
            ]
        if row["type"] == "attachment":
            if row.get("accept"):
                field["accept"] = list(row["accept"])
            if row.get("max_mb"):
                field["max_mb"] = row["max_mb"]
        if row.get("routes_field"):
            field["route"] = "field_code"
        schema.append(field)
    return schema


def sheet_rows(sheet: list[dict]) -> list[dict]:
    return [
        {"code": c.get("code", ""), "label": c.get("label", ""), "max": c.get("max")} for c in sheet or []
    ]


def to_sheet(formset) -> list[dict]:
    sheet = []
    for row in _ordered(formset):
        points = row["max"]
        sheet.append(
            {
                "code": row["code"],
                "label": row["label"].strip(),
                "max": int(points) if points == int(points) else float(points),
            }
        )
    return sheet
