"""Helpers shared by the agritech views."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from kechuang.core.models import Organisation, Region

AGRI_ORG_KINDS = (Organisation.Kind.COOPERATIVE, Organisation.Kind.ENTERPRISE)


def require(policy, user, action):
    if not policy.may(user, action):
        raise PermissionDenied


def region_of(user) -> Region:
    if user.region_id is None:
        raise PermissionDenied
    return user.region


def render_list(request, template, context):
    return render(request, f"{template}#rows" if request.htmx else template, context)


def form_error(form, exc: ValidationError) -> None:
    """Attach a service's error to the form: to the field it names when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def uploaded_files(form, name="photos"):
    return [(f.read(), f.name) for f in form.cleaned_data.get(name) or []]
