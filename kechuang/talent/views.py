from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.accounts.roles import Role
from kechuang.core import dates
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
from kechuang.talent import forms, permissions, selectors, services

TABS = [
    ("专家库", "talent:expert_list"),
    ("人才奖项", "talent:award_list"),
    ("外国专家", "talent:foreign_list"),
    ("引智需求", "talent:demand_list"),
    ("引智项目", "talent:project_list"),
    ("奖项推荐", "talent:nomination_list"),
]
FIRM_TABS = [("引智需求", "talent:demand_list")]


def _tabs(user):
    return FIRM_TABS if user.role == Role.ENTERPRISE else TABS


def _profile(e):
    return getattr(e, "talent_profile", None)


@login_required
def expert_list(request, export=False):
    require(permissions.experts, request.user, "export" if export else "view")
    form = forms.ExpertFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    names = selectors.field_names()
    cols = [
        Col("name", "姓名", lambda e: e.person.name, "person__name"),
        Col("employer", "工作单位", lambda e: e.employer.name if e.employer else "", "employer__name"),
        Col("title", "职称", lambda e: e.title),
        Col("fields", "领域", lambda e: "、".join(names.get(c, c) for c in e.fields)),
        Col("phone", "联系电话", lambda e: e.person.masked_phone),
        Col(
            "availability",
            "可对接",
            lambda e: _profile(e).get_availability_display() if _profile(e) else "可对接",
        ),
        Col("conflicts", "回避单位数", lambda e: e.conflict_count),
    ]
    return list_page(
        request,
        title="专家库",
        qs=selectors.experts_for(request.user, **{k: f.get(k, "") for k in ("q", "field", "availability")}),
        cols=cols,
        default_sort="name",
        tabs=TABS,
        form=form,
        detail="talent:expert_detail",
        export=export,
        export_name="专家库",
        note="专家库与项目评审共用；联系方式脱敏显示。",
    )


@login_required
def expert_detail(request, pk: int):
    e = get_object_or_404_for(
        permissions.experts, request.user, "view", qs=selectors.experts_for(request.user), pk=pk
    )
    may_change = permissions.experts.allows(request.user, "change", e)
    p = _profile(e)
    form = forms.ProfileForm(
        request.POST or None,
        initial={"expertise": p.expertise if p else "", "availability": p.availability if p else "available"},
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.profile_update(actor=request.user, expert=e, **form.cleaned_data)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "专家信息已更新。")
                return redirect("talent:expert_detail", pk=pk)
    names = selectors.field_names()
    return detail_page(
        request,
        title=e.person.name,
        subtitle=f"{e.employer or ''} {e.title}",
        tabs=TABS,
        fields=[
            ("类别", e.get_category_display()),
            ("领域", "、".join(names.get(c, c) for c in e.fields)),
            ("联系电话", e.person.masked_phone),
            ("研究方向与专长", p.expertise if p else ""),
            ("可对接", p.get_availability_display() if p else "可对接"),
        ],
        sections=[Section("回避单位", ["单位"], [("", [o.name]) for o in e.conflicts.all()], empty="无")],
        actions=[Action("维护专长与可对接状态", form, request.path)] if may_change else [],
    )


AWARD_COLS = [
    Col("person", "人才", lambda a: a.person.name, "person__name"),
    Col(
        "organisation", "企业", lambda a: a.organisation.name if a.organisation else "", "organisation__name"
    ),
    Col("programme", "人才工程/赛事", lambda a: a.programme_name, "programme_name"),
    Col("year", "年度", lambda a: a.year, "year"),
    Col("category", "类别", lambda a: a.category),
    Col("rank", "名次", lambda a: a.rank),
    Col("result", "结果", lambda a: a.get_result_display(), "result"),
]


@login_required
def award_list(request, export=False):
    require(permissions.awards, request.user, "export" if export else "view")
    form = forms.AwardFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    return list_page(
        request,
        title="人才奖项",
        qs=selectors.awards_for(
            request.user, q=f.get("q", ""), year=f.get("year"), result=f.get("result", "")
        ),
        cols=AWARD_COLS,
        default_sort="-year",
        tabs=_tabs(request.user),
        form=form,
        export=export,
        export_name="人才奖项",
        create_url=reverse("talent:award_create") if permissions.awards.may(request.user, "create") else "",
        create_label="登记奖项",
    )


