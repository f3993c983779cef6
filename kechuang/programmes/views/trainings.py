"""Training pages: the list and one training (registration, materials, attendance)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from kechuang.core.permissions import get_object_or_404_for, is_bureau_user, is_firm_user
from kechuang.programmes import permissions, selectors, services
from kechuang.programmes.forms import AttendanceImportForm, InviteForm, TrainingForm
from kechuang.programmes.views.common import _fail


@login_required
def training_list(request):
    if not is_bureau_user(request.user):
        raise PermissionDenied
    return render(
        request,
        "programmes/training_list.html",
        {
            "trainings": selectors.trainings_for(request.user),
            "per_topic": selectors.firms_trained(request.user.region),
            "may_create": permissions.trainings.allows_create(request.user),
        },
    )


@login_required
def training_create(request):
    """Plan a training (培训与宣讲) in the staff member's region; firms are invited on its page."""
    if not permissions.trainings.allows_create(request.user):
        raise PermissionDenied
    programmes = permissions.programmes.queryset(request.user, "view")
    form = TrainingForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_create(
                actor=request.user, region=request.user.region, **form.cleaned_data
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "培训已创建，请邀请参训企业。")
            return redirect("programmes:training_detail", training.pk)
    return render(request, "programmes/training_form.html", {"form": form})


@login_required
def training_detail(request, pk: int):
    training = get_object_or_404_for(permissions.trainings, request.user, "view", pk=pk)
    if is_firm_user(request.user):
        return _training_for_firm(request, training)
    form = AttendanceImportForm(request.POST if "lines" in request.POST else None)
    invite_form = InviteForm(request.POST if "invite_lines" in request.POST else None)
    if request.method == "POST":
        training = get_object_or_404_for(permissions.trainings, request.user, "change", pk=pk)
        try:
            if invite_form.is_bound:
                if not invite_form.is_valid():
                    raise ValidationError("请填写要邀请的企业。")
                n = services.training_invite_lines(
                    actor=request.user,
                    training=training,
                    lines=invite_form.cleaned_data["invite_lines"].splitlines(),
                )
                messages.success(request, f"已邀请，新增 {n} 家企业。")
                return redirect("programmes:training_detail", training.pk)
            if "material" in request.FILES:
                upload = request.FILES["material"]
                services.training_add_material(
                    actor=request.user, training=training, data=upload.read(), original_name=upload.name
                )
            elif "ticked" in request.POST:
                ids = [int(i) for i in request.POST.getlist("attended") if i.isdigit()]
                services.training_mark_attendance(actor=request.user, training=training, organisation_ids=ids)
            elif form.is_valid():
                services.training_import_attendance(
                    actor=request.user, training=training, lines=form.cleaned_data["lines"].splitlines()
                )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "签到已更新。")
            return redirect("programmes:training_detail", training.pk)
    participants = training.participants.select_related("organisation")
    materials = training.materials.all()
    return render(
        request,
        "programmes/training_detail.html",
        {
            "training": training,
            "participants": participants,
            "form": form,
            "invite_form": invite_form,
            "materials": materials,
            "may_change": permissions.trainings.allows(request.user, "change", training),
        },
    )


def _training_for_firm(request, training):
    """An invited firm sees the training and its materials and registers its attendee."""
    if request.method == "POST":
        name = request.POST.get("attendee_name", "").strip()[:40]
        if not name:
            messages.error(request, "请填写参会人姓名。")
        else:
            services.training_register(
                actor=request.user,
                training=training,
                organisation=request.user.organisation,
                attendee_name=name,
            )
            messages.success(request, "报名成功。")
            return redirect("programmes:training_detail", training.pk)
    participant = training.participants.filter(organisation_id=request.user.organisation_id).first()
    return render(
        request,
        "programmes/training_firm.html",
        {"training": training, "participant": participant, "materials": training.materials.all()},
    )
