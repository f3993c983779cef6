from __future__ import annotations

from django import forms

from kechuang.core.models import DictItem, Region
from kechuang.core.tables import ValuesChoices
from kechuang.core.version_forms import CorrectForm
from kechuang.enterprises.models import TIER_LABELS, EnterpriseProfile, EnterpriseYear, QualificationKind
from kechuang.enterprises.services import YEAR_FIELDS

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


def _style(form: forms.Form, small: bool = False) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select" + (" form-select-sm" if small else ""))
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control" + (" form-control-sm" if small else ""))


class FirmFilterForm(forms.Form):
    q = forms.CharField(label="名称或信用代码", required=False)
    town = forms.ModelChoiceField(
        label="镇街",
        queryset=Region.objects.none(),
        required=False,
        empty_label="全部镇街",
    )
    industry = forms.ModelChoiceField(
        label="行业",
        queryset=DictItem.objects.filter(dict_type__code="industry", is_active=True).only("pk", "name"),
        required=False,
        empty_label="全部行业",
    )
    qualification = forms.ChoiceField(label="资质", required=False)
    tier = forms.TypedChoiceField(
        label="梯次",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全部梯次"), *[(k, f"{k} {v}") for k, v in TIER_LABELS.items()]],
    )
    date = forms.DateField(label="时点", required=False, widget=DATE)

    def __init__(self, *args, region: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if region is not None:
            self._area_filter(region)
        industry = self.fields["industry"]  # the same options, read as values (no cursor, no instances)
        industry.widget.choices = ValuesChoices(
            industry.queryset, "pk", "name", empty_label=industry.empty_label
        )
        self.fields["qualification"].choices = [
            ("", "全部资质"),
            *QualificationKind.objects.filter(is_active=True).values_list("code", "name"),
        ]
        _style(self, small=True)

    def _area_filter(self, region: Region) -> None:
        """The regions one and two levels below the account's (down to towns), in region order, the lower
        level indented under its parent: a district account picks a town, a city account a district or a
        town, a province account a city or a district (146 options at province scale instead of 784 towns)."""
        deepest = min(region.level + 2, Region.Level.TOWN)
        areas = Region.objects.filter(
            path__startswith=region.path, level__gt=region.level, level__lte=deepest
        )
        field = self.fields["town"]
        field.queryset = areas
        if region.level < Region.Level.DISTRICT:
            field.label, field.empty_label = "地区", "全部地区"
        top = region.level + 1
        field.widget.choices = ValuesChoices(
            areas.order_by("path"),
            "pk",
            "name",
            empty_label=field.empty_label,
            extra=("level",),
            choice=lambda pk, name, level: (pk, name if level == top else f"\u3000{name}"),
        )


class AsOfForm(forms.Form):
    date = forms.DateField(label="时点", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self, small=True)


class ProfileForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = EnterpriseProfile
        fields = [
            "scale",
            "above_size",
            "main_products",
            "hnte_field",
            "key_industry",
            "staff_count",
            "st_staff_count",
            "ip_class1",
            "ip_class2",
            "ip_own_rnd",
            "standards_led",
            "national_award_5y",
            "provincial_rnd_institution",
            "rnd_org_score",
            "compliance_ok",
            "catalogue_ok",
        ]
        widgets = {"main_products": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        self.fields["rnd_org_score"].widget.attrs.update(min=0, max=20)
        _style(self)


class YearForm(forms.ModelForm):
    class Meta:
        model = EnterpriseYear
        fields = ["year", *YEAR_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True
        _style(self)

    def validate_unique(self):
        """The service upserts by (firm, year); uniqueness is not an error here."""


class QualificationForm(forms.Form):
    kind = forms.ModelChoiceField(label="资质类型", queryset=QualificationKind.objects.filter(is_active=True))
    number = forms.CharField(label="证书/入库编号", required=False, max_length=40)
    issued_on = forms.DateField(label="发证（入库）日期", required=False, widget=DATE)
    valid_from = forms.DateField(label="有效期起", widget=DATE)
    valid_until = forms.DateField(
        label="有效期止", required=False, widget=DATE, help_text="留空则按资质类型的有效期计算"
    )
    field = forms.ModelChoiceField(
        label="技术领域",
        queryset=DictItem.objects.filter(dict_type__code="hnte_field"),
        required=False,
    )
    evidence = forms.FileField(label="证明材料（证书扫描件，PDF/图片）", required=False)
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label="撤销日期", widget=DATE)
    reason = forms.CharField(label="撤销原因", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class QualificationCorrectForm(CorrectForm):
    """更正 of a qualification record: the fields to change (blank keeps the stored value)."""

    number = forms.CharField(label="证书/入库编号", max_length=40, required=False)
    issued_on = forms.DateField(label="发证（入库）日期", required=False, widget=DATE)
    valid_from = forms.DateField(label="有效期起", required=False, widget=DATE)
    valid_until = forms.DateField(label="有效期止", required=False, widget=DATE)
    note = forms.CharField(label="备注", max_length=200, required=False)
