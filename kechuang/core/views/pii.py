from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from kechuang.core import pii
from kechuang.core.permissions import get_object_or_404_for


@login_required
@require_POST
def person_reveal(request, pk: int, field: str):
    """htmx: replace the masked value with the full one (logged as `pii.reveal`)."""
    if field not in pii.FIELDS:
        raise Http404("字段不存在。")
    person = get_object_or_404_for(pii.people, request.user, "view", pk=pk)
    try:
        value = pii.reveal(actor=request.user, person=person, field=field)
    except pii.RevealRefused as exc:
        raise PermissionDenied(str(exc)) from None
    return HttpResponse(format_html('<span class="font-monospace">{}</span>', value or "—"))
