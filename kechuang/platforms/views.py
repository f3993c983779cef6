from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import dates
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
    save_page,
)
from kechuang.core.models import Organisation
from kechuang.core.permissions import get_object_or_404_for
from kechuang.platforms import forms, permissions, selectors, services
from kechuang.platforms.models import Kind, Level, Membership

TABS = [("平台列表", "platforms:platform_list"), ("平台统计", "platforms:overview")]

COLS = [
    Col("name", "名称", lambda p: p.name, "name"),
    Col("kind", "类型", lambda p: p.get_kind_display(), "kind"),
    Col("level", "级别", lambda p: p.get_level_display(), "level"),
    Col("status", "状态", lambda p: p.get_status_display(), "status"),
    Col("operator", "运营单位", lambda p: p.operator.name, "operator__name"),
    Col("industry", "产业领域", lambda p: p.industry.name if p.industry else ""),
    Col("recognised_on", "认定日期", lambda p: p.recognised_on, "recognised_on"),
    Col("revoked_on", "撤销日期", lambda p: p.revoked_on, "revoked_on"),
]


@login_required
def platform_list(request, export=False):
    require(permissions.platforms, request.user, "export" if export else "view")
    form = forms.PlatformFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.platforms_for(request.user, **{k: f.get(k, "") for k in ("q", "kind", "level", "status")})
    return list_page(
        request,
        title="创新平台",
        qs=qs,
        cols=COLS,
        default_sort="kind",
        tabs=TABS,
        form=form,
        detail="platforms:platform_detail",
        export=export,
        export_name="创新平台",
        create_url=reverse("platforms:platform_create")
        if permissions.platforms.may(request.user, "create")
        else "",
        create_label="登记平台",
    )


def _region(user):
    if user.region_id is None:
        raise PermissionDenied
    return user.region


