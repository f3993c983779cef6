"""Commissioners, pairings (two-way choice) and the 亮牌 card, printable and public."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.agritech import forms, permissions, selectors, services
from kechuang.agritech.models import Pairing
from kechuang.agritech.views.common import AGRI_ORG_KINDS, form_error, region_of, render_list, require
from kechuang.core import dates
from kechuang.core import permissions as core_permissions
from kechuang.core.models import Organisation, Region
from kechuang.core.permissions import get_object_or_404_for, is_commissioner
from kechuang.core.tables import Column, build_table


@login_required
def commissioner_list(request):
    require(permissions.commissioners, request.user, "view")
    qs = selectors.commissioners_for(request.user, q=request.GET.get("q", "").strip())
    cols = [
        Column("name", "名称", "name"),
        Column("kind", "类型", "kind"),
        Column("source", "来源", "source"),
        Column("level", "级别", "level"),
        Column("expertise", "专业领域"),
        Column("term", "选派期", "term_end"),
    ]
    table = build_table(request, qs, cols, default_sort="name")
    return render_list(
        request,
        "agritech/commissioner_list.html",
        {"table": table, "may_create": permissions.commissioners.may(request.user, "create")},
    )


@login_required
def commissioner_create(request):
    require(permissions.commissioners, request.user, "create")
    region = region_of(request.user)
    form = forms.CommissionerForm(
        request.POST or None,
        people=core_permissions.people.queryset(request.user, "view"),
        organisations=core_permissions.organisations.queryset(request.user, "view").exclude(
            kind=Organisation.Kind.FOREIGN
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = list(data.pop("members"))
        try:
            c = services.commissioner_create(actor=request.user, region=region, members=members, **data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "特派员已登记。")
            return redirect("agritech:commissioner_detail", pk=c.pk)
    return render(request, "agritech/form.html", {"form": form, "title": "登记科技特派员"})


@login_required
def commissioner_detail(request, pk: int):
    c = get_object_or_404_for(permissions.commissioners, request.user, "view", pk=pk)
    phone_form = forms.ServicePhoneForm(
        request.POST if "service_phone" in request.POST else None, initial={"service_phone": c.service_phone}
    )
    if phone_form.is_bound:
        c = get_object_or_404_for(permissions.commissioners, request.user, "publish_phone", pk=pk)
        if phone_form.is_valid():
            try:
                services.commissioner_publish_phone(
                    actor=request.user, commissioner=c, phone=phone_form.cleaned_data["service_phone"]
                )
            except ValidationError as exc:
                form_error(phone_form, exc)
            else:
                messages.success(request, "公开服务电话已保存，亮牌卡上即时显示。")
                return redirect("agritech:commissioner_detail", pk=pk)
    photo_form = forms.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not phone_form.is_bound:
        get_object_or_404_for(permissions.commissioners, request.user, "change", pk=pk)
        if photo_form.is_valid():
            f = photo_form.cleaned_data["photo"]
            try:
                services.commissioner_set_photo(
                    actor=request.user, commissioner=c, data=f.read(), original_name=f.name
                )
            except ValidationError as exc:
                form_error(photo_form, exc)
            else:
                messages.success(request, "照片已更新。")
                return redirect("agritech:commissioner_detail", pk=pk)
    year = dates.today().year
    days = selectors.service_days([c.pk], year).get(c.pk, 0)
    pairings = selectors.pairings_for(request.user).filter(commissioner=c)
    return render(
        request,
        "agritech/commissioner_detail.html",
        {
            "c": c,
            "pairings": pairings,
            "days": days,
            "year": year,
            "photo_form": photo_form,
            "phone_form": phone_form,
            "may_change": permissions.commissioners.may(request.user, "change"),
            "may_publish_phone": permissions.commissioners.allows(request.user, "publish_phone", c),
        },
    )


@login_required
def pairing_list(request):
    require(permissions.pairings, request.user, "view")
    qs = selectors.pairings_for(request.user, status=request.GET.get("status", ""))
    cols = [
        Column("commissioner", "特派员", "commissioner__name"),
        Column("target", "服务对象"),
        Column("field", "领域", "field"),
        Column("term", "服务期", "term_start"),
        Column("status", "状态", "status"),
    ]
    table = build_table(request, qs, cols, default_sort="-term")
    return render_list(
        request, "agritech/pairing_list.html", {"table": table, "statuses": Pairing.Status.choices}
    )


def _pairing_form(request, data=None):
    user = request.user
    own_side = is_commissioner(user)
    commissioners = selectors.commissioners_for(user)
    region_paths = (
        [c.region.path for c in commissioners.select_related("region")]
        if own_side
        else [region_of(user).path]
    )
    villages = Region.objects.filter(level=Region.Level.VILLAGE).select_related("parent")
    orgs = Organisation.objects.filter(kind__in=AGRI_ORG_KINDS)
    if region_paths:
        from django.db.models import Q

        scope = Q()
        for p in set(region_paths):
            scope |= Q(path__startswith=p)
        villages = villages.filter(scope)
        orgs = orgs.filter(region__in=Region.objects.filter(scope))
    return forms.PairingForm(
        data,
        commissioners=commissioners,
        villages=villages,
        organisations=orgs,
        commissioner_side=own_side,
    )


@login_required
def pairing_create(request):
    if not (permissions.pairings.may(request.user, "create") or is_commissioner(request.user)):
        raise PermissionDenied
    form = _pairing_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("proposed_by", Pairing.Side.COMMISSIONER)
        try:
            p = services.pairing_propose(actor=request.user, **data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "结对意向已提出，待对方确认。")
            return redirect("agritech:pairing_detail", pk=p.pk)
    return render(request, "agritech/form.html", {"form": form, "title": "提出结对帮扶"})


@login_required
def pairing_detail(request, pk: int):
    p = get_object_or_404_for(permissions.pairings, request.user, "view", pk=pk)
    logs = p.logs.all()[:20]
    may_change = permissions.pairings.allows(request.user, "change", p)
    return render(
        request,
        "agritech/pairing_detail.html",
        {
            "p": p,
            "logs": logs,
            "changes": p.status_changes.select_related("actor"),
            "may_change": may_change,
            "statuses": Pairing.Status,
        },
    )


@login_required
@require_POST
def pairing_transition(request, pk: int):
    p = get_object_or_404_for(permissions.pairings, request.user, "change", pk=pk)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求无效。")
        return redirect("agritech:pairing_detail", pk=pk)
    try:
        services.pairing_transition(actor=request.user, pairing=p, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "结对状态已更新。")
    return redirect("agritech:pairing_detail", pk=pk)


@login_required
@require_POST
def pairing_card_publish(request, pk: int):
    p = get_object_or_404_for(permissions.pairings, request.user, "change", pk=pk)
    try:
        services.pairing_set_card(
            actor=request.user, pairing=p, published=request.POST.get("published") == "1"
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("agritech:pairing_detail", pk=pk)


def _qr_data_uri(request, p) -> str:
    url = request.build_absolute_uri(reverse("agritech:public_card", args=[p.card_token]))
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


@login_required
def pairing_card(request, pk: int):
    """The printable 亮牌 card (same content as the public page, for hanging in the village)."""
    p = get_object_or_404_for(permissions.pairings, request.user, "view", pk=pk)
    return render(request, "agritech/card.html", {"p": p, "qr": _qr_data_uri(request, p), "printable": True})


def public_cards(request):
    qs = Pairing.objects.filter(card_published=True, status=Pairing.Status.ACTIVE).select_related(
        "commissioner", "village", "village__parent", "organisation"
    )
    table = build_table(
        request,
        qs,
        [
            Column("target", "服务对象", "region__path"),
            Column("commissioner", "特派员", "commissioner__name"),
        ],
        default_sort="target",
        per_page=30,
    )
    return render(request, "agritech/public_cards.html", {"table": table})


def public_card(request, token):
    p = selectors.published_card(token)
    if p is None:
        raise Http404("该亮牌卡不存在或未公开。")
    return render(request, "agritech/card.html", {"p": p, "qr": _qr_data_uri(request, p), "public": True})


def public_card_photo(request, token):
    p = selectors.published_card(token)
    if p is None or p.commissioner.photo_id is None:
        raise Http404
    photo = p.commissioner.photo
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)
