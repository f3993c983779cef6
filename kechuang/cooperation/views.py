from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.accounts.roles import Role
from kechuang.cooperation import forms, permissions, selectors, services
from kechuang.cooperation.models import Contact
from kechuang.core.models import Organisation
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.permissions import organisations as org_policy
from kechuang.platforms.kit import (
    Action,
    Col,
    Section,
    detail_page,
    form_error,
    form_page,
    list_page,
    require,
)

TABS = [
    ("技术需求", "cooperation:need_list"),
    ("可转化成果", "cooperation:offered_list"),
    ("对接记录", "cooperation:contact_list"),
    ("合作协议", "cooperation:agreement_list"),
    ("预期转化", "cooperation:transfer_list"),
    ("科技活动", "cooperation:event_list"),
    ("校城融合项目", "cooperation:project_list"),
]
FIRM_TABS = [
    ("我的技术需求", "cooperation:need_list"),
    ("对接记录", "cooperation:contact_list"),
    ("合作协议", "cooperation:agreement_list"),
]


def _tabs(user):
    return FIRM_TABS if user.role == Role.ENTERPRISE else TABS


NEED_COLS = [
    Col("title", "需求名称", lambda n: n.title, "title"),
    Col("organisation", "企业", lambda n: n.organisation.name, "organisation__name"),
    Col("field", "领域", lambda n: n.field_code),
    Col("status", "状态", lambda n: n.get_status_display(), "status"),
    Col("created", "发布时间", lambda n: n.created_at, "created_at"),
]


@login_required
def need_list(request, export=False):
    require(permissions.needs, request.user, "export" if export else "view")
    form = forms.NeedFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    return list_page(
        request,
        title="技术需求",
        qs=selectors.needs_for(request.user, q=f.get("q", ""), status=f.get("status", "")),
        cols=NEED_COLS,
        default_sort="-created",
        tabs=_tabs(request.user),
        form=form,
        detail="cooperation:need_detail",
        export=export,
        export_name="技术需求",
        create_url=reverse("cooperation:need_create")
        if permissions.needs.allows_create(request.user)
        else "",
        create_label="发布需求",
    )


