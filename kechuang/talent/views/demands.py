"""引智需求: firms file and edit their own; the bureau moves them through matching."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import dates
from kechuang.core.kit import (
    Action,
    Col,
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
from kechuang.talent import forms, permissions, selectors, services
from kechuang.talent.views.common import _tabs

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
    firm = is_firm_user(user)
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
                forms.DemandForm.for_edit(None, d),
                reverse("talent:demand_edit", args=[d.pk]),
            )
        )
        if is_bureau_staff(request.user):
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
    return post_action(
        request,
        forms.DemandForm(request.POST, edit=True),
        lambda data: services.demand_update(actor=request.user, demand=d, **data),
        "需求已修改。",
        reverse("talent:demand_detail", args=[pk]),
    )


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
