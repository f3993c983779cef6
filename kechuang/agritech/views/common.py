"""Helpers shared by the agritech views."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from kechuang.core.forms import form_error  # noqa: F401 - re-exported for this module's views
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


def uploaded_files(form, name="photos"):
    return [(f.read(), f.name) for f in form.cleaned_data.get(name) or []]
