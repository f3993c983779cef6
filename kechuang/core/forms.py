from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from kechuang.core.models import CalendarDay, Organisation
from kechuang.core.permissions import ORGANISATION_SELF_FIELDS, ORGANISATION_STAFF_FIELDS


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label="名称或信用代码", required=False)
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *Organisation.Kind.choices]
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label="操作", required=False)
    actor = forms.CharField(label="操作人", required=False)
    object_type = forms.CharField(label="对象类型", required=False)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CalendarDayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label="类型", choices=[("", "恢复默认（周一至周五上班）"), *CalendarDay.Kind.choices], required=False
    )
    name = forms.CharField(label="名称", required=False, max_length=40)


class CalendarConfirmForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    source = forms.CharField(label="依据文件", max_length=200)


class OrganisationForm(forms.ModelForm):
    """Staff create/edit an organisation; `version` carries the optimistic lock through the round trip."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_STAFF_FIELDS)
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, region_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if region_choices is not None:
            self.fields["region"].queryset = region_choices
        self.fields["industry"].queryset = self.fields["industry"].queryset.filter(dict_type__code="industry")
        for field in self.fields.values():
            if not isinstance(field.widget, (forms.CheckboxInput, forms.HiddenInput)):
                field.widget.attrs.setdefault("class", "form-control")

    def clean_credit_code(self):
        from kechuang.core import rules

        raw = self.cleaned_data.get("credit_code")
        if not raw:
            return None
        result = rules.check_credit_code(raw)
        if not result:
            raise forms.ValidationError(result.message)
        return result.value


class OrganisationSelfForm(forms.ModelForm):
    """What an enterprise user keeps current about its own organisation (`ORGANISATION_SELF_FIELDS`); its
    identity and region are shown read-only on the page and corrected by bureau staff."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_SELF_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="姓名或单位", required=False)


def form_error(form, exc: ValidationError) -> None:
    """Attach a service's error to the form: to the field it names when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class RegionPicker(forms.ModelChoiceField):
    """A region among those the user may see. Any of them is accepted (one query, its ancestors joined so a
    figure can walk up to its city without more), but the `<select>` lists only where one can go from the
    region shown: its ancestors, itself and its children — a province's staff get 17 options, not every town
    of the province (931 at the benchmark's scale, which was most of the dashboard's warm render time)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.queryset.select_related("parent__parent__parent__parent").get(pk=int(value))
        except (ValueError, TypeError, self.queryset.model.DoesNotExist):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None

    def around(self, region) -> None:
        """List `region`'s visible ancestors, itself and its visible children, indented by level."""
        if region is None:
            self.choices = []
            return
        codes = [code for code in region.path.split("/") if code]
        near = self.queryset.filter(models.Q(code__in=codes) | models.Q(parent_id=region.pk)).order_by("path")
        top = min((r.level for r in near), default=region.level)
        self.choices = [(r.pk, "\u3000" * (r.level - top) + r.name) for r in near]

    def around_cleaned(self, form, name: str = "region") -> None:
        """After `form` is cleaned: around the region chosen, or the user's topmost region if none was."""
        region = getattr(form, "cleaned_data", {}).get(name)
        self.around(region or self.queryset.order_by("path").first())


class DictItemForm(forms.Form):
    """Add or change a data-dictionary item; the code is fixed once the item exists."""

    code = forms.CharField(label="代码", max_length=40)
    name = forms.CharField(label="名称", max_length=120)
    parent = forms.ModelChoiceField(label="上级项", queryset=None, required=False, empty_label="（无）")
    sort = forms.IntegerField(label="排序", required=False, min_value=-100000, max_value=100000)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, dict_type, item=None, **kwargs):
        from kechuang.core.models import DictItem

        super().__init__(*args, **kwargs)
        parents = DictItem.objects.filter(dict_type=dict_type)
        if item is not None:
            parents = parents.exclude(pk=item.pk)
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "代码创建后不能修改"
        self.fields["parent"].queryset = parents
        for name, field in self.fields.items():
            if name != "is_active":
                field.widget.attrs.setdefault("class", "form-select" if name == "parent" else "form-control")
