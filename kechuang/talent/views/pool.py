"""The expert pool (shared with programmes) and talent awards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from kechuang.core.kit import (
    Action,
    Col,
    Section,
    detail_page,
    form_error,
    list_page,
    require,
    save_page,
)
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.permissions import organisations as org_policy
from kechuang.talent import forms, permissions, selectors, services
from kechuang.talent.views.common import TABS, _tabs


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
        detail="talent:award_edit" if permissions.awards.may(request.user, "change") else None,
        export=export,
        export_name="人才奖项",
        create_url=reverse("talent:award_create") if permissions.awards.may(request.user, "create") else "",
        create_label="登记奖项",
    )


def _award_form(request, data, award=None):
    kwargs = {
        "organisations": org_policy.queryset(request.user, "view"),
        "people": selectors.people_for(request.user),
    }
    if award is None:
        return forms.AwardForm(data, **kwargs)
    return forms.AwardEditForm.for_edit(data, award, **kwargs)


@login_required
def award_create(request):
    require(permissions.awards, request.user, "create")
    return save_page(
        request,
        title="登记人才奖项",
        form=_award_form(request, request.POST or None),
        save=lambda d: services.award_record(actor=request.user, **d),
        done=lambda a: "talent:award_list",
        tabs=TABS,
        success="人才奖项已登记。",
    )


@login_required
def award_edit(request, pk: int):
    award = get_object_or_404_for(permissions.awards, request.user, "change", pk=pk)
    return save_page(
        request,
        title=f"修改人才奖项：{award}",
        form=_award_form(request, request.POST or None, award),
        save=lambda d: services.award_update(actor=request.user, award=award, **d),
        done=lambda a: "talent:award_list",
        tabs=TABS,
        success="人才奖项已修改。",
    )
