"""The 专家库 pages: staff maintain the pool (list, add, edit, suspend, invite; import through the import
engine), the expert maintains their own profile, conflicts and availability (phone-friendly), and an invited
expert sets a password through the one-time link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.services import StaleObject
from kechuang.programmes import permissions, selectors, services
from kechuang.programmes.expert_forms import (
    AvailabilityForm,
    ConflictForm,
    ExpertCreateForm,
    ExpertEditForm,
    ProfileForm,
    SuspendForm,
)
from kechuang.programmes.services.experts import expert_account
from kechuang.programmes.views.common import _fail


def _errors(request, form, exc) -> None:
    if isinstance(exc, StaleObject):
        form.add_error(None, "该记录已被他人修改，请刷新后重试。")
    elif isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))


@login_required
def expert_list(request):
    if not permissions.experts.may_list(request.user):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()
    context = {
        "experts": selectors.expert_pool(request.user, q),
        "q": q,
        "may_add": permissions.experts.may_add(request.user),
    }
    return render(request, "programmes/expert_list.html", context)


@login_required
def expert_create(request):
    if not permissions.experts.may_add(request.user):
        raise PermissionDenied
    form = ExpertCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            expert = services.expert_add(
                actor=request.user,
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                category=data["category"],
                title=data["title"],
                employer=data["employer"],
                fields=data["fields_"],
            )
        except (ValidationError, PermissionError) as exc:
            _errors(request, form, exc)
        else:
            messages.success(request, f"已将{expert}加入专家库；可在专家页面发送邀请。")
            return redirect("programmes:expert_detail", expert.pk)
    return render(request, "programmes/expert_form.html", {"form": form, "title": "添加专家"})


@login_required
def expert_detail(request, pk: int):
    expert = get_object_or_404_for(permissions.experts, request.user, "view", pk=pk)
    may = {a: permissions.experts.allows(request.user, a, expert) for a in ("change", "invite", "suspend")}
    initial = {
        "category": expert.category,
        "title": expert.title,
        "employer": expert.employer.name if expert.employer else "",
        "fields_": "、".join(expert.fields),
        "version": expert.version,
    }
    form = ExpertEditForm(request.POST or None, initial=initial) if may["change"] else None
    if request.method == "POST":
        if form is None:
            raise Http404("对象不存在或无权访问。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.expert_update(
                    actor=request.user,
                    expert=expert,
                    expected_version=data["version"],
                    category=data["category"],
                    title=data["title"],
                    employer=data["employer"],
                    fields=data["fields_"],
                )
            except (ValidationError, StaleObject) as exc:
                _errors(request, form, exc)
            else:
                messages.success(request, "专家信息已保存。")
                return redirect("programmes:expert_detail", expert.pk)
    context = {
        "expert": expert,
        "form": form,
        "may": may,
        "account": expert_account(expert),
        "suspend_form": SuspendForm(),
        "assignments": expert.assignments.select_related("application__call").order_by("-pk")[:20],
    }
    return render(request, "programmes/expert_detail.html", context)


@login_required
@require_POST
def expert_action(request, pk: int, action: str):
    needed = {"invite": "invite", "suspend": "suspend", "restore": "suspend"}.get(action)
    if needed is None:
        raise Http404("操作不存在。")
    expert = get_object_or_404_for(permissions.experts, request.user, needed, pk=pk)
    try:
        if action == "invite":
            user = services.expert_invite(actor=request.user, expert=expert)
            messages.success(request, f"已向{expert}发送邀请（用户名 {user.username}）。")
        else:
            services.expert_set_active(
                actor=request.user,
                expert=expert,
                active=action == "restore",
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "已停用该专家。" if action == "suspend" else "已恢复该专家。")
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("programmes:expert_detail", expert.pk)


@login_required
def my_profile(request):
    """The expert's own page: confirm the profile, declare conflicts, the periods they cannot review."""
    expert = selectors.own_expert(request.user)
    if expert is None:  # an expert account not (or no longer) in the pool: say so, not a bare 403
        if not permissions.is_expert_account(request.user):
            raise PermissionDenied
        return render(request, "programmes/expert_unlinked.html")
    section = request.POST.get("section") if request.method == "POST" else None
    profile = ProfileForm(
        request.POST if section == "profile" else None,
        initial={
            "title": expert.title,
            "employer": expert.employer.name if expert.employer else "",
            "fields_": "、".join(expert.fields),
            "phone": expert.person.phone,
            "email": expert.person.email,
            "version": expert.version,
        },
    )
    conflicts = ConflictForm(
        request.POST if section == "conflicts" else None,
        initial={"organisations": "\n".join(o.name for o in expert.conflicts.order_by("name"))},
    )
    availability = AvailabilityForm(
        request.POST if section == "availability" else None,
        initial={
            "unavailable_from": expert.unavailable_from,
            "unavailable_until": expert.unavailable_until,
            "note": expert.availability_note,
        },
    )
    form = {"profile": profile, "conflicts": conflicts, "availability": availability}.get(section)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if section == "profile":
                services.expert_confirm_profile(
                    actor=request.user,
                    expert=expert,
                    expected_version=data["version"],
                    title=data["title"],
                    fields=data["fields_"],
                    employer=data["employer"],
                    phone=data["phone"],
                    email=data["email"],
                )
                messages.success(request, "个人信息已确认。")
            elif section == "conflicts":
                services.expert_set_conflicts(
                    actor=request.user, expert=expert, organisations=data["organisations"]
                )
                messages.success(request, "利益冲突申报已保存，抽取时将自动回避这些单位。")
            else:
                services.expert_set_availability(
                    actor=request.user,
                    expert=expert,
                    unavailable_from=data["unavailable_from"],
                    unavailable_until=data["unavailable_until"],
                    note=data["note"],
                )
                messages.success(request, "时间安排已保存。")
        except (ValidationError, StaleObject) as exc:
            _errors(request, form, exc)
        else:
            return redirect("programmes:my_expert_profile")
    context = {"expert": expert, "profile": profile, "conflicts": conflicts, "availability": availability}
    return render(request, "programmes/expert_profile.html", context)
