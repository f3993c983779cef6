from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect

from kechuang.accounts import permissions
from kechuang.core.permissions import get_object_or_404_for
from kechuang.signon import services


@login_required
def staff_number(request, pk):
    """POST: the system administrator records (or clears) the staff number an official signs on with."""
    target = get_object_or_404_for(permissions.users, request.user, "link_identity", pk=pk)
    if request.method != "POST":
        return redirect("accounts:user_edit", target.pk)
    if not permissions.may_record_staff_number(request.user, target):
        raise Http404("对象不存在或无权访问。")
    try:
        services.staff_number_set(
            actor=request.user, user=target, number=request.POST.get("staff_number", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "工号已保存：该工作人员可通过统一身份认证登录。")
    return redirect("accounts:user_edit", target.pk)
