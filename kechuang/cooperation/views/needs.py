"""Technology needs, the match tables and matchmaking contacts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.cooperation import forms, permissions, selectors, services
from kechuang.cooperation.models import Contact
from kechuang.cooperation.views.common import TABS, _tabs
from kechuang.core.kit import (
    Action,
    Col,
    Section,
    detail_page,
    form_error,
    form_page,
    list_page,
    post_action,
    require,
)
from kechuang.core.models import Organisation
from kechuang.core.permissions import get_object_or_404_for, is_bureau_staff, is_firm_user
from kechuang.core.permissions import organisations as org_policy

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
    firm = is_firm_user(user)
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
    staff = is_bureau_staff(user) and permissions.needs.allows(user, "change", need)
    actions = []
    if permissions.needs.allows(user, "change", need):
        actions.append(
            Action(
                "修改需求", forms.NeedForm.for_edit(None, need), reverse("cooperation:need_edit", args=[pk])
            )
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
    return post_action(
        request,
        forms.NeedForm(request.POST, edit=True),
        lambda d: services.need_update(actor=request.user, need=need, **d),
        "需求已修改。",
        reverse("cooperation:need_detail", args=[pk]),
    )


@login_required
def contact_create(request, pk: int, kind: str, key: int):
    """GET shows nothing new (a link from the match table); the contact is recorded on POST only."""
    need = get_object_or_404_for(permissions.needs, request.user, "change", pk=pk)
    if not is_bureau_staff(request.user):
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
