"""Writes of the programme engine. Every status change goes through `application_transition`, which
applies the programme type's transition table with a compare-and-set update, a StatusChange row and an
audit event; a refused step raises `TransitionRefused` and is itself audited.

Split by concept: `config` (programme types, programmes, calls), `applications` (drafts and transitions),
`review` (experts, the draw, scores), `publicity` (公示 and objections), `decisions`, `trainings`; `common`
holds the refusal. Every public name is re-exported here, so `services.application_transition(...)` and the like
through `from kechuang.programmes import services` keep working."""

from kechuang.programmes.services.applications import (
    application_check,
    application_create,
    application_remove_file,
    application_save_draft,
    application_transition,
)
from kechuang.programmes.services.calls import (
    call_add_guide,
    call_close,
    call_extend,
    call_remove_guide,
    call_update,
)
from kechuang.programmes.services.common import S, TransitionRefused
from kechuang.programmes.services.config import (
    PROGRAMME_FIELDS,
    PROGRAMME_TYPE_FIELDS,
    call_create,
    programme_create,
    programme_type_create,
    programme_type_update,
    programme_update,
)
from kechuang.programmes.services.decisions import (
    DEFAULT_LETTER,
    application_decide,
    decide_batch,
    decision_pdf,
)
from kechuang.programmes.services.experts import (
    expert_add,
    expert_confirm_profile,
    expert_invite,
    expert_set_active,
    expert_set_availability,
    expert_set_conflicts,
    expert_update,
    experts_write_many,
)
from kechuang.programmes.services.invitations import (
    assignment_recuse,
    assignment_respond,
    expire_overdue,
)
from kechuang.programmes.services.publicity import (
    OBJECTION_LIMIT,
    OBJECTION_WINDOW,
    objection_answer,
    objection_resolve,
    objection_submit,
    publicity_open,
)
from kechuang.programmes.services.review import (
    applicant_org_ids,
    expert_create,
    expert_declare_conflict,
    review_draw,
    score_enter_on_behalf,
    score_submit,
)
from kechuang.programmes.services.trainings import (
    training_add_material,
    training_create,
    training_import_attendance,
    training_invite,
    training_invite_lines,
    training_mark_attendance,
    training_register,
)

__all__ = [
    "DEFAULT_LETTER",
    "OBJECTION_LIMIT",
    "OBJECTION_WINDOW",
    "PROGRAMME_FIELDS",
    "PROGRAMME_TYPE_FIELDS",
    "S",
    "TransitionRefused",
    "applicant_org_ids",
    "assignment_recuse",
    "assignment_respond",
    "expert_add",
    "expert_confirm_profile",
    "expert_invite",
    "expert_set_active",
    "expert_set_availability",
    "expert_set_conflicts",
    "expert_update",
    "experts_write_many",
    "expire_overdue",
    "score_enter_on_behalf",
    "application_check",
    "application_create",
    "application_remove_file",
    "application_decide",
    "application_save_draft",
    "application_transition",
    "call_add_guide",
    "call_close",
    "call_create",
    "call_extend",
    "call_remove_guide",
    "call_update",
    "decide_batch",
    "decision_pdf",
    "expert_create",
    "expert_declare_conflict",
    "objection_answer",
    "objection_submit",
    "programme_create",
    "programme_type_create",
    "programme_type_update",
    "programme_update",
    "objection_resolve",
    "publicity_open",
    "review_draw",
    "score_submit",
    "training_add_material",
    "training_create",
    "training_import_attendance",
    "training_invite",
    "training_invite_lines",
    "training_mark_attendance",
    "training_register",
]
