"""The bureau's contact details (联系科室、联系电话) as its staff maintain them: printed on the bureau's 公示
pages and decision letters (programmes), so the public and the firms know whom to call."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from kechuang.core import permissions, services


class ContactForm(forms.Form):
    contact_office = forms.CharField(
        label="联系科室",
        max_length=60,
        required=False,
        help_text="如“高新技术科”；与局名连写，如“周村区科学技术局高新技术科”。",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=30,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )


@login_required
def bureau_contact(request):
    if not permissions.may_edit_bureau_contact(request.user):
        raise PermissionDenied
    region = request.user.region
    form = ContactForm(
        request.POST or None,
        initial={"contact_office": region.contact_office, "contact_phone": region.contact_phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.region_set_contact(
                actor=request.user,
                region=region,
                office=form.cleaned_data["contact_office"],
                phone=form.cleaned_data["contact_phone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "联系方式已保存，新的公示和决定通知将使用该联系方式。")
            return redirect("core:bureau_contact")
    return render(request, "core/bureau_contact.html", {"form": form, "region": region})
