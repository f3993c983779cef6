"""Foreign experts, foreign-expert projects (引智项目) and award nominations: lists, create/edit pages."""

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
from kechuang.core.models import Organisation
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.permissions import organisations as org_policy
from kechuang.talent import forms, permissions, selectors, services
from kechuang.talent.views.common import TABS


def _filters(form, keys):
    f = form.cleaned_data if form.is_valid() else {}
    return {k: f.get(k) or ("" if k != "year" else None) for k in keys}


def _create_url(policy, user, name):
    return reverse(name) if policy.may(user, "create") else ""


def _region(user):
    if user.region_id is None:
        raise PermissionDenied
    return user.region


FOREIGN_COLS = [
    Col("name", "姓名", lambda f: f.person.name, "person__name"),
    Col("nationality", "国籍", lambda f: f.person.nationality, "person__nationality"),
    Col("field", "专业领域", lambda f: f.field, "field"),
    Col("employer", "工作单位", lambda f: f.employer.name if f.employer else ""),
]


@login_required
def foreign_list(request, export=False):
    require(permissions.foreign_experts, request.user, "export" if export else "view")
    form = forms.ForeignFilterForm(request.GET or None)
    return list_page(
        request,
        title="外国专家",
        qs=selectors.foreign_for(request.user, **_filters(form, ("q", "nationality"))),
        cols=FOREIGN_COLS,
        default_sort="name",
        tabs=TABS,
        form=form,
        detail="talent:foreign_detail",
        export=export,
        export_name="外国专家",
        create_url=_create_url(permissions.foreign_experts, request.user, "talent:foreign_create"),
        create_label="登记外国专家",
    )


def _orgs(user):
    return org_policy.queryset(user, "view").filter(is_active=True)


@login_required
def foreign_create(request):
    require(permissions.foreign_experts, request.user, "create")
    return save_page(
        request,
        title="登记外国专家",
        form=forms.ForeignExpertCreateForm(
            request.POST or None, organisations=Organisation.objects.filter(is_active=True)
        ),
        save=lambda d: services.foreign_expert_create(actor=request.user, region=_region(request.user), **d),
        done=lambda fe: reverse("talent:foreign_detail", args=[fe.pk]),
        tabs=TABS,
        success="外国专家已登记。",
    )


@login_required
def foreign_edit(request, pk: int):
    fe = get_object_or_404_for(permissions.foreign_experts, request.user, "change", pk=pk)
    form = forms.ForeignExpertForm.for_edit(
        request.POST or None,
        fe,
        organisations=Organisation.objects.filter(is_active=True),
    )
    form.initial["nationality"] = fe.person.nationality
    return save_page(
        request,
        title=f"修改外国专家：{fe.person.name}",
        form=form,
        save=lambda d: services.foreign_expert_update(actor=request.user, expert=fe, **d),
        done=lambda fe: reverse("talent:foreign_detail", args=[fe.pk]),
        tabs=TABS,
        success="外国专家信息已修改。",
    )


@login_required
def foreign_detail(request, pk: int):
    fe = get_object_or_404_for(permissions.foreign_experts, request.user, "view", pk=pk)
    links = []
    if permissions.foreign_experts.allows(request.user, "change", fe):
        links.append(("修改", reverse("talent:foreign_edit", args=[pk])))
    return detail_page(
        request,
        title=str(fe),
        subtitle=fe.field,
        tabs=TABS,
        links=links,
        fields=[
            ("工作单位", fe.employer or ""),
            ("高新技术领域代码", fe.field_code),
            ("专长", fe.expertise),
            ("联系电话", fe.person.masked_phone),
        ],
        sections=[
            Section(
                "引智项目",
                ["项目", "级别", "年度", "状态"],
                [
                    (
                        reverse("talent:project_detail", args=[p.pk]),
                        [p.title, p.get_level_display(), p.year, p.get_status_display()],
                    )
                    for p in fe.projects.all()
                ],
            ),
            Section(
                "匹配的引智需求",
                ["需求", "企业", "年度"],
                [
                    ("", [d.need, d.organisation.name, d.year])
                    for d in fe.demands.select_related("organisation")
                ],
            ),
        ],
    )


PROJECT_COLS = [
    Col("title", "项目名称", lambda p: p.title, "title"),
    Col("organisation", "承担单位", lambda p: p.organisation.name, "organisation__name"),
    Col("expert", "外国专家", lambda p: str(p.expert) if p.expert else ""),
    Col("level", "级别", lambda p: p.get_level_display(), "level"),
    Col("year", "年度", lambda p: p.year, "year"),
    Col("status", "状态", lambda p: p.get_status_display(), "status"),
]


