import datetime as dt

from django import forms

from kechuang.insights.models import FirmYearFact, RadarResolution


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


class WhenForm(forms.Form):
    """The score's year and the date its records are read as known on (the date picker of the score and
    profile pages); blank fields take the defaults: the last completed year, today."""

    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={"invalid": "年度应为四位数字。"},
    )
    as_of = forms.DateField(
        label="截至日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "截至日期格式应为 2020-11-30。"},
        help_text="按该日已知的记录计算（之后的更正不计入）",
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["year"].widget.attrs.update(min=2000, max=today.year)
        self.fields["as_of"].widget.attrs.update(max=today.isoformat())
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean(self):
        data = super().clean()
        as_of = data.get("as_of") or self.today
        if as_of > self.today:
            self.add_error("as_of", "截至日期不能晚于今天。")
            as_of = self.today
        year = data.get("year")
        if year is not None and year > as_of.year:
            self.add_error("year", f"年度不能晚于截至日期所在年度（{as_of.year}）。")
        return data

    def when(self) -> tuple[int, dt.date]:
        """(year, as_of): the valid values given, else the defaults."""
        data = self.cleaned_data if self.is_valid() else {}
        as_of = data.get("as_of") or self.today
        return data.get("year") or as_of.year - 1, as_of


class FirmYearForm(forms.ModelForm):
    """A firm's yearly score figures (self-report, or staff entering what the firm sent)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = FirmYearFact
        fields = FirmYearFact.FIGURES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "expected_version":
                field.widget.attrs.setdefault("class", "form-control")
                field.help_text = field.help_text or "不清楚或不适用的留空（积分显示为“缺数据”）"
        self.fields["net_profit"].help_text = "亏损填负数；用于计算净资产收益率（净资产取年度统计报表）"
        self.fields["postgrad_staff"].help_text = "年末在职的硕士、博士人数；占比的分母为年度统计报表从业人员"
