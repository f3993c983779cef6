"""Talent pages, by concept: the expert pool and awards, 引智需求, foreign experts/projects/nominations."""

from kechuang.talent.views.demands import (
    demand_create,
    demand_detail,
    demand_edit,
    demand_list,
    demand_transition,
)
from kechuang.talent.views.foreign import (
    foreign_create,
    foreign_detail,
    foreign_edit,
    foreign_list,
    nomination_create,
    nomination_detail,
    nomination_edit,
    nomination_list,
    project_create,
    project_detail,
    project_edit,
    project_list,
)
from kechuang.talent.views.pool import award_create, award_edit, award_list, expert_detail, expert_list

__all__ = [
    "award_create",
    "award_edit",
    "award_list",
    "demand_create",
    "demand_detail",
    "demand_edit",
    "demand_list",
    "demand_transition",
    "expert_detail",
    "expert_list",
    "foreign_create",
    "foreign_detail",
    "foreign_edit",
    "foreign_list",
    "nomination_create",
    "nomination_detail",
    "nomination_edit",
    "nomination_list",
    "project_create",
    "project_detail",
    "project_edit",
    "project_list",
]
