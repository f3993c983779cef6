from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from kechuang.core import exports, files
from kechuang.core.models import Organisation, Region
from kechuang.core.permissions import get_object_or_404_for, is_bureau_user, organisations
from kechuang.core.tables import Column, build_table
from kechuang.enterprises import selectors as enterprise_selectors
from kechuang.projects import documents, forms, permissions, selectors, services
from kechuang.projects.models import (
    CampaignItem,
    ChangeRequest,
    Level,
    ProgressReport,
    Project,
    ProjectStatus,
    ReserveProject,
)

# A province holds ~20k projects: past this many rows the list says "超过 N 条" instead of counting them all.
PROJECT_COUNT_CAP = 10_000
PROJECT_HEADERS = [
    "项目编号",
    "项目名称",
    "级别",
    "承担单位",
    "开始日期",
    "计划结束",
    "状态",
    "财政资金（元）",
    "已拨付（元）",
    "自筹资金（元）",
]


def _require(policy, user, action):
    if not policy.may(user, action):
        raise PermissionDenied


def _render(request, template, context):
    return render(request, f"{template}#rows" if request.htmx else template, context)


def _error(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _form_page(request, form, title, **extra):
    return render(request, "projects/form.html", {"form": form, "title": title, **extra})


@login_required
def project_list(request):
    _require(permissions.projects, request.user, "view")
    g = request.GET
    qs = selectors.projects_for(
        request.user,
        level=g.get("level", ""),
        status=g.get("status", ""),
        year=int(g["year"]) if g.get("year", "").isdigit() else None,
        q=g.get("q", "").strip(),
    )
    if g.get("export") == "xlsx" and permissions.projects.may(request.user, "export"):
        rows = (
            [
                p.number,
                p.name,
                p.get_level_display(),
                p.undertaking_unit.name,
                p.starts_on,
                p.ends_on,
                p.get_status_display(),
                p.fiscal_total,
                p.disbursed,
                p.self_raised,
            ]
            for p in qs.select_related("undertaking_unit").order_by("-year", "number")  # every row: join
        )
        return exports.xlsx_response(request, "科技计划项目.xlsx", PROJECT_HEADERS, rows)
    cols = [
        Column("number", "编号", "number"),
        Column("name", "项目名称", "name"),
        Column("level", "级别", "level"),
        Column("unit", "承担单位", "undertaking_unit__name"),
        Column("period", "实施期", "starts_on"),
        Column("status", "状态", "status"),
        Column("fiscal", "未拨付财政资金", "fiscal_remaining"),
    ]
    table = build_table(
        request,
        selectors.project_rows(qs),
        cols,
        default_sort="-period",
        per_page=50,
        count_cap=PROJECT_COUNT_CAP,
    )
    context = {"table": table, "rows": _project_rows(list(table.rows))}
    context.update(levels=Level.choices, statuses=ProjectStatus.choices, f=g)
    context.update(
        may_create=permissions.projects.may(request.user, "create"),
        may_export=permissions.projects.may(request.user, "export"),
        may_see_dashboard=is_bureau_user(request.user),
    )
    return _render(request, "projects/project_list.html", context)


def _project_rows(rows: list[dict]) -> list[dict]:
    """A page of `selectors.project_rows` with the labels and the undertaking unit's name (one query for the
    page); the template renders them."""
    units = selectors.unit_names(rows)
    for p in rows:
        p["level_label"] = selectors.LEVEL_LABELS.get(p["level"], p["level"])
        p["status_label"] = selectors.STATUS_LABELS.get(p["status"], p["status"])
        p["unit"] = units[p["undertaking_unit_id"]]
    return rows


@login_required
def project_detail(request, pk):
    project = get_object_or_404_for(
        permissions.projects,
        request.user,
        "view",
        qs=Project.objects.select_related("undertaking_unit", "leader"),  # both shown in the header
        pk=pk,
    )
    ctx = {"project": project, **selectors.project_detail(project)}
    ctx["may_change"] = permissions.projects.allows(request.user, "change", project)
    ctx["may_report"] = permissions.projects.allows(request.user, "report", project)
    ctx["may_review"] = permissions.projects.allows(request.user, "review", project)
    ctx["firm_url"] = enterprise_selectors.firm_page_url(request.user, project.undertaking_unit)
    return render(request, "projects/project_detail.html", ctx)


@login_required
def project_file(request, pk, uid):
    """A project document or a report's evidence, for whoever may see the project."""
    return files.record_file(
        request, policy=permissions.projects, pk=pk, uid=uid, files_of=selectors.project_files
    )


@login_required
def project_create(request):
    if not permissions.projects.allows_create(request.user):
        raise PermissionDenied
    form = forms.ProjectForm(
        request.POST or None,
        organisations=organisations.queryset(request.user, "view").exclude(kind=Organisation.Kind.GOVERNMENT),
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_register(
                actor=request.user, region=request.user.region, **form.cleaned_data
            )
            return redirect("projects:project_detail", project.pk)
        except ValidationError as exc:
            _error(form, exc)
    return _form_page(request, form, "登记计划项目")


def _project_action(request, pk, action, form_cls, title, call, **form_kw):
    project = get_object_or_404_for(permissions.projects, request.user, action, pk=pk)
    kw = {"project": project} if form_kw.pop("with_project", False) else {}
    form = (
        form_cls(request.POST or None, request.FILES or None, **kw)
        if request.method == "POST"
        else form_cls(**kw)
    )
    if request.method == "POST" and form.is_valid():
        try:
            call(project, form.cleaned_data)
            return redirect("projects:project_detail", project.pk)
        except ValidationError as exc:
            _error(form, exc)
    return _form_page(request, form, f"{title}：{project.name}", multipart=form.is_multipart())


@login_required
def milestone_add(request, pk):
    return _project_action(
        request,
        pk,
        "change",
        forms.MilestoneForm,
        "添加阶段目标",
        lambda p, d: services.milestone_add(actor=request.user, project=p, **d),
    )


@login_required
def disbursement_add(request, pk):
    return _project_action(
        request,
        pk,
        "disburse",
        forms.DisbursementForm,
        "拨付资金",
        lambda p, d: services.disbursement_create(actor=request.user, project=p, **d),
        with_project=True,
    )


@login_required
def report_submit(request, pk):
    def call(p, d):
        upload = d.pop("evidence")
        files = [(upload.name, upload.read())] if upload else []
        services.report_submit(actor=request.user, project=p, files=files, **d)

    return _project_action(request, pk, "report", forms.ReportForm, "填报进展", call, with_project=True)


@login_required
def change_submit(request, pk):
    def call(p, d):
        payload = {
            k: str(v)
            for k in ("ends_on", "fiscal_district", "self_raised", "leader_name")
            if (v := d.pop(k)) not in (None, "")
        }
        services.change_request_submit(actor=request.user, project=p, payload=payload, **d)

    return _project_action(request, pk, "view", forms.ChangeForm, "申请变更", call)


@login_required
@require_POST
def project_start(request, pk):
    project = get_object_or_404_for(permissions.projects, request.user, "change", pk=pk)
    try:
        services.project_transition(
            actor=request.user, project=project, to=ProjectStatus.IN_PROGRESS, reason="任务书已签订，开始实施"
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("projects:project_detail", project.pk)


@login_required
def report_review(request, pk):
    report = get_object_or_404_for(
        permissions.reports,
        request.user,
        "change",
        qs=ProgressReport.objects.select_related("project"),
        pk=pk,
    )
    form = forms.ReviewReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_review(
                actor=request.user,
                report=report,
                accept=form.cleaned_data["accept"],
                note=form.cleaned_data["note"],
            )
            return redirect("projects:project_detail", report.project_id)
        except ValidationError as exc:
            _error(form, exc)
    return _form_page(request, form, f"审核进展报告：{report.project.name}", report=report)


@login_required
@require_POST
def change_decide(request, pk, decision):
    if decision not in ("approve", "reject"):
        raise Http404("对象不存在或无权访问。")
    change = get_object_or_404_for(
        permissions.changes, request.user, "change", qs=ChangeRequest.objects.select_related("project"), pk=pk
    )
    try:
        services.change_request_decide(
            actor=request.user,
            change=change,
            approve=decision == "approve",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("projects:project_detail", change.project_id)


@login_required
def reserve_list(request):
    _require(permissions.reserve, request.user, "view")
    g = request.GET
    qs = selectors.reserve_for(
        request.user, status=g.get("status", ""), year=int(g["year"]) if g.get("year", "").isdigit() else None
    )
    cols = [
        Column("title", "项目名称", "title"),
        Column("org", "实施单位", "organisation__name"),
        Column("field", "领域", "field__name"),
        Column("inv", "预计投资（元）", "expected_investment"),
        Column("maturity", "成熟度", "maturity"),
        Column("target", "拟申报计划", None),
        Column("status", "状态", "status"),
        Column("year", "入库年度", "year"),
    ]
    table = build_table(request, qs, cols, default_sort="-year")
    return _render(
        request,
        "projects/reserve_list.html",
        {
            "table": table,
            "statuses": ReserveProject.Status.choices,
            "per_year": selectors.reserve_vs_approved(request.user),
            "may_create": permissions.reserve.may(request.user, "create"),
            "f": g,
        },
    )


@login_required
def campaign_list(request):
    _require(permissions.campaigns, request.user, "view")
    campaigns = permissions.campaigns.queryset(request.user, "view").select_related("opened_by")
    return render(
        request,
        "projects/campaign_list.html",
        {"campaigns": campaigns, "may_create": permissions.campaigns.allows_create(request.user)},
    )


@login_required
def campaign_create(request):
    _require(permissions.campaigns, request.user, "create")
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_open(
                actor=request.user, region=request.user.region, **form.cleaned_data
            )
            return redirect("projects:campaign_detail", campaign.pk)
        except ValidationError as exc:
            _error(form, exc)
    return _form_page(request, form, "发起项目督查")


@login_required
def campaign_detail(request, pk):
    campaign = get_object_or_404_for(permissions.campaigns, request.user, "view", pk=pk)
    items = selectors.campaign_items_for(request.user, campaign).order_by("project__level", "project__number")
    if request.GET.get("export") == "xlsx":
        return exports.xlsx_response(
            request, f"{campaign.name}.xlsx", documents.HEADERS, documents.item_rows(items)
        )
    coverage = selectors.campaign_coverage(campaign)
    return render(
        request,
        "projects/campaign_detail.html",
        {
            "campaign": campaign,
            "items": items,
            "coverage": coverage,
            "may_change": permissions.campaigns.allows(request.user, "change", campaign),
        },
    )


@login_required
def campaign_docx(request, pk):
    campaign = get_object_or_404_for(permissions.campaigns, request.user, "export", pk=pk)
    items = list(
        selectors.campaign_items_for(request.user, campaign).order_by("project__level", "project__number")
    )
    data = documents.campaign_docx(campaign, selectors.campaign_coverage(campaign), items)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{campaign.name}情况报告.docx")
    exports.record_download(
        request, action="file.download", filename=f"{campaign.name}情况报告.docx", obj=campaign
    )
    return response


@login_required
def campaign_assign(request, pk):
    campaign = get_object_or_404_for(permissions.campaigns, request.user, "change", pk=pk)
    region = Region.objects.get(pk=campaign.region_id)
    inspectors = permissions.inspector_candidates(region)
    form = forms.AssignForm(
        request.POST or None, inspectors=inspectors, items=campaign.items.select_related("project")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_assign(
                actor=request.user,
                campaign=campaign,
                item_ids=[i.pk for i in form.cleaned_data["items"]],
                inspector=form.cleaned_data["inspector"],
            )
            return redirect("projects:campaign_detail", campaign.pk)
        except ValidationError as exc:
            _error(form, exc)
    return _form_page(request, form, f"指派督查人：{campaign.name}")


def _item_action(request, pk, action, form_cls, title, call):
    item = get_object_or_404_for(
        permissions.campaign_items,
        request.user,
        action,
        pk=pk,
        qs=CampaignItem.objects.select_related("campaign", "project"),
    )
    form = form_cls(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call(item, form.cleaned_data)
            return redirect("projects:campaign_detail", item.campaign_id)
        except ValidationError as exc:
            _error(form, exc)
    return _form_page(request, form, f"{title}：{item.project.name}")


@login_required
def item_inspect(request, pk):
    return _item_action(
        request,
        pk,
        "inspect",
        forms.InspectForm,
        "填写督查表",
        lambda i, d: services.item_inspect(actor=request.user, item=i, **d),
    )


@login_required
def finding_add(request, pk):
    return _item_action(
        request,
        pk,
        "inspect",
        forms.FindingForm,
        "提出整改要求",
        lambda i, d: services.finding_add(actor=request.user, item=i, **d),
    )


@login_required
def dashboard(request):
    _require(permissions.projects, request.user, "export")
    return render(request, "projects/dashboard.html", selectors.dashboard(request.user))


def public_list(request):
    """The public list of a region's projects: the deployment's home region unless `?region=` names another
    (an unknown code is a 404, never silently the home region)."""
    code = request.GET.get("region") or settings.KECHUANG["HOME_REGION_CODE"]
    region = get_object_or_404(Region, code=code)
    cols = [
        Column("number", "编号", "number"),
        Column("name", "项目名称", "name"),
        Column("unit", "承担单位", "undertaking_unit__name"),
        Column("period", "实施期", "starts_on"),
        Column("fiscal", "区级财政资金（元）", "fiscal_district"),
        Column("status", "状态", "status"),
    ]
    table = build_table(request, selectors.public_projects(region), cols, default_sort="-period")
    return _render(request, "projects/public_list.html", {"table": table, "region": region})
