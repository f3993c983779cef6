from django import forms
from django.core.exceptions import ValidationError

from kechuang.agritech.models import Commissioner, Pairing, Station, VillageFlag
from kechuang.core.models import Organisation, Person, Region

DATE = {"type": "date"}


class Bootstrap:
    """Bootstrap classes on every widget (phones: big touch targets come from form-control)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class OverviewForm(Bootstrap, forms.Form):
    day = forms.DateField(label="统计日期", required=False, widget=forms.DateInput(attrs=DATE))


class VillageFilterForm(Bootstrap, forms.Form):
    town = forms.ChoiceField(label="乡镇街道", required=False)
    key_year = forms.IntegerField(label="重点村年度", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, towns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [("", "全部"), *[(t.code, t.name) for t in towns]]


class VillageImportForm(Bootstrap, forms.Form):
    file = forms.FileField(
        label="村居 CSV 文件", help_text="UTF-8 编码，表头 code,name,level,parent_code；级别填5"
    )


class VillageFlagForm(Bootstrap, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    flag = forms.ChoiceField(label="标识", choices=VillageFlag.Flag.choices)
    source = forms.CharField(label="依据文件", required=False, max_length=120)


class CommissionerForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = Commissioner
        fields = [
            "kind",
            "name",
            "person",
            "members",
            "organisation",
            "source",
            "level",
            "expertise",
            "term_start",
            "term_end",
        ]
        widgets = {"term_start": forms.DateInput(attrs=DATE), "term_end": forms.DateInput(attrs=DATE)}

    def __init__(self, *args, people=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = people if people is not None else Person.objects.none()
        self.fields["person"].queryset = people
        self.fields["members"].queryset = people
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )


class PhotoForm(Bootstrap, forms.Form):
    photo = forms.FileField(label="照片（JPEG/PNG）")


class PairingForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = Pairing
        fields = [
            "commissioner",
            "target_kind",
            "village",
            "organisation",
            "proposed_by",
            "field",
            "tasks",
            "targets",
            "term_start",
            "term_end",
        ]
        widgets = {
            "term_start": forms.DateInput(attrs=DATE),
            "term_end": forms.DateInput(attrs=DATE),
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "targets": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, commissioners, villages, organisations, commissioner_side=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = commissioners
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda r: (
            f"{r.parent.name}{r.name}" if r.parent_id else r.name
        )
        self.fields["organisation"].queryset = organisations
        if commissioner_side:
            del self.fields["proposed_by"]


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Pairing.Status.choices)
    note = forms.CharField(required=False, max_length=200)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one field (the Django documentation's pattern)."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _coordinate(label: str, limit: int, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=-limit,
        max_value=limit,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=help_text,
    )


class ServiceLogForm(Bootstrap, forms.Form):
    pairing = forms.ModelChoiceField(label="结对", queryset=Pairing.objects.none())
    date = forms.DateField(label="服务日期", widget=forms.DateInput(attrs=DATE))
    place = forms.CharField(label="地点", max_length=120)
    latitude = _coordinate("纬度（可选）", 90, help_text="在现场点“使用当前位置”自动填写，也可留空")
    longitude = _coordinate("经度（可选）", 180)
    content = forms.CharField(label="服务内容", widget=forms.Textarea(attrs={"rows": 4}))
    people_trained = forms.IntegerField(
        label="培训人数", min_value=0, initial=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    technologies = forms.CharField(label="引进推广技术", required=False, max_length=200)
    photos = MultipleFileField(
        label="现场照片", required=False, widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"})
    )

    def __init__(self, *args, pairings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairing"].queryset = pairings

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError("纬度和经度须同时填写或同时留空。")
        return data


class ServicePhoneForm(Bootstrap, forms.Form):
    service_phone = forms.CharField(
        label="公开服务电话",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text="显示在公开亮牌卡上，群众可直接拨打；留空则显示部分隐藏的登记手机号",
    )


class RatingForm(Bootstrap, forms.Form):
    rating = forms.TypedChoiceField(
        label="服务对象评价", coerce=int, choices=[(i, f"{i}分") for i in range(5, 0, -1)]
    )
    comment = forms.CharField(label="评价意见", required=False, max_length=200)


class RequestForm(Bootstrap, forms.Form):
    requester = forms.CharField(label="提出人", max_length=60)
    village = forms.ModelChoiceField(label="所在村", queryset=Region.objects.none())
    subject = forms.CharField(label="问题", max_length=120)
    detail = forms.CharField(label="具体情况", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda r: (
            f"{r.parent.name}{r.name}" if r.parent_id else r.name
        )


class AnswerForm(Bootstrap, forms.Form):
    commissioner = forms.ModelChoiceField(label="答复特派员", queryset=Commissioner.objects.none())
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, commissioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = commissioners


class EscalateForm(Bootstrap, forms.Form):
    reason = forms.CharField(label="上转原因", max_length=200)


class StationForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = Station
        fields = ["name", "level", "operator", "town", "status", "established_on"]
        widgets = {"established_on": forms.DateInput(attrs=DATE)}

    def __init__(self, *args, towns, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns
        self.fields["operator"].queryset = organisations


class SupervisionForm(Bootstrap, forms.Form):
    date = forms.DateField(label="检查日期", widget=forms.DateInput(attrs=DATE))
    inspector = forms.CharField(label="检查人", max_length=60)
    findings = forms.CharField(label="发现问题", widget=forms.Textarea(attrs={"rows": 3}))
    rectification = forms.CharField(
        label="整改要求", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CutoffsForm(Bootstrap, forms.Form):
    excellent_days = forms.IntegerField(label="优秀：服务天数不少于", min_value=0)
    excellent_rating = forms.DecimalField(
        label="优秀：平均评价不低于", min_value=1, max_value=5, decimal_places=2
    )
    pass_days = forms.IntegerField(label="合格：服务天数不少于", min_value=0)
    pass_rating = forms.DecimalField(label="合格：平均评价不低于", min_value=1, max_value=5, decimal_places=2)
