"""The 应统尽统 radar page and its one action (resolve an entry)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import dates
from kechuang.core.permissions import get_object_or_404_for
from kechuang.insights import forms, permissions, services
from kechuang.insights.rules import radar as rules
from kechuang.insights.selectors import radar as selectors
from kechuang.insights.selectors.radar import firms_of


def _page(request, deadline, *, form=None, failed=None, status=200):
    deadlines = list(
        permissions.radar.queryset(request.user, "view").select_related("region").order_by("-due_on")
    )
    if deadline is None:
        deadline = selectors.default_deadline(deadlines, dates.today())
    context = {"deadlines": deadlines, "deadline": deadline, "failed": failed, "form": form}
    if deadline is not None:
        as_of = dates.today()
        context |= {
            "radar": selectors.radar_for(deadline, as_of),
            "before_deadline": as_of <= deadline.due_on,
            "may_resolve": permissions.radar.allows(request.user, "resolve", deadline),
            "outcomes": rules.OUTCOMES.items(),
            "thresholds": {
                "share": rules.RD_SHARE_MAX * 100,
                "jump": rules.JUMP_FACTOR,
                "min_prior": rules.MIN_PRIOR,
                "estimate": rules.ESTIMATE_GAP * 100,
                "above_size": rules.ABOVE_SIZE_REVENUE,
            },
        }
    return render(request, "insights/radar.html", context, status=status)


@login_required
def radar(request):
    if not permissions.radar.may(request.user, "view"):
        raise PermissionDenied
    deadline = None
    if request.GET.get("deadline", "").isdigit():
        deadline = get_object_or_404_for(permissions.radar, request.user, "view", pk=request.GET["deadline"])
    return _page(request, deadline)


@login_required
@require_POST
def radar_resolve(request, pk: int):
    deadline = get_object_or_404_for(permissions.radar, request.user, "resolve", pk=pk)
    form = forms.ResolveForm(request.POST)
    org = None
    if form.is_valid():
        org = firms_of(deadline.region).filter(pk=form.cleaned_data["organisation"]).first()
        if org is None:
            form.add_error(None, "该企业不在本报送日历的地区内。")
    if form.is_valid():
        try:
            services.radar_resolve(
                actor=request.user,
                deadline=deadline,
                organisation=org,
                code=form.cleaned_data["code"],
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                on=dates.today(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    if not form.is_valid():
        failed = f"{request.POST.get('organisation', '')}|{request.POST.get('code', '')}"
        return _page(request, deadline, form=form, failed=failed, status=400)
    messages.success(request, f"已处理：{org.name}。")
    return redirect(f"{reverse('insights:radar')}?deadline={deadline.pk}")
