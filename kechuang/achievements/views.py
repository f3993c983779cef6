from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from kechuang.achievements import forms, permissions, selectors, services
from kechuang.core import dates
from kechuang.core.kit import (
    Col,
    Section,
    detail_page,
    form_error,
    form_page,
    list_page,
    require,
    save_page,
)
from kechuang.core.models import Organisation
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.permissions import organisations as org_policy

TABS = [("科技成果", "achievements:achievement_list"), ("科技奖励", "achievements:award_list")]

ACH_COLS = [
    Col("title", "成果名称", lambda a: a.title, "title"),
    Col("organisation", "完成单位", lambda a: a.organisation.name, "organisation__name"),
    Col("level", "级别", lambda a: a.get_level_display(), "level"),
    Col("year", "年度", lambda a: a.year, "year"),
    Col("project", "所属项目", lambda a: a.project_name),
    Col("published", "公开", lambda a: "是" if a.is_published else "否"),
]
AWARD_COLS = [
    Col("name", "奖项", lambda a: a.name, "name"),
    Col("organisation", "获奖单位", lambda a: a.organisation.name, "organisation__name"),
    Col("level", "级别", lambda a: a.get_level_display(), "level"),
    Col("grade", "等级", lambda a: a.get_grade_display(), "grade"),
    Col("year", "年度", lambda a: a.year, "year"),
    Col("project", "获奖项目", lambda a: a.project_name),
]


def _filters(request):
    form = forms.FilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    return form, {"q": f.get("q", ""), "level": f.get("level", ""), "year": f.get("year")}


@login_required
def achievement_list(request, export=False):
    require(permissions.achievements, request.user, "export" if export else "view")
    form, f = _filters(request)
    note = ""
    if request.user.region_id and f["year"]:
        note = f"{f['year']}年：{selectors.sentence(request.user.region, f['year'])}。"
    return list_page(
        request,
        title="科技成果",
        qs=selectors.achievements_for(request.user, **f),
        cols=ACH_COLS,
        default_sort="-year",
        tabs=TABS,
        form=form,
        detail="achievements:achievement_detail",
        export=export,
        export_name="科技成果",
        create_url=reverse("achievements:achievement_create")
        if permissions.achievements.may(request.user, "create")
        else "",
        create_label="登记成果",
        note=note,
    )


def _orgs(user):
    return org_policy.queryset(user, "view").exclude(kind=Organisation.Kind.FOREIGN)


def _files(form):
    return [(f.read(), f.name) for f in form.cleaned_data.pop("files", None) or []]


