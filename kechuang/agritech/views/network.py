"""The 四级梯度联动 requests, 农科驿站 with supervision, and the yearly evaluation."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.agritech import forms, permissions, selectors, services
from kechuang.agritech.models import ServiceProvider
from kechuang.agritech.views.common import form_error, region_of, render_list, require
from kechuang.core import dates
from kechuang.core.models import Organisation, Region
from kechuang.core.permissions import get_object_or_404_for, is_bureau_user, is_commissioner
from kechuang.core.tables import Column, build_table


@login_required
def request_list(request):
    require(permissions.requests, request.user, "view")
    qs = permissions.requests.queryset(request.user, "view").select_related(
        "village", "village__parent", "provider", "answered_by"
    )
    cols = [
        Column("created", "提出时间", "created_at"),
        Column("subject", "问题"),
        Column("village", "村", "village__path"),
        Column("provider", "当前承办", "provider__level"),
        Column("status", "状态", "status"),
    ]
    table = build_table(request, qs, cols, default_sort="-created")
    return render_list(
        request,
        "agritech/request_list.html",
        {"table": table, "may_create": permissions.requests.may(request.user, "create")},
    )


@login_required
def request_create(request):
    require(permissions.requests, request.user, "create")
    villages = selectors.villages_for(request.user)
    form = forms.RequestForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"需求已登记，由{req.provider}承办。")
            return redirect("agritech:request_detail", pk=req.pk)
    return render(request, "agritech/form.html", {"form": form, "title": "登记服务需求"})


@login_required
def request_detail(request, pk: int):
    req = get_object_or_404_for(permissions.requests, request.user, "view", pk=pk)
    helpers = req.provider.commissioners.all()
    if is_commissioner(request.user):
        helpers = helpers.filter(pk__in=permissions.own_commissioner_ids(request.user))
    answer_form = forms.AnswerForm(
        request.POST if request.POST.get("action") == "answer" else None, commissioners=helpers
    )
    escalate_form = forms.EscalateForm(request.POST if request.POST.get("action") == "escalate" else None)
    if request.method == "POST":
        req = get_object_or_404_for(permissions.requests, request.user, "change", pk=pk)
        form = answer_form if request.POST.get("action") == "answer" else escalate_form
        if form.is_valid():
            try:
                if form is answer_form:
                    services.request_answer(actor=request.user, request=req, **form.cleaned_data)
                else:
                    services.request_escalate(actor=request.user, request=req, **form.cleaned_data)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "已处理。")
                return redirect("agritech:request_detail", pk=pk)
    return render(
        request,
        "agritech/request_detail.html",
        {
            "req": req,
            "answer_form": answer_form,
            "escalate_form": escalate_form,
            "escalations": req.escalations.select_related("from_provider", "to_provider"),
            "may_change": permissions.requests.allows(request.user, "change", req),
        },
    )


@login_required
def station_list(request):
    require(permissions.stations, request.user, "view")
    stations = permissions.stations.queryset(request.user, "view").select_related("operator", "town")
    providers = ServiceProvider.objects.filter(
        region__path__in=_ancestor_paths(region_of(request.user))
    ) | ServiceProvider.objects.filter(region__path__startswith=region_of(request.user).path)
    return render(
        request,
        "agritech/station_list.html",
        {
            "stations": stations,
            "providers": providers.select_related("region", "organisation").order_by("level", "region__path"),
            "may_create": permissions.stations.may(request.user, "create"),
        },
    )


def _ancestor_paths(region: Region) -> list[str]:
    parts = region.path.strip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


@login_required
def station_create(request):
    require(permissions.stations, request.user, "create")
    region = region_of(request.user)
    form = forms.StationForm(
        request.POST or None,
        towns=Region.objects.filter(path__startswith=region.path, level=Region.Level.TOWN),
        organisations=Organisation.objects.filter(region__path__startswith=region.path),
    )
    if request.method == "POST" and form.is_valid():
        try:
            station = services.station_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            return redirect("agritech:station_detail", pk=station.pk)
    return render(request, "agritech/form.html", {"form": form, "title": "新建农科驿站"})


@login_required
def station_detail(request, pk: int):
    station = get_object_or_404_for(permissions.stations, request.user, "view", pk=pk)
    form = forms.SupervisionForm(
        request.POST or None, initial={"date": dates.today(), "inspector": request.user.display_name}
    )
    if request.method == "POST":
        station = get_object_or_404_for(permissions.stations, request.user, "change", pk=pk)
        if form.is_valid():
            try:
                services.supervision_record(actor=request.user, station=station, **form.cleaned_data)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "检查记录已保存。")
                return redirect("agritech:station_detail", pk=pk)
    return render(
        request,
        "agritech/station_detail.html",
        {
            "station": station,
            "visits": station.visits.all(),
            "form": form,
            "may_change": permissions.stations.may(request.user, "change"),
            "today": dates.today(),
        },
    )


@login_required
@require_POST
def visit_rectified(request, pk: int, visit_pk: int):
    station = get_object_or_404_for(permissions.stations, request.user, "change", pk=pk)
    visit = station.visits.filter(pk=visit_pk).first()
    if visit is None:
        raise Http404
    try:
        on = dt.date.fromisoformat(request.POST.get("on", ""))
        services.supervision_rectified(actor=request.user, visit=visit, on=on)
    except ValueError:
        messages.error(request, "请填写有效的整改完成日期。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("agritech:station_detail", pk=pk)


@login_required
def evaluation(request):
    require(permissions.commissioners, request.user, "view")
    if not is_bureau_user(request.user):
        raise PermissionDenied
    region = region_of(request.user)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else dates.today().year
    cutoffs = selectors.cutoffs_for(region, year)
    form = forms.CutoffsForm(request.POST or None, initial=cutoffs.__dict__)
    if request.method == "POST":
        require(permissions.commissioners, request.user, "change")
        if form.is_valid():
            try:
                services.cutoffs_set(actor=request.user, region=region, year=year, **form.cleaned_data)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "考核标准已保存。")
                return redirect(f"{reverse('agritech:evaluation')}?year={year}")
    cutoffs, rows = selectors.evaluation(request.user, region, year)
    return render(
        request,
        "agritech/evaluation.html",
        {
            "year": year,
            "cutoffs": cutoffs,
            "rows": rows,
            "form": form,
            "may_change": permissions.commissioners.may(request.user, "change"),
        },
    )