@login_required
def award_create(request):
    require(permissions.awards, request.user, "create")
    form = forms.AwardForm(request.POST or None, organisations=org_policy.queryset(request.user, "view"))
    if request.method == "POST" and form.is_valid():
        try:
            services.award_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "人才奖项已登记。")
            return redirect("talent:award_list")
    return form_page(request, title="登记人才奖项", form=form, tabs=TABS)


@login_required
def foreign_list(request, export=False):
    require(permissions.foreign_experts, request.user, "export" if export else "view")
    cols = [
        Col("name", "姓名", lambda f: f.person.name, "person__name"),
        Col("nationality", "国籍", lambda f: f.person.nationality, "person__nationality"),
        Col("field", "专业领域", lambda f: f.field, "field"),
        Col("employer", "工作单位", lambda f: f.employer.name if f.employer else ""),
    ]
    qs = permissions.foreign_experts.queryset(request.user, "view").select_related("person", "employer")
    return list_page(
        request,
        title="外国专家",
        qs=qs,
        cols=cols,
        default_sort="name",
        tabs=TABS,
        export=export,
        export_name="外国专家",
    )


DEMAND_COLS = [
    Col("need", "需求内容", lambda d: d.need, "need"),
    Col("organisation", "需求企业", lambda d: d.organisation.name, "organisation__name"),
    Col("field", "专业领域", lambda d: d.field, "field"),
    Col("duration", "期限（月）", lambda d: d.duration_months, "duration_months"),
    Col("year", "年度", lambda d: d.year, "year"),
    Col("status", "状态", lambda d: d.get_status_display(), "status"),
    Col("expert", "匹配专家", lambda d: d.matched_expert.person.name if d.matched_expert else ""),
]


@login_required
def demand_list(request, export=False):
    require(permissions.demands, request.user, "export" if export else "view")
    form = forms.DemandFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    return list_page(
        request,
        title="外国专家需求（引智需求）",
        qs=selectors.demands_for(
            request.user, q=f.get("q", ""), year=f.get("year"), status=f.get("status", "")
        ),
        cols=DEMAND_COLS,
        default_sort="-year",
        tabs=_tabs(request.user),
        form=form,
        detail="talent:demand_detail",
        export=export,
        export_name="引智需求",
        create_url=reverse("talent:demand_create") if permissions.demands.allows_create(request.user) else "",
        create_label="填报需求",
    )


