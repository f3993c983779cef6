"""Events (科技赋能新周村 and the like): agenda, attending experts and firms, consultations, outcomes."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.cooperation import forms, permissions, selectors, services
from kechuang.cooperation.views.common import TABS, _tabs, create_url, filters, region_of
from kechuang.core.kit import (
    Action,
    Col,
    Section,
    detail_page,
    list_page,
    post_action,
    require,
    save_page,
)
from kechuang.core.models import Organisation
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.permissions import organisations as org_policy

EVENT_COLS = [
    Col("name", "活动", lambda e: e.name, "name"),
    Col("starts_on", "开始", lambda e: e.starts_on, "starts_on"),
    Col("ends_on", "结束", lambda e: e.ends_on),
    Col("place", "地点", lambda e: e.place),
]


@login_required
def event_list(request, export=False):
    require(permissions.events, request.user, "export" if export else "view")
    form = forms.TextYearFilterForm(request.GET or None)
    return list_page(
        request,
        title="科技活动",
        qs=selectors.events_for(request.user, **filters(form, ("q", "year"))),
        cols=EVENT_COLS,
        default_sort="-starts_on",
        tabs=_tabs(request.user),
        form=form,
        detail="cooperation:event_detail",
        export=export,
        export_name="科技活动",
        create_url=create_url(permissions.events, request.user, "cooperation:event_create"),
        create_label="新增活动",
    )


def _done(e):
    return reverse("cooperation:event_detail", args=[e.pk])


@login_required
def event_create(request):
    require(permissions.events, request.user, "create")
    return save_page(
        request,
        title="新增科技活动",
        form=forms.EventForm(request.POST or None),
        save=lambda d: services.event_create(actor=request.user, region=region_of(request.user), **d),
        done=_done,
        tabs=TABS,
        success="活动已登记，请继续添加议程、参加人员和问诊记录。",
    )


@login_required
def event_edit(request, pk: int):
    e = get_object_or_404_for(permissions.events, request.user, "change", pk=pk)
    return save_page(
        request,
        title=f"修改活动：{e.name}",
        form=forms.EventForm.for_edit(request.POST or None, e),
        save=lambda d: services.event_update(actor=request.user, event=e, **d),
        done=_done,
        tabs=TABS,
        success="活动已修改。",
    )


def _firms(user):
    return org_policy.queryset(user, "view").filter(kind=Organisation.Kind.ENTERPRISE, is_active=True)


def _experts(user):
    return permissions.matchable_experts.queryset(user, "view").select_related("person")


def _attendance_form(request, data, e):
    initial = {"experts": list(e.experts.all()), "firms": list(e.firms.all())}
    return forms.AttendanceForm(
        data, experts=_experts(request.user), firms=_firms(request.user), initial=initial
    )


def _consultation_form(request, data, e):
    return forms.ConsultationForm(
        data, experts=_experts(request.user), firms=_firms(request.user), initial={"held_on": e.starts_on}
    )


def _actions(request, e):
    def url(name):
        return reverse(f"cooperation:{name}", args=[e.pk])

    return [
        Action("添加议程", forms.ActivityForm(initial={"day": e.starts_on}), url("event_activity")),
        Action("参加专家与企业", _attendance_form(request, None, e), url("event_attendance")),
        Action("登记一对一问诊", _consultation_form(request, None, e), url("event_consultation")),
        Action("活动成果", forms.OutcomesForm(initial={"outcomes": e.outcomes}), url("event_outcomes")),
    ]


@login_required
def event_detail(request, pk: int):
    e = get_object_or_404_for(permissions.events, request.user, "view", pk=pk)
    may = permissions.events.allows(request.user, "change", e)
    agreements = e.agreements.select_related("firm", "partner")
    return detail_page(
        request,
        title=e.name,
        subtitle=f"{e.starts_on} — {e.ends_on} · {e.place}",
        tabs=TABS,
        links=[("修改活动信息", reverse("cooperation:event_edit", args=[pk]))] if may else [],
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
            Section("参加企业", ["企业"], [("", [f.name]) for f in e.firms.all()]),
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
                [
                    (
                        reverse("cooperation:agreement_detail", args=[a.pk]),
                        [a.subject, a.firm.name, a.partner.name, a.signed_on],
                    )
                    for a in agreements
                ],
            ),
        ],
        actions=_actions(request, e) if may else [],
    )


def _changeable(request, pk):
    return get_object_or_404_for(permissions.events, request.user, "change", pk=pk)


@login_required
@require_POST
def event_activity(request, pk: int):
    e = _changeable(request, pk)
    return post_action(
        request,
        forms.ActivityForm(request.POST),
        lambda d: services.event_add_activity(actor=request.user, event=e, **d),
        "议程已添加。",
        _done(e),
    )


@login_required
@require_POST
def event_attendance(request, pk: int):
    e = _changeable(request, pk)
    return post_action(
        request,
        _attendance_form(request, request.POST, e),
        lambda d: services.event_set_attendance(actor=request.user, event=e, **d),
        "参加名单已保存。",
        _done(e),
    )


@login_required
@require_POST
def event_consultation(request, pk: int):
    e = _changeable(request, pk)
    return post_action(
        request,
        _consultation_form(request, request.POST, e),
        lambda d: services.consultation_record(actor=request.user, event=e, **d),
        "问诊已登记。",
        _done(e),
    )


@login_required
@require_POST
def event_outcomes(request, pk: int):
    e = _changeable(request, pk)
    return post_action(
        request,
        forms.OutcomesForm(request.POST),
        lambda d: services.event_set_outcomes(actor=request.user, event=e, **d),
        "活动成果已保存。",
        _done(e),
    )
