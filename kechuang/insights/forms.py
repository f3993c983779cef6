from django import forms

from kechuang.insights.models import RadarResolution


class ResolveForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(max_length=30, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="处理结果", choices=RadarResolution.Outcome.choices)
    reason = forms.CharField(
        label="说明",
        max_length=300,
        error_messages={"required": "请填写处理说明。", "max_length": "说明不超过300字。"},
        widget=forms.TextInput(attrs={"placeholder": "如：已于12月3日补报；该企业本年未开展研发活动"}),
    )


class OfficialScoreForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source = forms.CharField(label="来源", max_length=120)
    rows = forms.CharField(
        label="官方积分",
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "每行：统一社会信用代码,积分"}),
        help_text="每行一家企业：统一社会信用代码与积分，以逗号或制表符分隔（可从Excel直接粘贴两列）。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean_rows(self):
        out = []
        for n, line in enumerate(self.cleaned_data["rows"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p for p in line.replace("\t", ",").replace("，", ",").split(",") if p.strip()]
            if len(parts) != 2:
                raise forms.ValidationError(f"第{n}行应为“统一社会信用代码,积分”两列。")
            out.append((parts[0].strip(), parts[1].strip()))
        if not out:
            raise forms.ValidationError("请粘贴至少一行。")
        return out
