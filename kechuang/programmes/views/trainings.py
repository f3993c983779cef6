"""Training pages: the list and one training (registration, materials, attendance)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.roles import Role
from kechuang.programmes import permissions, selectors, services
from kechuang.programmes.forms import AttendanceImportForm
from kechuang.programmes.views.common import _fail


@login_required
def training_list(request):
    if request.user.role not in (Role.STAFF, Role.LEADER):
        raise PermissionDenied
    return render(
        request,
        "programmes/training_list.html",
        {
            "trainings": selectors.trainings_for(request.user),
            "per_topic": selectors.firms_trained(request.user.region),
        },
    )


@login_required
def training_detail(request, pk: int):
    training = get_object_or_404_for(permissions.trainings, request.user, "view", pk=pk)
    if request.user.role == Role.ENTERPRISE:
        return _training_for_firm(request, training)
    form = AttendanceImportForm(request.POST or None)
    if request.method == "POST":
        training = get_object_or_404_for(permissions.trainings, request.user, "change", pk=pk)
        try:
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
        {"training": training, "participants": participants, "form": form, "materials": materials},
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
