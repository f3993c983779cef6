from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from kechuang.core import audit, files, permissions, selectors, services
from kechuang.core.forms import (
    AuditFilterForm,
    CalendarConfirmForm,
    CalendarDayForm,
    OrganisationFilterForm,
    OrganisationForm,
    OrganisationSelfForm,
    PersonFilterForm,
)
from kechuang.core.models import CalendarDay, CalendarYear, Job
from kechuang.core.permissions import ORGANISATION_STAFF_FIELDS, get_object_or_404_for
from kechuang.core.tables import Column, build_table

ORG_COLUMNS = [
    Column("name", "名称", "name"),
    Column("credit_code", "统一社会信用代码", "credit_code"),
    Column("kind", "类型", "kind"),
    Column("region", "所在区划", "region__path"),
]


@login_required
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.organisations_for(request.user, q=filters.get("q", ""), kind=filters.get("kind", ""))
    table = build_table(request, qs, ORG_COLUMNS, default_sort="name")
    template = "core/organisation_list.html#rows" if request.htmx else "core/organisation_list.html"
    may_create = permissions.organisations.may(request.user, "create")
    return render(request, template, {"form": form, "table": table, "may_create": may_create})


def _region_choices(user):
    from kechuang.core.models import Region

    return (
        Region.objects.filter(path__startswith=user.region.path) if user.region_id else Region.objects.none()
    )


@login_required
def organisation_create(request):
    if not permissions.organisations.may(request.user, "create"):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, region_choices=_region_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            org = services.organisation_create(actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新增单位：{org.name}")
            return redirect("core:organisation_detail", org.pk)
    return render(request, "core/organisation_form.html", {"form": form})


def _organisation_form(request, org):
    """Staff correct every field of an organisation in their region; an enterprise user only its own
    contact details (`OrganisationPolicy.editable_fields`). Anyone else: 404."""
    fields = permissions.organisations.editable_fields(request.user, org)
    if not fields:
        raise Http404("对象不存在或无权访问。")
    initial = {"version": org.version}
    if fields == ORGANISATION_STAFF_FIELDS:
        return OrganisationForm(
            request.POST or None, instance=org, initial=initial, region_choices=_region_choices(request.user)
        )
    return OrganisationSelfForm(request.POST or None, instance=org, initial=initial)


@login_required
def organisation_edit(request, pk: int):
    org = get_object_or_404_for(permissions.organisations, request.user, "view", pk=pk)
    form = _organisation_form(request, org)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        fresh = type(org).objects.get(
            pk=org.pk
        )  # the form mutated `org`; the service diffs from the stored row
        try:
            services.organisation_update(
                actor=request.user,
                organisation=fresh,
                expected_version=form.cleaned_data["version"] or org.version,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "单位信息已保存。")
            return redirect("core:organisation_detail", org.pk)
    return render(
        request,
        "core/organisation_form.html",
        {"form": form, "org": org, "self_edit": isinstance(form, OrganisationSelfForm)},
    )


@login_required
def person_list(request):
    form = PersonFilterForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    qs = selectors.people_for(request.user, q=q)
    columns = [
        Column("name", "姓名", "name"),
        Column("organisation", "工作单位", "organisation__name"),
        Column("title", "职称/职务"),
        Column("id_number", "身份证号码"),
        Column("phone", "手机"),
    ]
    table = build_table(request, qs, columns, default_sort="name")
    template = "core/person_list.html#rows" if request.htmx else "core/person_list.html"
    return render(request, template, {"form": form, "table": table})


@login_required
def organisation_detail(request, pk: int):
    org = get_object_or_404_for(permissions.organisations, request.user, "view", pk=pk)
    fields = permissions.organisations.editable_fields(request.user, org)
    may_change = "all" if fields == ORGANISATION_STAFF_FIELDS else ("self" if fields else "")
    return render(request, "core/organisation_detail.html", {"org": org, "may_change": may_change})


@login_required
def audit_list(request):
    if not permissions.audit_events.may(request.user, "view"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.audit_events_for(request.user, **filters)
    columns = [
        Column("id", "#", "id"),
        Column("occurred_at", "时间", "occurred_at"),
        Column("actor", "操作人"),
        Column("action", "操作", "action"),
        Column("object", "对象"),
        Column("ip", "IP"),
    ]
    table = build_table(request, qs, columns, default_sort="-id")
    template = "core/audit_list.html#rows" if request.htmx else "core/audit_list.html"
    return render(request, template, {"form": form, "table": table})


@login_required
def audit_verify(request):
    if not permissions.audit_events.may(request.user, "view"):
        raise PermissionDenied
    result = audit.verify()
    return render(request, "core/audit_verify.html", {"result": result})


@login_required
def calendar(request):
    may_change = permissions.calendar.may(request.user, "change")
    day_form = CalendarDayForm(request.POST or None, prefix="day")
    confirm_form = CalendarConfirmForm(request.POST or None, prefix="confirm")
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        action = request.POST.get("action")
        form = day_form if action == "day" else confirm_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "day":
                    services.calendar_set_day(
                        actor=request.user, date=data["date"], kind=data["kind"] or None, name=data["name"]
                    )
                else:
                    services.calendar_confirm_year(
                        actor=request.user, year=data["year"], source=data["source"]
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "工作日历已更新。")
                return redirect("core:calendar")
    years = CalendarYear.objects.all()
    latest = years.order_by("-year").values_list("year", flat=True).first()
    days = CalendarDay.objects.filter(date__year__gte=latest) if latest else CalendarDay.objects.none()
    return render(
        request,
        "core/calendar.html",
        {
            "years": years,
            "days": days,
            "day_form": day_form,
            "confirm_form": confirm_form,
            "may_change": may_change,
        },
    )


@login_required
def attachment_download(request, uid):
    attachment = get_object_or_404_for(permissions.attachments, request.user, "view", uid=uid)
    # By the file alone (no record): always a download; record pages link their own previewing views.
    return files.attachment_response(request, attachment, preview=False)


@login_required
def background_jobs(request):
    """后台任务: is a task worker and a scheduler alive (their heartbeats), which jobs wait in the queue too
    long without starting, which run now (issue 25: jobs showed "排队中 0/0" forever unnoticed)."""
    from django.conf import settings
    from django.utils import timezone

    from kechuang.core import joblease
    from kechuang.core.models import ProcessHeartbeat

    if not permissions.may_see_background_jobs(request.user):
        raise PermissionDenied
    now = timezone.now()
    stale = settings.WORKER_STALE_SECONDS
    processes = [
        {
            "beat": beat,
            "age": int((now - beat.beat_at).total_seconds()),
            "stale": (now - beat.beat_at).total_seconds() > stale,
        }
        for beat in ProcessHeartbeat.objects.order_by("kind", "name")
    ]
    context = {
        "processes": processes,
        "waiting": joblease.waiting(now=now),
        "running": Job.objects.filter(status=Job.Status.RUNNING)
        .select_related("created_by")
        .order_by("started_at"),
        "now": now,
    }
    return render(request, "core/background_jobs.html", context)


@login_required
def job_status(request, pk: int):
    job = get_object_or_404(Job, created_by=request.user, pk=pk)
    return render(
        request, "core/job_status.html#progress" if request.htmx else "core/job_status.html", {"job": job}
    )
