"""Achievements on offer, 产学研 agreements, expected transfers and 校城融合 projects: lists (filterable,
exportable), create/edit pages and details."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from kechuang.cooperation import forms, permissions, selectors, services
from kechuang.cooperation.views.common import TABS, _tabs, create_url, filters, region_of
from kechuang.core.kit import Action, Col, detail_page, form_error, list_page, require, save_page
from kechuang.core.models import Organisation
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.permissions import organisations as org_policy


def _list(request, policy, *, title, qs, cols, sort, form, detail, export, create=""):
    require(policy, request.user, "export" if export else "view")
    return list_page(
        request,
        title=title,
        qs=qs,
        cols=cols,
        default_sort=sort,
        tabs=_tabs(request.user),
        form=form,
        detail=detail,
        export=export,
        export_name=title,
        create_url=create_url(policy, request.user, create) if create else "",
        create_label="登记",
    )


def _edit_link(policy, request, obj, name):
    return [("修改", reverse(name, args=[obj.pk]))] if policy.allows(request.user, "change", obj) else []


def _firms(user):
    return org_policy.queryset(user, "view").filter(kind=Organisation.Kind.ENTERPRISE, is_active=True)


def _institutes():
    return Organisation.objects.filter(kind__in=services.PARTNER_KINDS, is_active=True)


# 可转化成果 -----------------------------------------------------------------------------------------

OFFERED_COLS = [
    Col("title", "成果名称", lambda o: o.title, "title"),
    Col("institute", "成果单位", lambda o: o.institute.name, "institute__name"),
    Col("field", "领域", lambda o: o.field_code),
    Col("maturity", "成熟度", lambda o: o.get_maturity_display(), "maturity"),
]


@login_required
def offered_list(request, export=False):
    form = forms.OfferedFilterForm(request.GET or None)
    return _list(
        request,
        permissions.offered,
        title="可转化科技成果",
        qs=selectors.offered_for(request.user, **filters(form, ("q", "maturity"))),
        cols=OFFERED_COLS,
        sort="title",
        form=form,
        detail="cooperation:offered_detail",
        export=export,
        create="cooperation:offered_create",
    )


def _offered_form(data, obj=None):
    if obj is None:
        return forms.OfferedForm(data, institutes=_institutes())
    return forms.OfferedForm.for_edit(data, obj, institutes=_institutes())


def _offered_done(o):
    return reverse("cooperation:offered_detail", args=[o.pk])


@login_required
def offered_create(request):
    require(permissions.offered, request.user, "create")
    return save_page(
        request,
        title="登记可转化成果",
        form=_offered_form(request.POST or None),
        save=lambda d: services.offered_publish(actor=request.user, region=region_of(request.user), **d),
        done=_offered_done,
        tabs=TABS,
        success="成果已登记。",
    )


@login_required
def offered_edit(request, pk: int):
    o = get_object_or_404_for(permissions.offered, request.user, "change", pk=pk)
    return save_page(
        request,
        title=f"修改可转化成果：{o.title}",
        form=_offered_form(request.POST or None, o),
        save=lambda d: services.offered_update(actor=request.user, offered=o, **d),
        done=_offered_done,
        tabs=TABS,
        success="成果已修改。",
    )


@login_required
def offered_detail(request, pk: int):
    o = get_object_or_404_for(permissions.offered, request.user, "view", pk=pk)
    return detail_page(
        request,
        title=o.title,
        subtitle=f"{o.institute.name} · {o.get_maturity_display()}",
        tabs=_tabs(request.user),
        links=_edit_link(permissions.offered, request, o, "cooperation:offered_edit"),
        fields=[
            ("成果简介", o.description),
            ("技术领域", o.field_code),
            ("公开发布", "是" if o.is_published else "否"),
        ],
    )


# 产学研合作协议 -------------------------------------------------------------------------------------

AGREEMENT_COLS = [
    Col("subject", "协议内容", lambda a: a.subject, "subject"),
    Col("firm", "企业", lambda a: a.firm.name, "firm__name"),
    Col("partner", "合作方", lambda a: a.partner.name, "partner__name"),
    Col("signed_on", "签订日期", lambda a: a.signed_on, "signed_on"),
    Col("amount", "金额（元）", lambda a: a.amount, "amount"),
    Col("event", "活动", lambda a: a.event.name if a.event else ""),
]


@login_required
def agreement_list(request, export=False):
    form = forms.TextYearFilterForm(request.GET or None)
    return _list(
        request,
        permissions.agreements,
        title="产学研合作协议",
        qs=selectors.agreements_for(request.user, **filters(form, ("q", "year"))),
        cols=AGREEMENT_COLS,
        sort="-signed_on",
        form=form,
        detail="cooperation:agreement_detail",
        export=export,
        create="cooperation:agreement_create",
    )


def _agreement_form(request, data, obj=None):
    kwargs = {
        "firms": _firms(request.user),
        "partners": Organisation.objects.filter(is_active=True).exclude(kind=Organisation.Kind.GOVERNMENT),
        "events": permissions.events.queryset(request.user, "change"),
    }
    if obj is None:
        return forms.AgreementForm(data, **kwargs)
    return forms.AgreementForm.for_edit(data, obj, **kwargs)


def _agreement_done(a):
    return reverse("cooperation:agreement_detail", args=[a.pk])


@login_required
def agreement_create(request):
    require(permissions.agreements, request.user, "create")
    return save_page(
        request,
        title="登记产学研合作协议",
        form=_agreement_form(request, request.POST or None),
        save=lambda d: services.agreement_sign(actor=request.user, **d),
        done=_agreement_done,
        tabs=TABS,
        success="协议已登记。",
    )


@login_required
def agreement_edit(request, pk: int):
    a = get_object_or_404_for(permissions.agreements, request.user, "change", pk=pk)
    return save_page(
        request,
        title=f"修改合作协议：{a.subject}",
        form=_agreement_form(request, request.POST or None, a),
        save=lambda d: services.agreement_update(actor=request.user, agreement=a, **d),
        done=_agreement_done,
        tabs=TABS,
        success="协议已修改。",
    )


@login_required
def agreement_detail(request, pk: int):
    a = get_object_or_404_for(permissions.agreements, request.user, "view", pk=pk)
    return detail_page(
        request,
        title=a.subject,
        subtitle=f"{a.firm.name} × {a.partner.name} · {a.signed_on}",
        tabs=_tabs(request.user),
        links=_edit_link(permissions.agreements, request, a, "cooperation:agreement_edit"),
        fields=[("合同金额（元）", a.amount), ("签约活动", a.event or ""), ("来源对接", a.contact or "")],
    )


# 预期成果转化 ---------------------------------------------------------------------------------------

TRANSFER_COLS = [
    Col("title", "成果", lambda t: t.title, "title"),
    Col("firm", "承接企业", lambda t: t.firm.name, "firm__name"),
    Col("expected_by", "预期落地", lambda t: t.expected_by, "expected_by"),
    Col("status", "状态", lambda t: t.get_status_display(), "status"),
    Col("landed_on", "落地日期", lambda t: t.landed_on, "landed_on"),
]


@login_required
def transfer_list(request, export=False):
    form = forms.TransferFilterForm(request.GET or None)
    return _list(
        request,
        permissions.transfers,
        title="预期成果转化",
        qs=selectors.transfers_for(request.user, **filters(form, ("q", "status"))),
        cols=TRANSFER_COLS,
        sort="expected_by",
        form=form,
        detail="cooperation:transfer_detail",
        export=export,
        create="cooperation:transfer_create",
    )


def _transfer_form(request, data, obj=None):
    user = request.user
    kwargs = {
        "firms": _firms(user),
        "agreements": permissions.agreements.queryset(user, "change"),
        "events": permissions.events.queryset(user, "change"),
        "offered": permissions.offered.queryset(user, "view"),
    }
    if obj is None:
        return forms.TransferEditForm(data, **kwargs)
    return forms.TransferEditForm.for_edit(data, obj, **kwargs)


def _transfer_done(t):
    return reverse("cooperation:transfer_detail", args=[t.pk])


@login_required
def transfer_create(request):
    require(permissions.transfers, request.user, "create")
    return save_page(
        request,
        title="登记预期转化成果",
        form=_transfer_form(request, request.POST or None),
        save=lambda d: services.transfer_expect(actor=request.user, **d),
        done=_transfer_done,
        tabs=TABS,
        success="预期转化已登记。",
    )


@login_required
def transfer_edit(request, pk: int):
    t = get_object_or_404_for(permissions.transfers, request.user, "change", pk=pk)
    return save_page(
        request,
        title=f"修改预期转化：{t.title}",
        form=_transfer_form(request, request.POST or None, t),
        save=lambda d: services.transfer_update(actor=request.user, transfer=t, **d),
        done=_transfer_done,
        tabs=TABS,
        success="已修改。",
    )


@login_required
def transfer_detail(request, pk: int):
    t = get_object_or_404_for(permissions.transfers, request.user, "view", pk=pk)
    may = permissions.transfers.allows(request.user, "change", t)
    form = forms.TransferForm(request.POST or None)
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.transfer_transition(actor=request.user, transfer=t, **form.cleaned_data)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                return redirect("cooperation:transfer_detail", pk=pk)
    return detail_page(
        request,
        title=t.title,
        subtitle=f"{t.firm.name} · {t.get_status_display()}",
        tabs=_tabs(request.user),
        links=_edit_link(permissions.transfers, request, t, "cooperation:transfer_edit"),
        fields=[
            ("预期落地", t.expected_by),
            ("落地日期", t.landed_on),
            ("协议", t.agreement or ""),
            ("来源活动", t.event or ""),
            ("说明", t.note),
        ],
        actions=[Action("跟踪转化状态", form, request.path)] if may else [],
    )


# 校城融合项目 ---------------------------------------------------------------------------------------

PROJECT_COLS = [
    Col("title", "项目名称", lambda p: p.title, "title"),
    Col("organisation", "承担企业", lambda p: p.organisation.name, "organisation__name"),
    Col("partner", "合作高校院所", lambda p: p.partner.name, "partner__name"),
    Col("in_city", "市内/市外", lambda p: "市内" if p.partner.in_city else "市外"),
    Col("year", "年度", lambda p: p.year, "year"),
    Col("amount", "扶持资金（元）", lambda p: p.amount, "amount"),
    Col("status", "状态", lambda p: p.get_status_display(), "status"),
]


@login_required
def project_list(request, export=False):
    form = forms.ProjectFilterForm(request.GET or None)
    return _list(
        request,
        permissions.projects,
        title="校城融合项目",
        qs=selectors.projects_for(request.user, **filters(form, ("q", "year", "status"))),
        cols=PROJECT_COLS,
        sort="-year",
        form=form,
        detail="cooperation:project_detail",
        export=export,
        create="cooperation:project_create",
    )


def _project_form(request, data, obj=None):
    kwargs = {"firms": _firms(request.user), "partners": _institutes()}
    if obj is None:
        return forms.ProjectForm(data, **kwargs)
    return forms.ProjectForm.for_edit(data, obj, **kwargs)


def _project_done(p):
    return reverse("cooperation:project_detail", args=[p.pk])


@login_required
def project_create(request):
    require(permissions.projects, request.user, "create")
    return save_page(
        request,
        title="登记校城融合项目",
        form=_project_form(request, request.POST or None),
        save=lambda d: services.project_record(actor=request.user, **d),
        done=_project_done,
        tabs=TABS,
        success="项目已登记。",
    )


@login_required
def project_edit(request, pk: int):
    p = get_object_or_404_for(permissions.projects, request.user, "change", pk=pk)
    return save_page(
        request,
        title=f"修改校城融合项目：{p.title}",
        form=_project_form(request, request.POST or None, p),
        save=lambda d: services.project_update(actor=request.user, project=p, **d),
        done=_project_done,
        tabs=TABS,
        success="项目已修改。",
    )


@login_required
def project_detail(request, pk: int):
    p = get_object_or_404_for(permissions.projects, request.user, "view", pk=pk)
    return detail_page(
        request,
        title=p.title,
        subtitle=f"{p.year}年 · {p.get_status_display()}",
        tabs=_tabs(request.user),
        links=_edit_link(permissions.projects, request, p, "cooperation:project_edit"),
        fields=[
            ("承担企业", p.organisation.name),
            ("合作高校院所", f"{p.partner.name}（{'市内' if p.partner.in_city else '市外'}）"),
            ("扶持资金（元）", p.amount),
        ],
    )
