"""Writes of the projects module: every one audited in its own transaction.

Split by concept: `lifecycle` (register, transitions, milestones, disbursements, documents), `progress`
(reports, overdue warnings), `changes` (change requests), `reviews` (mid-term check and acceptance),
`reserve` (项目储备库), `supervision` (督查 campaigns); `common` holds shared helpers. Every public name is
re-exported here, so `from kechuang.projects import services; services.project_register(...)` keeps working."""

from kechuang.projects.services.changes import change_request_decide, change_request_submit
from kechuang.projects.services.common import FISCAL_FIELDS, LEVEL_PREFIX, ZERO
from kechuang.projects.services.common import _ancestor_paths as _ancestor_paths  # used by the views
from kechuang.projects.services.lifecycle import (
    disbursement_create,
    document_add,
    milestone_add,
    project_register,
    project_transition,
)
from kechuang.projects.services.progress import overdue_milestones, report_review, report_submit, warn_overdue
from kechuang.projects.services.reserve import (
    RESERVE_EDITABLE,
    reserve_create,
    reserve_transition,
    reserve_update,
)
from kechuang.projects.services.reviews import (
    PANEL_RULES,
    acceptance_apply,
    outcome_add,
    review_conclude,
    review_draw,
)
from kechuang.projects.services.supervision import (
    active_projects,
    campaign_assign,
    campaign_close,
    campaign_open,
    campaign_sync,
    finding_add,
    finding_follow_up,
    item_excuse,
    item_inspect,
)

__all__ = [
    "acceptance_apply",
    "FISCAL_FIELDS",
    "LEVEL_PREFIX",
    "PANEL_RULES",
    "RESERVE_EDITABLE",
    "ZERO",
    "active_projects",
    "campaign_assign",
    "campaign_close",
    "campaign_open",
    "campaign_sync",
    "change_request_decide",
    "change_request_submit",
    "disbursement_create",
    "document_add",
    "finding_add",
    "finding_follow_up",
    "item_excuse",
    "item_inspect",
    "milestone_add",
    "outcome_add",
    "overdue_milestones",
    "project_register",
    "project_transition",
    "report_review",
    "report_submit",
    "reserve_create",
    "reserve_transition",
    "reserve_update",
    "review_conclude",
    "review_draw",
    "warn_overdue",
]
