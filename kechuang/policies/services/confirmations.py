"""快申快享: a firm confirms an item it qualifies for; the item's award batch then lists confirmed firms only."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kechuang.core import audit, dates
from kechuang.policies import permissions
from kechuang.policies.models import Confirmation, Match


@transaction.atomic
def quick_confirm(*, actor, match: Match, on: dt.date) -> Confirmation:
    if not permissions.matches.allows(actor, "confirm", match):
        raise PermissionDenied("只能确认本企业符合条件的“快申快享”政策。")
    try:
        with transaction.atomic():
            confirmation = Confirmation.objects.create(
                organisation_id=match.organisation_id,
                item_id=match.item_id,
                item_key=match.item.key,
                period=on.year,
                confirmed_by=actor,
                confirmed_at=dates.now(),
                verdict=match.explanation,
            )
    except IntegrityError:
        raise ValidationError(f"本企业已确认过{on.year}年度的该项政策。") from None
    audit.record(
        actor=actor,
        action="policies.quick_confirm",
        obj=confirmation,
        changes={"match": match.pk, "period": on.year},
    )
    return confirmation