@login_required
def achievement_create(request):
    require(permissions.achievements, request.user, "create")
    form = forms.AchievementForm(
        request.POST or None, request.FILES or None, organisations=_orgs(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            files = _files(form)
            a = services.achievement_record(actor=request.user, files=files, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "成果已登记。")
            return redirect("achievements:achievement_detail", pk=a.pk)
    return form_page(request, title="登记科技成果", form=form, tabs=TABS, multipart=True)


def _read(files):
    return [(f.read(), f.name) for f in files or []]


@login_required
def achievement_edit(request, pk: int):
    a = get_object_or_404_for(permissions.achievements, request.user, "change", pk=pk)
    form = forms.AchievementEditForm.for_edit(
        request.POST or None, a, files=request.FILES or None, organisations=_orgs(request.user)
    )
    return save_page(
        request,
        title=f"修改科技成果：{a.title}",
        form=form,
        save=lambda d: services.achievement_update(
            actor=request.user, achievement=a, files=_read(d.pop("files", None)), **d
        ),
        done=lambda a: reverse("achievements:achievement_detail", args=[a.pk]),
        tabs=TABS,
        success="成果已修改。",
        multipart=True,
    )


@login_required
def award_edit(request, pk: int):
    w = get_object_or_404_for(permissions.awards, request.user, "change", pk=pk)
    form = forms.AwardEditForm.for_edit(
        request.POST or None,
        w,
        files=request.FILES or None,
        organisations=_orgs(request.user),
        achievements=permissions.achievements.queryset(request.user, "change"),
    )
    return save_page(
        request,
        title=f"修改科技奖励：{w}",
        form=form,
        save=lambda d: services.award_update(
            actor=request.user, award=w, files=_read(d.pop("files", None)), **d
        ),
        done=lambda w: reverse("achievements:award_detail", args=[w.pk]),
        tabs=TABS,
        success="奖励已修改。",
        multipart=True,
    )


def _edit_link(policy, user, obj, name):
    return [("修改", reverse(name, args=[obj.pk]))] if policy.allows(user, "change", obj) else []


@login_required
def achievement_detail(request, pk: int):
    a = get_object_or_404_for(permissions.achievements, request.user, "view", pk=pk)
    return detail_page(
        request,
        links=_edit_link(permissions.achievements, request.user, a, "achievements:achievement_edit"),
        title=a.title,
        subtitle=f"{a.year}年 {a.get_level_display()}科技成果",
        tabs=TABS,
        fields=[
            ("完成单位", a.organisation.name),
            ("登记日期", a.recognised_on),
            ("所属项目", a.project_name),
            ("技术领域", a.field_code),
            ("简介", a.summary),
            ("门户公开", "是" if a.is_published else "否"),
        ],
        sections=[
            Section(
                "获奖",
                ["奖项", "等级", "年度"],
                [("", [w.name, w.get_grade_display(), w.year]) for w in a.awards.all()],
            ),
            Section(
                "证明材料",
                ["文件"],
                [
                    (reverse("core:attachment_download", args=[e.uid]), [e.original_name])
                    for e in a.evidence.all()
                ],
            ),
        ],
    )


@login_required
def award_list(request, export=False):
    require(permissions.awards, request.user, "export" if export else "view")
    form, f = _filters(request)
    return list_page(
        request,
        title="科技奖励",
        qs=selectors.awards_for(request.user, **f),
        cols=AWARD_COLS,
        default_sort="-year",
        tabs=TABS,
        form=form,
        detail="achievements:award_detail",
        export=export,
        export_name="科技奖励",
        create_url=reverse("achievements:award_create")
        if permissions.awards.may(request.user, "create")
        else "",
        create_label="登记奖励",
    )


@login_required
def award_create(request):
    require(permissions.awards, request.user, "create")
    form = forms.AwardForm(
        request.POST or None,
        request.FILES or None,
        organisations=_orgs(request.user),
        achievements=permissions.achievements.queryset(request.user, "change"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            files = _files(form)
            w = services.award_record(actor=request.user, files=files, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "奖励已登记。")
            return redirect("achievements:award_detail", pk=w.pk)
    return form_page(request, title="登记科技奖励", form=form, tabs=TABS, multipart=True)


@login_required
def award_detail(request, pk: int):
    w = get_object_or_404_for(permissions.awards, request.user, "view", pk=pk)
    return detail_page(
        request,
        links=_edit_link(permissions.awards, request.user, w, "achievements:award_edit"),
        title=str(w),
        subtitle=f"{w.get_level_display()} {w.get_grade_display()}",
        tabs=TABS,
        fields=[
            ("获奖单位", w.organisation.name),
            ("获奖项目", w.project_name),
            ("获奖成果", w.achievement or ""),
        ],
    )


def public_list(request):
    form = forms.PublicFilterForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return list_page(
        request,
        title="科技成果公开目录",
        qs=selectors.published(year=year),
        cols=[c for c in ACH_COLS if c.key != "published"],
        default_sort="-year",
        form=form,
        detail="achievements:public_detail",
        note=f"截至{dates.today():%Y年%m月%d日}公开的科技成果。",
    )


def public_detail(request, pk: int):
    a = get_object_or_404_for(permissions.public_achievements, request.user, "view", pk=pk)
    return detail_page(
        request,
        title=a.title,
        subtitle=f"{a.year}年 {a.get_level_display()}科技成果",
        fields=[("完成单位", a.organisation.name), ("所属项目", a.project_name), ("简介", a.summary)],
    )
