"""数据字典: every dictionary and its items; the instance's maintainers add, rename, reorder and retire items
(issue 21 item 5). Items are never deleted (records refer to them); a retired one is made inactive."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from kechuang.core import permissions, services
from kechuang.core.forms import DictItemForm
from kechuang.core.models import DictItem, DictType


def _save(request, form, dict_type, item=None):
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.dict_item_save(
            actor=request.user,
            dict_type=dict_type,
            code=item.code if item is not None else data["code"],
            name=data["name"],
            parent=data["parent"],
            sort=data["sort"],
            is_active=data["is_active"],
            item=item,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
def dictionary_list(request):
    if not permissions.dictionaries.may(request.user, "view"):
        raise PermissionDenied
    types = list(DictType.objects.all())
    if not types:
        return render(request, "core/dictionaries.html", {"types": types})
    chosen = next((t for t in types if t.code == request.GET.get("type")), types[0])
    may_change = permissions.dictionaries.may(request.user, "create")
    form = DictItemForm(request.POST or None, dict_type=chosen, prefix="new")
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        item = _save(request, form, chosen)
        if item is not None:
            messages.success(request, f"已新增字典项「{item.name}」。")
            return redirect(f"{reverse('core:dictionaries')}?type={chosen.code}")
    items = DictItem.objects.filter(dict_type=chosen).select_related("parent").order_by("sort", "code")
    return render(
        request,
        "core/dictionaries.html",
        {"types": types, "chosen": chosen, "items": items, "form": form, "may_change": may_change},
    )


@login_required
def dictionary_item_edit(request, pk: int):
    if not permissions.dictionaries.may(request.user, "change"):
        raise PermissionDenied
    item = get_object_or_404(DictItem.objects.select_related("dict_type"), pk=pk)
    initial = {"code": item.code, "name": item.name, "parent": item.parent_id, "sort": item.sort}
    initial["is_active"] = item.is_active
    form = DictItemForm(request.POST or None, dict_type=item.dict_type, item=item, initial=initial)
    if request.method == "POST" and _save(request, form, item.dict_type, item) is not None:
        messages.success(request, f"已保存字典项「{item.name}」。")
        return redirect(f"{reverse('core:dictionaries')}?type={item.dict_type.code}")
    return render(request, "core/dictionary_item_form.html", {"item": item, "form": form})