@login_required
def project_list(request, export=False):
    require(permissions.projects, request.user, "export" if export else "view")
    form = forms.ProjectFilterForm(request.GET or None)
    return list_page(
        request,
        title="外国专家项目",
        qs=selectors.projects_for(request.user, **_filters(form, ("q", "year", "level", "status"))),
        cols=PROJECT_COLS,
        default_sort="-year",
        tabs=TABS,
        form=form,
        detail="talent:project_detail",
        export=export,
        export_name="引智项目",
        create_url=_create_url(permissions.projects, request.user, "talent:project_create"),
        create_label="登记引智项目",
    )


def _project_form(request, data, project=None):
    kwargs = {
        "organisations": _orgs(request.user).exclude(kind=Organisation.Kind.FOREIGN),
        "experts": permissions.foreign_experts.queryset(request.user, "view").select_related("person"),
    }
    if project is None:
        return forms.ForeignProjectForm(data, **kwargs)
    return forms.ForeignProjectForm.for_edit(data, project, **kwargs)


@login_required
def project_create(request):
    require(permissions.projects, request.user, "create")
    return save_page(
        request,
        title="登记外国专家项目",
        form=_project_form(request, request.POST or None),
        save=lambda d: services.project_record(actor=request.user, **d),
        done=lambda p: reverse("talent:project_detail", args=[p.pk]),
        tabs=TABS,
        success="引智项目已登记。",
    )


@login_required
def project_edit(request, pk: int):
    project = get_object_or_404_for(permissions.projects, request.user, "change", pk=pk)
    return save_page(
        request,
        title=f"修改引智项目：{project.title}",
        form=_project_form(request, request.POST or None, project),
        save=lambda d: services.project_update(actor=request.user, project=project, **d),
        done=lambda p: reverse("talent:project_detail", args=[p.pk]),
        tabs=TABS,
        success="引智项目已修改。",
    )


@login_required
def project_detail(request, pk: int):
    p = get_object_or_404_for(permissions.projects, request.user, "view", pk=pk)
    may = permissions.projects.allows(request.user, "change", p)
    return detail_page(
        request,
        title=p.title,
        subtitle=f"{p.year}年 {p.get_level_display()} · {p.get_status_display()}",
        tabs=TABS,
        links=[("修改", reverse("talent:project_edit", args=[pk]))] if may else [],
        fields=[("承担单位", p.organisation.name), ("外国专家", p.expert or "")],
    )


NOMINATION_COLS = [
    Col("person", "被推荐人", lambda n: n.person.name, "person__name"),
    Col("nationality", "国籍", lambda n: n.person.nationality),
    Col("organisation", "服务单位", lambda n: n.organisation.name if n.organisation else ""),
    Col("award", "奖项", lambda n: n.award, "award"),
    Col("year", "年度", lambda n: n.year, "year"),
    Col("status", "状态", lambda n: n.get_status_display(), "status"),
]


@login_required
def nomination_list(request, export=False):
    require(permissions.nominations, request.user, "export" if export else "view")
    form = forms.NominationFilterForm(request.GET or None)
    return list_page(
        request,
        title="奖项推荐",
        qs=selectors.nominations_for(request.user, **_filters(form, ("q", "year", "status"))),
        cols=NOMINATION_COLS,
        default_sort="-year",
        tabs=TABS,
        form=form,
        detail="talent:nomination_detail",
        export=export,
        export_name="奖项推荐",
        create_url=_create_url(permissions.nominations, request.user, "talent:nomination_create"),
        create_label="新增推荐",
    )


def _nomination_form(request, data, nomination=None):
    kwargs = {"people": selectors.people_for(request.user), "organisations": _orgs(request.user)}
    if nomination is None:
        return forms.NominationForm(data, **kwargs)
    return forms.NominationForm.for_edit(data, nomination, **kwargs)


@login_required
def nomination_create(request):
    require(permissions.nominations, request.user, "create")
    return save_page(
        request,
        title="新增奖项推荐",
        form=_nomination_form(request, request.POST or None),
        save=lambda d: services.nomination_create(actor=request.user, region=_region(request.user), **d),
        done=lambda n: reverse("talent:nomination_detail", args=[n.pk]),
        tabs=TABS,
        success="推荐已登记。",
    )


@login_required
def nomination_edit(request, pk: int):
    n = get_object_or_404_for(permissions.nominations, request.user, "change", pk=pk)
    return save_page(
        request,
        title=f"修改推荐：{n}",
        form=_nomination_form(request, request.POST or None, n),
        save=lambda d: services.nomination_update(actor=request.user, nomination=n, **d),
        done=lambda n: reverse("talent:nomination_detail", args=[n.pk]),
        tabs=TABS,
        success="推荐已修改。",
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
        links=[("修改", reverse("talent:nomination_edit", args=[pk]))] if may else [],
        fields=[("国籍", n.person.nationality), ("服务单位", n.organisation or ""), ("事迹摘要", n.note)],
        actions=[Action("变更推荐状态", form, request.path)] if may else [],
    )
