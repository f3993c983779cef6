import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kechuang.accounts.roles import Role
from kechuang.agritech import forms, permissions, selectors, services
from kechuang.agritech.models import Pairing, ServiceProvider, VillageFlag
from kechuang.core.models import Organisation, Person, Region
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.tables import Column, build_table

AGRI_ORG_KINDS = (Organisation.Kind.COOPERATIVE, Organisation.Kind.ENTERPRISE)


def _require(policy, user, action):
    if not policy.may(user, action):
        raise PermissionDenied


def _region(user) -> Region:
    if user.region_id is None:
        raise PermissionDenied
    return user.region


def _render(request, template, context):
    return render(request, f"{template}#rows" if request.htmx else template, context)


def _form_error(form, exc: ValidationError) -> None:
    """Attach a service's error to the form: to the field it names when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _files(form, name="photos"):
    return [(f.read(), f.name) for f in form.cleaned_data.get(name) or []]


# ---------------------------------------------------------------- overview and villages
@login_required
def overview(request):
    _require(permissions.villages, request.user, "view")
    form = forms.OverviewForm(request.GET or None)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or timezone.localdate()
    region = _region(request.user)
    coverage = selectors.coverage(region, day)
    rows = selectors.town_overview(region, day)
    return render(
        request, "agritech/overview.html", {"form": form, "day": day, "coverage": coverage, "rows": rows}
    )


@login_required
def village_list(request):
    _require(permissions.villages, request.user, "view")
    towns = Region.objects.filter(path__startswith=_region(request.user).path, level=Region.Level.TOWN)
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
    return _render(
        request,
        "agritech/village_list.html",
        {"form": form, "table": table, "may_change": permissions.villages.may(request.user, "change")},
    )


@login_required
def village_import(request):
    _require(permissions.villages, request.user, "create")
    form = forms.VillageImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
            count = services.villages_import(actor=request.user, text=text)
        except UnicodeDecodeError:
            form.add_error("file", "文件须为 UTF-8 编码的 CSV。")
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"已导入{count}个村居。")
            return redirect("agritech:village_list")
    return render(request, "agritech/form.html", {"form": form, "title": "导入村居", "multipart": True})


@login_required
def village_detail(request, pk: int):
    village = get_object_or_404_for(permissions.villages, request.user, "view", pk=pk)
    form = forms.VillageFlagForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        get_object_or_404_for(permissions.villages, request.user, "change", pk=pk)
        if form.is_valid():
            try:
                services.village_flag_set(actor=request.user, village=village, **form.cleaned_data)
            except ValidationError as exc:
                _form_error(form, exc)
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


# ---------------------------------------------------------------- commissioners
@login_required
def commissioner_list(request):
    _require(permissions.commissioners, request.user, "view")
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
    return _render(
        request,
        "agritech/commissioner_list.html",
        {"table": table, "may_create": permissions.commissioners.may(request.user, "create")},
    )


@login_required
def commissioner_create(request):
    _require(permissions.commissioners, request.user, "create")
    region = _region(request.user)
    form = forms.CommissionerForm(
        request.POST or None,
        people=Person.objects.all(),
        organisations=Organisation.objects.exclude(kind=Organisation.Kind.FOREIGN),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = list(data.pop("members"))
        try:
            c = services.commissioner_create(actor=request.user, region=region, members=members, **data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "特派员已登记。")
            return redirect("agritech:commissioner_detail", pk=c.pk)
    return render(request, "agritech/form.html", {"form": form, "title": "登记科技特派员"})


@login_required
def commissioner_detail(request, pk: int):
    c = get_object_or_404_for(permissions.commissioners, request.user, "view", pk=pk)
    photo_form = forms.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        get_object_or_404_for(permissions.commissioners, request.user, "change", pk=pk)
        if photo_form.is_valid():
            f = photo_form.cleaned_data["photo"]
            try:
                services.commissioner_set_photo(
                    actor=request.user, commissioner=c, data=f.read(), original_name=f.name
                )
            except ValidationError as exc:
                _form_error(photo_form, exc)
            else:
                messages.success(request, "照片已更新。")
                return redirect("agritech:commissioner_detail", pk=pk)
    year = timezone.localdate().year
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
            "may_change": permissions.commissioners.may(request.user, "change"),
        },
    )


# ---------------------------------------------------------------- pairings
@login_required
def pairing_list(request):
    _require(permissions.pairings, request.user, "view")
    qs = selectors.pairings_for(request.user, status=request.GET.get("status", ""))
    cols = [
        Column("commissioner", "特派员", "commissioner__name"),
        Column("target", "服务对象"),
        Column("field", "领域", "field"),
        Column("term", "服务期", "term_start"),
        Column("status", "状态", "status"),
    ]
    table = build_table(request, qs, cols, default_sort="-term")
    return _render(
        request, "agritech/pairing_list.html", {"table": table, "statuses": Pairing.Status.choices}
    )


def _pairing_form(request, data=None):
    user = request.user
    is_commissioner = user.role == Role.COMMISSIONER
    commissioners = selectors.commissioners_for(user)
    region_paths = (
        [c.region.path for c in commissioners.select_related("region")]
        if is_commissioner
        else [_region(user).path]
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
        commissioner_side=is_commissioner,
    )


@login_required
def pairing_create(request):
    if not (permissions.pairings.may(request.user, "create") or request.user.role == Role.COMMISSIONER):
        raise PermissionDenied
    form = _pairing_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("proposed_by", Pairing.Side.COMMISSIONER)
        try:
            p = services.pairing_propose(actor=request.user, **data)
        except ValidationError as exc:
            _form_error(form, exc)
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


# ---------------------------------------------------------------- public 亮牌
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


# ---------------------------------------------------------------- service logs
@login_required
def log_list(request):
    _require(permissions.logs, request.user, "view")
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
    return _render(request, "agritech/log_list.html", {"table": table, "year": year})


def _log_pairings(user):
    return (
        permissions.pairings.queryset(user, "change")
        .filter(status=Pairing.Status.ACTIVE)
        .select_related("commissioner", "village", "organisation")
    )


@login_required
def log_create(request):
    _require(permissions.logs, request.user, "create")
    form = forms.ServiceLogForm(
        request.POST or None,
        request.FILES or None,
        pairings=_log_pairings(request.user),
        initial={"date": timezone.localdate(), "pairing": request.GET.get("pairing")},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("photos")
        try:
            log = services.log_create(actor=request.user, photos=_files(form), **data)
        except ValidationError as exc:
            _form_error(form, exc)
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
                _form_error(rating_form, exc)
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
            "may_rate": request.user.role == Role.STAFF,
            "may_edit": permissions.logs.allows(request.user, "change", log),
        },
    )


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
                photos=_files(form),
                **data,
            )
        except (ValidationError, ValueError) as exc:
            _form_error(form, exc if isinstance(exc, ValidationError) else ValidationError("请求无效。"))
        else:
            messages.success(request, "服务日志已修改。")
            return redirect("agritech:log_detail", pk=pk)
    return render(
        request,
        "agritech/form.html",
        {"form": form, "title": "修改服务日志", "multipart": True, "version": log.version},
    )


# ---------------------------------------------------------------- requests (四级梯度联动)
@login_required
def request_list(request):
    _require(permissions.requests, request.user, "view")
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
    return _render(
        request,
        "agritech/request_list.html",
        {"table": table, "may_create": permissions.requests.may(request.user, "create")},
    )


@login_required
def request_create(request):
    _require(permissions.requests, request.user, "create")
    villages = selectors.villages_for(request.user)
    form = forms.RequestForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"需求已登记，由{req.provider}承办。")
            return redirect("agritech:request_detail", pk=req.pk)
    return render(request, "agritech/form.html", {"form": form, "title": "登记服务需求"})


@login_required
def request_detail(request, pk: int):
    req = get_object_or_404_for(permissions.requests, request.user, "view", pk=pk)
    helpers = req.provider.commissioners.all()
    if request.user.role == Role.COMMISSIONER:
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
                _form_error(form, exc)
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


# ---------------------------------------------------------------- stations
@login_required
def station_list(request):
    _require(permissions.stations, request.user, "view")
    stations = permissions.stations.queryset(request.user, "view").select_related("operator", "town")
    providers = ServiceProvider.objects.filter(
        region__path__in=_ancestor_paths(_region(request.user))
    ) | ServiceProvider.objects.filter(region__path__startswith=_region(request.user).path)
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
    _require(permissions.stations, request.user, "create")
    region = _region(request.user)
    form = forms.StationForm(
        request.POST or None,
        towns=Region.objects.filter(path__startswith=region.path, level=Region.Level.TOWN),
        organisations=Organisation.objects.filter(region__path__startswith=region.path),
    )
    if request.method == "POST" and form.is_valid():
        try:
            station = services.station_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            return redirect("agritech:station_detail", pk=station.pk)
    return render(request, "agritech/form.html", {"form": form, "title": "新建农科驿站"})


@login_required
def station_detail(request, pk: int):
    station = get_object_or_404_for(permissions.stations, request.user, "view", pk=pk)
    form = forms.SupervisionForm(
        request.POST or None, initial={"date": timezone.localdate(), "inspector": request.user.display_name}
    )
    if request.method == "POST":
        station = get_object_or_404_for(permissions.stations, request.user, "change", pk=pk)
        if form.is_valid():
            try:
                services.supervision_record(actor=request.user, station=station, **form.cleaned_data)
            except ValidationError as exc:
                _form_error(form, exc)
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
            "today": timezone.localdate(),
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


# ---------------------------------------------------------------- evaluation
@login_required
def evaluation(request):
    _require(permissions.commissioners, request.user, "view")
    if request.user.role not in (Role.STAFF, Role.LEADER):
        raise PermissionDenied
    region = _region(request.user)
    year_text = request.GET.get("year", "")
    year = (
        int(year_text)
        if year_text.isdigit() and 2000 <= int(year_text) <= 2100
        else timezone.localdate().year
    )
    cutoffs = selectors.cutoffs_for(region, year)
    form = forms.CutoffsForm(request.POST or None, initial=cutoffs.__dict__)
    if request.method == "POST":
        _require(permissions.commissioners, request.user, "change")
        if form.is_valid():
            try:
                services.cutoffs_set(actor=request.user, region=region, year=year, **form.cleaned_data)
            except ValidationError as exc:
                _form_error(form, exc)
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