@login_required
def platform_create(request):
    require(permissions.platforms, request.user, "create")
    orgs = Organisation.objects.filter(is_active=True)
    form = forms.PlatformForm(request.POST or None, operators=orgs, partners=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            p = services.platform_create(
                actor=request.user, region=_region(request.user), **form.cleaned_data
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "平台已登记。")
            return redirect("platforms:platform_detail", pk=p.pk)
    return form_page(request, title="登记创新平台", form=form, tabs=TABS)


@login_required
def platform_edit(request, pk: int):
    p = _changeable(request, pk)
    form = forms.PlatformEditForm.for_edit(
        request.POST or None, p, organisations=Organisation.objects.filter(is_active=True)
    )
    return save_page(
        request,
        title=f"修改平台信息：{p.name}",
        form=form,
        save=lambda d: services.platform_update(actor=request.user, platform=p, **d),
        done=lambda p: reverse("platforms:platform_detail", args=[p.pk]),
        tabs=TABS,
        success="平台信息已修改。",
        note="级别、状态的变更请在平台详情页通过“变更级别”“变更状态”办理，以保留变更记录。",
    )


@login_required
def platform_detail(request, pk: int):
    p = get_object_or_404_for(
        permissions.platforms, request.user, "view", qs=selectors.platforms_for(request.user), pk=pk
    )
    may_change = permissions.platforms.allows(request.user, "change", p)
    members = p.memberships.select_related("organisation")
    actions = []
    if may_change:
        actions = [
            Action("变更状态", forms.TransitionForm(), reverse("platforms:platform_transition", args=[p.pk])),
            Action("变更级别", forms.LevelForm(), reverse("platforms:platform_level", args=[p.pk])),
            Action("添加成员单位", _member_form(None), reverse("platforms:member_add", args=[p.pk])),
            Action(
                "登记年度评估",
                forms.EvaluationForm(schema=services.schema_for(p.kind)),
                reverse("platforms:evaluation_add", args=[p.pk]),
            ),
            Action(
                "门户公开",
                forms.PublishForm(initial={"published": p.is_published}),
                reverse("platforms:platform_publish", args=[p.pk]),
            ),
        ]
    return detail_page(
        request,
        title=p.name,
        subtitle=f"{p.get_level_display()}{p.get_kind_display()} · {p.get_status_display()}",
        tabs=TABS,
        fields=[
            ("运营（依托）单位", p.operator.name),
            ("产业领域", p.industry.name if p.industry else ""),
            ("认定（备案）文件", p.recognition_document),
            ("认定（备案）日期", p.recognised_on),
            ("撤销日期", p.revoked_on),
            ("合作机构", "、".join(o.name for o in p.partners.all())),
            ("合作说明", p.partner_note),
            ("简介", p.description),
            ("门户公开", "是" if p.is_published else "否"),
        ],
        sections=[
            Section(
                "成员单位",
                ["单位", "角色", "加入日期", "退出日期"],
                [
                    ("", [m.organisation.name, m.get_role_display(), m.joined_on, m.left_on or ""])
                    for m in members
                ],
            ),
            Section(
                "状态与级别变更",
                ["日期", "变更项", "原值", "新值", "文件", "说明"],
                [
                    (
                        "",
                        [
                            c.on,
                            "级别" if c.field == "level" else "状态",
                            c.get_from_status_display(),
                            c.get_to_status_display(),
                            c.document,
                            c.reason,
                        ],
                    )
                    for c in p.status_changes.all()
                ],
            ),
            Section(
                "年度评估",
                ["年度", "结果", "数据"],
                [
                    ("", [e.year, e.get_grade_display(), "；".join(f"{k}={v}" for k, v in e.data.items())])
                    for e in p.evaluations.all()
                ],
            ),
        ],
        actions=actions,
        links=[("修改平台信息", reverse("platforms:platform_edit", args=[p.pk]))] if may_change else [],
    )


def _member_form(data):
    return forms.MemberForm(data, organisations=Organisation.objects.filter(is_active=True))


def _changeable(request, pk):
    return get_object_or_404_for(permissions.platforms, request.user, "change", pk=pk)


def _post(request, pk, form, call, success):
    return post_action(
        request, form, lambda d: call(form), success, reverse("platforms:platform_detail", args=[pk])
    )


@login_required
@require_POST
def platform_transition(request, pk: int):
    p = _changeable(request, pk)
    return _post(
        request,
        pk,
        forms.TransitionForm(request.POST),
        lambda f: services.platform_transition(actor=request.user, platform=p, **f.cleaned_data),
        "状态已变更。",
    )


@login_required
@require_POST
def platform_level(request, pk: int):
    p = _changeable(request, pk)
    return _post(
        request,
        pk,
        forms.LevelForm(request.POST),
        lambda f: services.platform_set_level(actor=request.user, platform=p, **f.cleaned_data),
        "级别已变更。",
    )


@login_required
@require_POST
def platform_publish(request, pk: int):
    p = _changeable(request, pk)
    return _post(
        request,
        pk,
        forms.PublishForm(request.POST),
        lambda f: services.platform_publish(
            actor=request.user, platform=p, published=f.cleaned_data["published"]
        ),
        "已保存。",
    )


@login_required
@require_POST
def member_add(request, pk: int):
    p = _changeable(request, pk)
    return _post(
        request,
        pk,
        _member_form(request.POST),
        lambda f: services.member_add(actor=request.user, platform=p, **f.cleaned_data),
        "成员单位已添加。",
    )


@login_required
@require_POST
def member_leave(request, pk: int):
    m = Membership.objects.filter(pk=pk).first()
    p = _changeable(request, m.platform_id if m else 0)
    services.member_leave(actor=request.user, membership=m, left_on=dates.today())
    return redirect("platforms:platform_detail", pk=p.pk)


@login_required
@require_POST
def evaluation_add(request, pk: int):
    p = _changeable(request, pk)
    form = forms.EvaluationForm(request.POST, schema=services.schema_for(p.kind))
    return _post(
        request,
        pk,
        form,
        lambda f: services.evaluation_record(
            actor=request.user,
            platform=p,
            year=f.cleaned_data["year"],
            grade=f.cleaned_data["grade"],
            data=f.data_values(),
        ),
        "评估已登记。",
    )


@login_required
def overview(request):
    require(permissions.platforms, request.user, "view")
    if request.user.region_id is None:
        raise PermissionDenied
    form = forms_day(request)
    day = form.cleaned_data.get("day") if form.is_valid() and form.cleaned_data.get("day") else dates.today()
    counts = selectors.counts_by_kind_level(request.user.region, day)
    kinds = dict(Kind.choices)
    grid = {}
    for row in counts:
        grid.setdefault(row["kind"], {})[row["level"]] = row["n"]
    table = [
        (kinds[k], [grid.get(k, {}).get(lv, 0) for lv in Level.values], sum(grid.get(k, {}).values()))
        for k in Kind.values
    ]
    members = selectors.memberships_on(request.user.region, day).count()
    return render(
        request,
        "platforms/overview.html",
        {
            "form": form,
            "day": day,
            "levels": Level.labels,
            "table": table,
            "members": members,
            "tabs": [(label, reverse(name)) for label, name in TABS],
        },
    )


def forms_day(request):
    from django import forms as djforms

    class DayForm(djforms.Form):
        day = djforms.DateField(
            label="统计日期", required=False, widget=djforms.DateInput(forms.DATE, format="%Y-%m-%d")
        )

    return DayForm(request.GET or None)


def public_list(request):
    form = forms.PublicFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    cols = [c for c in COLS if c.key in ("name", "kind", "level", "operator", "recognised_on")]
    return list_page(
        request,
        title="创新平台名录",
        qs=selectors.published_platforms(kind=kind),
        cols=cols,
        default_sort="kind",
        form=form,
        detail="platforms:public_detail",
    )


def public_detail(request, pk: int):
    p = get_object_or_404_for(permissions.public_platforms, request.user, "view", pk=pk)
    return detail_page(
        request,
        title=p.name,
        subtitle=f"{p.get_level_display()}{p.get_kind_display()}",
        fields=[
            ("运营单位", p.operator.name),
            ("认定（备案）日期", p.recognised_on),
            ("简介", p.description),
        ],
    )
