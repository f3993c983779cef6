"""Writes of 校城融合, each audited in its transaction, by concept: needs/offers/contacts, events,
and deals (agreements, expected transfers, cooperation projects)."""

from kechuang.cooperation.services.common import PARTNER_KINDS
from kechuang.cooperation.services.deals import (
    agreement_sign,
    agreement_update,
    project_record,
    project_update,
    transfer_expect,
    transfer_transition,
    transfer_update,
)
from kechuang.cooperation.services.events import (
    consultation_record,
    event_add_activity,
    event_attend,
    event_create,
    event_set_attendance,
    event_set_outcomes,
    event_update,
)
from kechuang.cooperation.services.needs import (
    contact_outcome,
    contact_record,
    need_close,
    need_post,
    need_update,
    offered_publish,
    offered_update,
)

__all__ = [
    "PARTNER_KINDS",
    "agreement_sign",
    "agreement_update",
    "consultation_record",
    "contact_outcome",
    "contact_record",
    "event_add_activity",
    "event_attend",
    "event_create",
    "event_set_attendance",
    "event_set_outcomes",
    "event_update",
    "need_close",
    "need_post",
    "need_update",
    "offered_publish",
    "offered_update",
    "project_record",
    "project_update",
    "transfer_expect",
    "transfer_transition",
    "transfer_update",
]
