"""Overview (coverage by town) and villages with their flags."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.agritech import forms, permissions, selectors, services
from kechuang.agritech.models import VillageFlag
from kechuang.agritech.views.common import form_error, region_of, render_list, require
from kechuang.core import dates
from kechuang.core.models import Region
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.tables import Column, build_table


@login_required
def overview(request):
    require(permissions.villages, request.user, "view")
    form = forms.OverviewForm(request.GET or None)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or dates.today()
    region = region_of(request.user)
    coverage = selectors.coverage(region, day)
    rows = selectors.town_overview(region, day)
    return render(
        request, "agritech/overview.html", {"form": form, "day": day, "coverage": coverage, "rows": rows}
    )


@login_required
def village_list(request):
    require(permissions.villages, request.user, "view")
    towns = Region.objects.filter(path__startswith=region_of(request.user).path, level=Region.Level.TOWN)
    form = forms.VillageFilterForm(request.GET or None, towns=towns)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.villages_for(
        request.user, town=f.get("town", ""), key_year=f.get("key_year")
    ).prefetch_related("agri_flags")
    table = build_table(
        request,
        qs,
        [
            Column("name", "村居", "name"),
            Column("town", "乡镇街道", "parent__name"),
            Column("code", "代码", "code"),
            Column("flags", "标识"),
        ],
        default_sort="code",
    )
    return render_list(
        request,
        "agritech/village_list.html",
        {"form": form, "table": table, "may_change": permissions.villages.may(request.user, "change")},
    )


@login_required
def village_import(request):
    require(permissions.villages, request.user, "create")
    form = forms.VillageImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
            count = services.villages_import(actor=request.user, text=text)
        except UnicodeDecodeError:
            form.add_error("file", "文件须为 UTF-8 编码的 CSV。")
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已导入{count}个村居。")
            return redirect("agritech:village_list")
    return render(request, "agritech/form.html", {"form": form, "title": "导入村居", "multipart": True})


@login_required
def village_detail(request, pk: int):
    village = get_object_or_404_for(permissions.villages, request.user, "view", pk=pk)
    form = forms.VillageFlagForm(request.POST or None, initial={"year": dates.today().year})
    if request.method == "POST":
        get_object_or_404_for(permissions.villages, request.user, "change", pk=pk)
        if form.is_valid():
            try:
                services.village_flag_set(actor=request.user, village=village, **form.cleaned_data)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "标识已添加。")
                return redirect("agritech:village_detail", pk=pk)
    pairings = selectors.pairings_for(request.user).filter(village=village)
    return render(
        request,
        "agritech/village_detail.html",
        {
            "village": village,
            "flags": village.agri_flags.all(),
            "pairings": pairings,
            "form": form,
            "may_change": permissions.villages.may(request.user, "change"),
        },
    )


@login_required
@require_POST
def village_flag_remove(request, pk: int):
    flag = VillageFlag.objects.filter(pk=pk).select_related("village").first()
    if flag is None:
        raise Http404
    get_object_or_404_for(permissions.villages, request.user, "change", pk=flag.village_id)
    services.village_flag_remove(actor=request.user, flag=flag)
    messages.success(request, "标识已删除。")
    return redirect("agritech:village_detail", pk=flag.village_id)
