"""Service logs: phone-friendly filing, editing by the commissioner, rating by staff."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from kechuang.agritech import forms, permissions, selectors, services
from kechuang.agritech.models import Pairing
from kechuang.agritech.views.common import form_error, render_list, require, uploaded_files
from kechuang.core import dates
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.tables import Column, build_table


@login_required
def log_list(request):
    require(permissions.logs, request.user, "view")
    year = request.GET.get("year", "")
    qs = selectors.logs_for(request.user, year=int(year) if year.isdigit() else None)
    cols = [
        Column("date", "日期", "date"),
        Column("pairing", "结对", "pairing__commissioner__name"),
        Column("place", "地点", "place"),
        Column("trained", "培训人数", "people_trained"),
        Column("rating", "评价", "rating"),
    ]
    table = build_table(request, qs, cols, default_sort="-date", per_page=30)
    return render_list(request, "agritech/log_list.html", {"table": table, "year": year})


def _log_pairings(user):
    return (
        permissions.pairings.queryset(user, "change")
        .filter(status=Pairing.Status.ACTIVE)
        .select_related("commissioner", "village", "organisation")
    )


@login_required
def log_create(request):
    require(permissions.logs, request.user, "create")
    form = forms.ServiceLogForm(
        request.POST or None,
        request.FILES or None,
        pairings=_log_pairings(request.user),
        initial={"date": dates.today(), "pairing": request.GET.get("pairing")},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("photos")
        try:
            log = services.log_create(actor=request.user, photos=uploaded_files(form), **data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "服务日志已提交。")
            return redirect("agritech:log_detail", pk=log.pk)
    return render(request, "agritech/form.html", {"form": form, "title": "填写服务日志", "multipart": True})


@login_required
def log_detail(request, pk: int):
    log = get_object_or_404_for(permissions.logs, request.user, "view", pk=pk)
    rating_form = forms.RatingForm(request.POST or None)
    if request.method == "POST":
        log = get_object_or_404_for(permissions.logs, request.user, "change", pk=pk)
        if rating_form.is_valid():
            try:
                services.log_rate(
                    actor=request.user,
                    log=log,
                    rating=rating_form.cleaned_data["rating"],
                    comment=rating_form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                form_error(rating_form, exc)
            else:
                messages.success(request, "评价已录入。")
                return redirect("agritech:log_detail", pk=pk)
    return render(
        request,
        "agritech/log_detail.html",
        {
            "log": log,
            "photos": log.photos.all(),
            "rating_form": rating_form,
            "may_rate": permissions.logs.may_rate(request.user),
            "may_edit": permissions.logs.allows(request.user, "change", log),
            **_confirmation(request, log),
        },
    )


def _confirmation(request, log) -> dict:
    """The signed link (and its QR code) the served party opens on a phone to confirm this log."""
    if log.confirmed_at or not permissions.logs.allows(request.user, "change", log):
        return {}
    url = request.build_absolute_uri(reverse("agritech:log_confirm", args=[services.confirm_token(log)]))
    return {"confirm_url": url, "confirm_qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2)}


def log_confirm(request, token: str):
    """Public, no login: the served village or firm reads the log and confirms it with one tap."""
    log, problem = services.log_for_token(token)
    if log is not None and request.method == "POST":
        try:
            log = services.log_confirm(actor=request.user, token=token, name=request.POST.get("name", ""))
        except ValidationError as exc:
            log, problem = None, "；".join(exc.messages)
    status = 200 if log is not None else 404
    return render(request, "agritech/log_confirm.html", {"log": log, "problem": problem}, status=status)


@login_required
def log_edit(request, pk: int):
    log = get_object_or_404_for(permissions.logs, request.user, "change", pk=pk)
    initial = {f: getattr(log, f) for f in services.LOG_FIELDS} | {"pairing": log.pairing_id}
    form = forms.ServiceLogForm(
        request.POST or None,
        request.FILES or None,
        pairings=Pairing.objects.filter(pk=log.pairing_id),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.LOG_FIELDS}
        try:
            services.log_update(
                actor=request.user,
                log=log,
                expected_version=int(request.POST.get("version", 0)),
                photos=uploaded_files(form),
                **data,
            )
        except (ValidationError, ValueError) as exc:
            form_error(form, exc if isinstance(exc, ValidationError) else ValidationError("请求无效。"))
        else:
            messages.success(request, "服务日志已修改。")
            return redirect("agritech:log_detail", pk=pk)
    return render(
        request,
        "agritech/form.html",
        {"form": form, "title": "修改服务日志", "multipart": True, "version": log.version},
    )
