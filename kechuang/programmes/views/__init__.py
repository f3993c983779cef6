"""Programme pages, split by page group: `applicant`, `staff`, `config`, `expert`, `public`, `trainings`
(`common` holds shared helpers). Every view is re-exported here for `urls.py` (`views.call_list`, …)."""

from kechuang.programmes.views.applicant import (
    ACTIONS,
    application_action,
    application_create,
    application_detail,
    application_edit,
    application_file,
    application_file_remove,
    my_applications,
)
from kechuang.programmes.views.builder import form_builder_page, form_builder_preview
from kechuang.programmes.views.calls import (
    call_applications_export,
    call_close,
    call_edit,
    call_extend,
    call_guide_add,
    call_guide_remove,
    public_call_detail,
    public_call_file,
    public_call_list,
)
from kechuang.programmes.views.common import S
from kechuang.programmes.views.config import config_list, programme_edit, programme_type_edit
from kechuang.programmes.views.decisions import call_decisions_export, decision_form, decision_letter
from kechuang.programmes.views.expert import review_list, review_score
from kechuang.programmes.views.experts import (
    expert_action,
    expert_create,
    expert_detail,
    expert_list,
    my_profile,
)
from kechuang.programmes.views.panel import (
    draw_record,
    review_proxy,
    review_recuse,
    review_respond,
    review_sheet,
)
from kechuang.programmes.views.public import (
    public_objection_lookup,
    public_publicity_detail,
    public_publicity_list,
)
from kechuang.programmes.views.staff import (
    call_create,
    call_decide_batch,
    call_detail,
    call_list,
    call_publicity,
    my_tasks,
    objection_answer,
    objection_file,
    objection_resolve,
)
from kechuang.programmes.views.trainings import training_create, training_detail, training_list

__all__ = [
    "form_builder_page",
    "form_builder_preview",
    "call_applications_export",
    "call_close",
    "call_edit",
    "call_extend",
    "call_guide_add",
    "call_guide_remove",
    "public_call_detail",
    "public_call_file",
    "public_call_list",
    "ACTIONS",
    "S",
    "application_action",
    "application_create",
    "application_detail",
    "application_edit",
    "application_file",
    "application_file_remove",
    "call_create",
    "call_decide_batch",
    "call_decisions_export",
    "decision_form",
    "decision_letter",
    "call_detail",
    "call_list",
    "call_publicity",
    "draw_record",
    "expert_action",
    "expert_create",
    "expert_detail",
    "expert_list",
    "my_profile",
    "review_proxy",
    "review_recuse",
    "review_respond",
    "review_sheet",
    "objection_resolve",
    "config_list",
    "my_applications",
    "my_tasks",
    "objection_answer",
    "objection_file",
    "programme_edit",
    "programme_type_edit",
    "public_objection_lookup",
    "public_publicity_detail",
    "public_publicity_list",
    "review_list",
    "review_score",
    "training_create",
    "training_detail",
    "training_list",
]
