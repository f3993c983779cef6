"""Configuration pages: programme types and programmes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from kechuang.core.permissions import get_object_or_404_for
from kechuang.programmes import permissions, services
from kechuang.programmes.forms import ProgrammeForm, ProgrammeTypeForm
from kechuang.programmes.models import Programme, ProgrammeType


@login_required
def config_list(request):
    if not permissions.programmes.may(request.user, "view"):
        raise PermissionDenied
    return render(
        request,
        "programmes/config_list.html",
        {
            "types": permissions.programme_types.queryset(request.user)
            .select_related("region")
            .order_by("code", "region__path"),
            "changeable_types": set(
                permissions.programme_types.queryset(request.user, "change").values_list("pk", flat=True)
            ),
            "may_create_type": permissions.programme_types.allows_create(request.user),
            "programmes": permissions.programmes.queryset(request.user).order_by("type__code", "code"),
            "may_change": permissions.programmes.may(request.user, "change"),
        },
    )


@login_required
def programme_type_edit(request, pk: int | None = None):
    if pk is None:
        if not permissions.programme_types.allows_create(request.user):
            raise PermissionDenied
        ptype = None
    else:
        ptype = get_object_or_404_for(permissions.programme_types, request.user, "change", pk=pk)
    form = ProgrammeTypeForm(request.POST or None, instance=ProgrammeType() if ptype is None else ptype)
    if request.method == "POST" and form.is_valid():
        try:
            if ptype is None:
                services.programme_type_create(actor=request.user, **form.cleaned_data)
            else:
                services.programme_type_update(
                    actor=request.user,
                    ptype=ptype,
                    expected_version=int(request.POST.get("version") or 0),
                    **form.cleaned_data,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "项目类型已保存。")
            return redirect("programmes:config_list")
    return render(request, "programmes/config_form.html", {"form": form, "obj": ptype, "what": "项目类型"})


@login_required
def programme_edit(request, pk: int | None = None):
    if pk is None:
        if not permissions.programmes.may(request.user, "create") or request.user.region_id is None:
            raise PermissionDenied
        programme = None
    else:
        programme = get_object_or_404_for(permissions.programmes, request.user, "change", pk=pk)
    form = ProgrammeForm(request.POST or None, instance=programme or Programme())
    form.fields["type"].queryset = permissions.programme_types.queryset(request.user, "view")
    if request.method == "POST" and form.is_valid():
        try:
            if programme is None:
                saved = services.programme_create(
                    actor=request.user, region=request.user.region, **form.cleaned_data
                )
            else:
                saved = services.programme_update(
                    actor=request.user,
                    programme=programme,
                    expected_version=int(request.POST.get("version") or 0),
                    **form.cleaned_data,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"项目“{saved.name}”已保存。")
            return redirect("programmes:config_list")
    return render(request, "programmes/config_form.html", {"form": form, "obj": programme, "what": "项目"})