@login_required
def demand_create(request):
    user = request.user
    if not permissions.demands.allows_create(user):
        raise PermissionDenied
    firm = user.role == Role.ENTERPRISE
    form = (
        forms.DemandForm(request.POST or None)
        if firm
        else forms.StaffDemandForm(
            request.POST or None,
            organisations=org_policy.queryset(user, "view").filter(kind=Organisation.Kind.ENTERPRISE),
            initial={"year": dates.today().year},
        )
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = user.organisation if firm else data.pop("organisation")
        year = dates.today().year if firm else data.pop("year")
        try:
            d = services.demand_submit(actor=user, organisation=organisation, year=year, **data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "需求已提交。")
            return redirect("talent:demand_detail", pk=d.pk)
    return form_page(request, title="填报外国专家需求", form=form, tabs=_tabs(user))


@login_required
def demand_detail(request, pk: int):
    d = get_object_or_404_for(permissions.demands, request.user, "view", pk=pk)
    actions = []
    if permissions.demands.allows(request.user, "change", d):
        actions.append(
            Action(
                "修改需求",
                forms.DemandForm(
                    initial={"need": d.need, "field": d.field, "duration_months": d.duration_months}
                ),
                reverse("talent:demand_edit", args=[d.pk]),
            )
        )
        if request.user.role == Role.STAFF:
            actions.append(
                Action(
                    "变更对接状态",
                    _transition_form(request, None),
                    reverse("talent:demand_transition", args=[d.pk]),
                )
            )
    return detail_page(
        request,
        title=d.need,
        subtitle=f"{d.organisation.name} · {d.get_status_display()}",
        tabs=_tabs(request.user),
        fields=[
            ("专业领域", d.field),
            ("拟引进期限（月）", d.duration_months),
            ("征集年度", d.year),
            ("匹配专家", str(d.matched_expert) if d.matched_expert else ""),
        ],
        actions=actions,
    )


def _transition_form(request, data):
    return forms.DemandTransitionForm(
        data, experts=permissions.foreign_experts.queryset(request.user, "view")
    )


@login_required
@require_POST
def demand_edit(request, pk: int):
    d = get_object_or_404_for(permissions.demands, request.user, "change", pk=pk)
    form = forms.DemandForm(request.POST)
    if form.is_valid():
        try:
            services.demand_update(actor=request.user, demand=d, version=d.version, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "需求已修改。")
    else:
        messages.error(request, "请检查填写的内容。")
    return redirect("talent:demand_detail", pk=pk)


@login_required
@require_POST
def demand_transition(request, pk: int):
    d = get_object_or_404_for(permissions.demands, request.user, "change", pk=pk)
    form = _transition_form(request, request.POST)
    if form.is_valid():
        try:
            services.demand_transition(actor=request.user, demand=d, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "状态已变更。")
    return redirect("talent:demand_detail", pk=pk)


@login_required
def project_list(request, export=False):
    require(permissions.projects, request.user, "export" if export else "view")
    cols = [
        Col("title", "项目名称", lambda p: p.title, "title"),
        Col("organisation", "承担单位", lambda p: p.organisation.name, "organisation__name"),
        Col("expert", "外国专家", lambda p: str(p.expert) if p.expert else ""),
        Col("level", "级别", lambda p: p.get_level_display(), "level"),
        Col("year", "年度", lambda p: p.year, "year"),
        Col("status", "状态", lambda p: p.get_status_display(), "status"),
    ]
    qs = permissions.projects.queryset(request.user, "view").select_related("organisation", "expert__person")
    return list_page(
        request,
        title="外国专家项目",
        qs=qs,
        cols=cols,
        default_sort="-year",
        tabs=TABS,
        export=export,
        export_name="引智项目",
    )


@login_required
def nomination_list(request, export=False):
    require(permissions.nominations, request.user, "export" if export else "view")
    cols = [
        Col("person", "被推荐人", lambda n: n.person.name, "person__name"),
        Col("nationality", "国籍", lambda n: n.person.nationality),
        Col("organisation", "服务单位", lambda n: n.organisation.name if n.organisation else ""),
        Col("award", "奖项", lambda n: n.award, "award"),
        Col("year", "年度", lambda n: n.year, "year"),
        Col("status", "状态", lambda n: n.get_status_display(), "status"),
    ]
    qs = permissions.nominations.queryset(request.user, "view").select_related("person", "organisation")
    return list_page(
        request,
        title="奖项推荐",
        qs=qs,
        cols=cols,
        default_sort="-year",
        tabs=TABS,
        detail="talent:nomination_detail",
        export=export,
        export_name="奖项推荐",
    )


@login_required
def nomination_detail(request, pk: int):
    n = get_object_or_404_for(permissions.nominations, request.user, "view", pk=pk)
    form = forms.NominationTransitionForm(request.POST or None)
    if request.method == "POST":
        n = get_object_or_404_for(permissions.nominations, request.user, "change", pk=pk)
        if form.is_valid():
            try:
                services.nomination_transition(actor=request.user, nomination=n, to=form.cleaned_data["to"])
            except ValidationError as exc:
                form_error(form, exc)
            else:
                return redirect("talent:nomination_detail", pk=pk)
    may = permissions.nominations.allows(request.user, "change", n)
    return detail_page(
        request,
        title=str(n),
        subtitle=f"{n.year}年 · {n.get_status_display()}",
        tabs=TABS,
        fields=[("国籍", n.person.nationality), ("服务单位", n.organisation or ""), ("事迹摘要", n.note)],
        actions=[Action("变更推荐状态", form, request.path)] if may else [],
    )