@login_required
def need_create(request):
    user = request.user
    if not permissions.needs.allows_create(user):
        raise PermissionDenied
    firm = user.role == Role.ENTERPRISE
    form = (
        forms.NeedForm(request.POST or None)
        if firm
        else forms.StaffNeedForm(
            request.POST or None,
            organisations=org_policy.queryset(user, "view").filter(kind=Organisation.Kind.ENTERPRISE),
        )
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = user.organisation if firm else data.pop("organisation")
        try:
            need = services.need_post(actor=user, organisation=organisation, **data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "技术需求已发布。")
            return redirect("cooperation:need_detail", pk=need.pk)
    return form_page(request, title="发布技术需求", form=form, tabs=_tabs(user))


def _match_rows(matches, kind, need):
    return [
        (
            reverse("cooperation:contact_create", args=[need.pk, kind, m.key]),
            [m.label, f"{m.score:.2f}", "；".join(m.reasons)],
        )
        for m in matches
    ]


@login_required
def need_detail(request, pk: int):
    need = get_object_or_404_for(permissions.needs, request.user, "view", pk=pk)
    user = request.user
    staff = user.role == Role.STAFF and permissions.needs.allows(user, "change", need)
    actions = []
    if permissions.needs.allows(user, "change", need):
        initial = {k: getattr(need, k) for k in ("title", "description", "field_code", "is_published")}
        actions.append(
            Action("修改需求", forms.NeedForm(initial=initial), reverse("cooperation:need_edit", args=[pk]))
        )
    sections = [
        Section(
            "对接记录",
            ["对象", "状态", "匹配依据", "结果"],
            [
                (
                    reverse("cooperation:contact_detail", args=[c.pk]),
                    [
                        str(c.expert or c.offered),
                        c.get_status_display(),
                        "；".join(c.explanation.get("reasons", [])),
                        c.outcome,
                    ],
                )
                for c in selectors.contacts_for(user).filter(need=need)
            ],
        )
    ]
    if staff:
        sections += [
            Section(
                "专家匹配（按匹配分排序）",
                ["专家（点击记录对接）", "匹配分", "匹配依据"],
                _match_rows(selectors.match_experts(need), "expert", need),
                empty="没有可匹配的专家",
            ),
            Section(
                "成果匹配",
                ["成果（点击记录对接）", "匹配分", "匹配依据"],
                _match_rows(selectors.match_offered(need), "offered", need),
                empty="没有可匹配的成果",
            ),
        ]
    return detail_page(
        request,
        title=need.title,
        subtitle=f"{need.organisation.name} · {need.get_status_display()}",
        tabs=_tabs(user),
        fields=[
            ("需求描述", need.description),
            ("技术领域", need.field_code),
            ("公开发布", "是" if need.is_published else "否"),
        ],
        sections=sections,
        actions=actions,
    )


@login_required
@require_POST
def need_edit(request, pk: int):
    need = get_object_or_404_for(permissions.needs, request.user, "change", pk=pk)
    form = forms.NeedForm(request.POST)
    if form.is_valid():
        try:
            services.need_update(actor=request.user, need=need, version=need.version, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "需求已修改。")
    else:
        messages.error(request, "请检查填写的内容。")
    return redirect("cooperation:need_detail", pk=pk)


@login_required
def contact_create(request, pk: int, kind: str, key: int):
    """GET shows nothing new (a link from the match table); the contact is recorded on POST only."""
    need = get_object_or_404_for(permissions.needs, request.user, "change", pk=pk)
    if request.user.role != Role.STAFF:
        raise PermissionDenied
    if request.method == "POST":
        target = {}
        if kind == "expert":
            target["expert"] = get_object_or_404_for(
                permissions.matchable_experts, request.user, "view", pk=key
            )
        else:
            target["offered"] = get_object_or_404_for(permissions.offered, request.user, "view", pk=key)
        try:
            services.contact_record(actor=request.user, need=need, **target)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已记录对接。")
        return redirect("cooperation:need_detail", pk=pk)
    return form_page(
        request,
        title="确认推荐对接",
        form=forms.forms.Form(),
        tabs=TABS,
        note=f"为“{need.title}”记录与所选{'专家' if kind == 'expert' else '成果'}的对接（匹配依据将一并保存）。",
    )


CONTACT_COLS = [
    Col("need", "技术需求", lambda c: c.need.title, "need__title"),
    Col("firm", "企业", lambda c: c.need.organisation.name),
    Col("target", "对接对象", lambda c: str(c.expert.person.name if c.expert else c.offered.title)),
    Col("score", "匹配分", lambda c: round(c.score, 2), "score"),
    Col("status", "状态", lambda c: c.get_status_display(), "status"),
    Col("outcome", "结果", lambda c: c.outcome),
]


@login_required
def contact_list(request, export=False):
    require(permissions.contacts, request.user, "export" if export else "view")
    form = forms.StatusFilterForm(request.GET or None, choices=Contact.Status.choices)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    return list_page(
        request,
        title="对接记录",
        qs=selectors.contacts_for(request.user, status=status),
        cols=CONTACT_COLS,
        default_sort="-score",
        tabs=_tabs(request.user),
        form=form,
        detail="cooperation:contact_detail",
        export=export,
        export_name="对接记录",
    )


@login_required
def contact_detail(request, pk: int):
    c = get_object_or_404_for(
        permissions.contacts, request.user, "view", qs=selectors.contacts_for(request.user), pk=pk
    )
    may = permissions.contacts.allows(request.user, "change", c)
    form = forms.ContactOutcomeForm(request.POST or None)
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.contact_outcome(actor=request.user, contact=c, **form.cleaned_data)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                return redirect("cooperation:contact_detail", pk=pk)
    return detail_page(
        request,
        title=str(c),
        subtitle=c.get_status_display(),
        tabs=_tabs(request.user),
        fields=[
            ("匹配分", round(c.score, 2)),
            ("匹配依据", "；".join(c.explanation.get("reasons", []))),
            ("对接日期", c.contacted_on),
            ("对接结果", c.outcome),
        ],
        actions=[Action("登记对接结果", form, request.path)] if may else [],
    )


def _simple_list(policy, title, qs, cols, sort, export, request, detail=None, create=""):
    require(policy, request.user, "export" if export else "view")
    return list_page(
        request,
        title=title,
        qs=qs,
        cols=cols,
        default_sort=sort,
        tabs=_tabs(request.user),
        detail=detail,
        export=export,
        export_name=title,
        create_url=create,
        create_label="登记",
    )


@login_required
def offered_list(request, export=False):
    cols = [
        Col("title", "成果名称", lambda o: o.title, "title"),
        Col("institute", "成果单位", lambda o: o.institute.name, "institute__name"),
        Col("field", "领域", lambda o: o.field_code),
        Col("maturity", "成熟度", lambda o: o.get_maturity_display(), "maturity"),
    ]
    qs = permissions.offered.queryset(request.user, "view").select_related("institute")
    create = reverse("cooperation:offered_create") if permissions.offered.may(request.user, "create") else ""
    return _simple_list(
        permissions.offered, "可转化科技成果", qs, cols, "title", export, request, create=create
    )


@login_required
def offered_create(request):
    require(permissions.offered, request.user, "create")
    institutes = Organisation.objects.filter(kind__in=services.PARTNER_KINDS, is_active=True)
    form = forms.OfferedForm(request.POST or None, institutes=institutes)
    if request.method == "POST" and form.is_valid():
        try:
            services.offered_publish(actor=request.user, region=request.user.region, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            return redirect("cooperation:offered_list")
    return form_page(request, title="登记可转化成果", form=form, tabs=TABS)


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
    qs = permissions.agreements.queryset(request.user, "view").select_related("firm", "partner", "event")
    create = (
        reverse("cooperation:agreement_create") if permissions.agreements.may(request.user, "create") else ""
    )
    return _simple_list(
        permissions.agreements,
        "产学研合作协议",
        qs,
        AGREEMENT_COLS,
        "-signed_on",
        export,
        request,
        create=create,
    )


@login_required
def agreement_create(request):
    require(permissions.agreements, request.user, "create")
    firms = org_policy.queryset(request.user, "view").filter(kind=Organisation.Kind.ENTERPRISE)
    partners = Organisation.objects.filter(is_active=True).exclude(kind=Organisation.Kind.GOVERNMENT)
    form = forms.AgreementForm(request.POST or None, firms=firms, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            return redirect("cooperation:agreement_list")
    return form_page(request, title="登记产学研合作协议", form=form, tabs=TABS)


@login_required
def transfer_list(request, export=False):
    cols = [
        Col("title", "成果", lambda t: t.title, "title"),
        Col("firm", "承接企业", lambda t: t.firm.name, "firm__name"),
        Col("expected_by", "预期落地", lambda t: t.expected_by, "expected_by"),
        Col("status", "状态", lambda t: t.get_status_display(), "status"),
        Col("landed_on", "落地日期", lambda t: t.landed_on, "landed_on"),
    ]
    qs = permissions.transfers.queryset(request.user, "view").select_related("firm")
    return _simple_list(
        permissions.transfers,
        "预期成果转化",
        qs,
        cols,
        "expected_by",
        export,
        request,
        "cooperation:transfer_detail",
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
        fields=[
            ("预期落地", t.expected_by),
            ("落地日期", t.landed_on),
            ("协议", t.agreement or ""),
            ("说明", t.note),
        ],
        actions=[Action("跟踪转化状态", form, request.path)] if may else [],
    )


@login_required
def event_list(request, export=False):
    cols = [
        Col("name", "活动", lambda e: e.name, "name"),
        Col("starts_on", "开始", lambda e: e.starts_on, "starts_on"),
        Col("ends_on", "结束", lambda e: e.ends_on),
        Col("place", "地点", lambda e: e.place),
    ]
    qs = permissions.events.queryset(request.user, "view")
    return _simple_list(
        permissions.events, "科技活动", qs, cols, "-starts_on", export, request, "cooperation:event_detail"
    )


@login_required
def event_detail(request, pk: int):
    e = get_object_or_404_for(permissions.events, request.user, "view", pk=pk)
    agreements = e.agreements.select_related("firm", "partner")
    return detail_page(
        request,
        title=e.name,
        subtitle=f"{e.starts_on} — {e.ends_on} · {e.place}",
        tabs=TABS,
        fields=[
            ("活动概况", e.summary),
            ("活动成果", e.outcomes),
            ("参加专家", f"{e.experts.count()}名"),
            ("参加企业", f"{e.firms.count()}家"),
            ("签订协议", f"{agreements.count()}个"),
            ("预期转化成果", f"{e.transfers.count()}项"),
        ],
        sections=[
            Section(
                "议程",
                ["日期", "类型", "内容", "地点"],
                [("", [a.day, a.get_kind_display(), a.title, a.place]) for a in e.activities.all()],
            ),
            Section(
                "参加专家",
                ["专家", "单位"],
                [
                    ("", [x.person.name, x.employer.name if x.employer else ""])
                    for x in e.experts.select_related("person", "employer")
                ],
            ),
            Section(
                "一对一科技问诊",
                ["企业", "专家", "问题", "建议"],
                [
                    ("", [c.organisation.name, c.expert.person.name, c.topic, c.advice])
                    for c in e.consultations.select_related("organisation", "expert__person")
                ],
            ),
            Section(
                "签订协议",
                ["协议", "企业", "合作方", "日期"],
                [("", [a.subject, a.firm.name, a.partner.name, a.signed_on]) for a in agreements],
            ),
        ],
    )


@login_required
def project_list(request, export=False):
    cols = [
        Col("title", "项目名称", lambda p: p.title, "title"),
        Col("organisation", "承担企业", lambda p: p.organisation.name, "organisation__name"),
        Col("partner", "合作高校院所", lambda p: p.partner.name, "partner__name"),
        Col("in_city", "市内/市外", lambda p: "市内" if p.partner.in_city else "市外"),
        Col("year", "年度", lambda p: p.year, "year"),
        Col("amount", "扶持资金（元）", lambda p: p.amount, "amount"),
        Col("status", "状态", lambda p: p.get_status_display(), "status"),
    ]
    qs = permissions.projects.queryset(request.user, "view").select_related("organisation", "partner")
    return _simple_list(permissions.projects, "校城融合项目", qs, cols, "-year", export, request)
