"""Who sees and handles what in the programme engine.

Staff handle the calls of their region subtree, leaders read them; an enterprise user sees only its own
organisation's applications; an expert only the applications drawn to them."""

from __future__ import annotations

from django.db import models

from kechuang.core.permissions import (  # noqa: F401  is_expert_account: the programme pages ask it here
    BureauConfigPolicy,
    Policy,
    RegionScopedPolicy,
    is_expert_account,
    is_firm_user,
    region_rule,
)
from kechuang.core.roles import Role


class ApplicationPolicy(Policy):
    @property
    def model(self):
        from kechuang.programmes.models import Application

        return Application

    def base_queryset(self):
        return self.model.objects.select_related("call__programme__type", "organisation", "person")

    def rule(self, user, action):
        if user.role == Role.STAFF and action in {"view", "change", "check", "decide", "draw"}:
            return region_rule(user, "call__region__")
        if user.role == Role.LEADER and action == "view":
            return region_rule(user, "call__region__")
        if user.role == Role.ENTERPRISE and action in {"view", "change", "submit"} and user.organisation_id:
            return models.Q(organisation_id=user.organisation_id)
        if user.role == Role.EXPERT and action in {"view", "review"} and user.person_id:
            from kechuang.programmes.models import ReviewAssignment

            # A subquery, not a join on assignments: no rule here can repeat an application, so lists need no
            # DISTINCT (which cost a province's application list ≈ 120 ms a page at province scale).
            assigned = ReviewAssignment.objects.filter(expert__person_id=user.person_id).values(
                "application_id"
            )
            return models.Q(pk__in=assigned)
        return None


class CallPolicy(RegionScopedPolicy):
    region_path = "region__"
    organisation_field = None

    @property
    def model(self):
        from kechuang.programmes.models import Call

        return Call

    def base_queryset(self):
        return self.model.objects.select_related("programme__type")

    def rule(self, user, action):
        # Calls are public notices: any applicant may read them and apply; staff manage their region's.
        if user.role == Role.ENTERPRISE and action in {"view", "apply"}:
            return models.Q()
        return super().rule(user, action)


class AssignmentPolicy(Policy):
    @property
    def model(self):
        from kechuang.programmes.models import ReviewAssignment

        return ReviewAssignment

    def base_queryset(self):
        return self.model.objects.select_related("application__call__programme", "expert__person")

    def rule(self, user, action):
        # "respond": accept or decline the draw; "proxy": staff enter a paper score sheet (代录).
        if user.role == Role.EXPERT and action in {"view", "review", "respond"} and user.person_id:
            return models.Q(expert__person_id=user.person_id)
        if user.role in (Role.STAFF, Role.LEADER) and action == "view":
            return region_rule(user, "application__call__region__")
        if user.role == Role.STAFF and action in {"proxy", "replace"}:
            return region_rule(user, "application__call__region__")
        return None


class ExpertPolicy(Policy):
    """The 专家库: staff maintain the experts of their region subtree (add, edit, invite, suspend) and leaders
    read them; an expert sees and maintains only their own profile (confirm, conflicts, availability)."""

    STAFF_ACTIONS = frozenset({"view", "change", "invite", "suspend"})
    SELF_ACTIONS = frozenset({"view", "self"})

    @property
    def model(self):
        from kechuang.programmes.models import Expert

        return Expert

    def base_queryset(self):
        return self.model.objects.select_related("person", "employer", "region")

    def may_list(self, user) -> bool:
        """The pool list: bureau staff and leaders (an expert has only their own page)."""
        return user.role in (Role.STAFF, Role.LEADER)

    def may_add(self, user) -> bool:
        """Staff add experts to their own region's pool (and import them)."""
        return user.role == Role.STAFF and user.region_id is not None

    def rule(self, user, action):
        if user.role == Role.STAFF and action in self.STAFF_ACTIONS:
            return region_rule(user, "region__")
        if user.role == Role.LEADER and action == "view":
            return region_rule(user, "region__")
        if user.role == Role.EXPERT and action in self.SELF_ACTIONS and user.person_id:
            return models.Q(person_id=user.person_id)
        return None


class ObjectionPolicy(Policy):
    @property
    def model(self):
        from kechuang.programmes.models import Objection

        return Objection

    def rule(self, user, action):
        if user.role == Role.STAFF and action in {"view", "answer", "resolve"}:
            return region_rule(user, "publicity__call__region__")
        if user.role == Role.LEADER and action == "view":
            return region_rule(user, "publicity__call__region__")
        return None


class TrainingPolicy(RegionScopedPolicy):
    """Staff plan and run the trainings of their region, leaders read them; a firm sees the trainings it is
    invited to or registered for, and registers ("register", also its to-do while it has not)."""

    organisation_field = "participants__organisation"
    enterprise_actions = frozenset({"view", "register"})

    def allows_create(self, user, **context) -> bool:
        return user.is_authenticated and user.role == Role.STAFF and user.region_id is not None

    @property
    def model(self):
        from kechuang.programmes.models import Training

        return Training


class ProgrammeTypePolicy(BureauConfigPolicy):
    """A programme type belongs to the bureau that maintains it (issue 25: 张店区 staff had changed a type
    周村区 used). Its staff change it; its programmes and those of the regions below it use it."""

    @property
    def model(self):
        from kechuang.programmes.models import ProgrammeType

        return ProgrammeType


class ProgrammePolicy(RegionScopedPolicy):
    """Staff configure the programmes organised by their region subtree; leaders read them."""

    organisation_field = None

    @property
    def model(self):
        from kechuang.programmes.models import Programme

        return Programme

    def base_queryset(self):
        return self.model.objects.select_related("type", "region")


def sees_all_scores(user, application) -> bool:
    """Every expert's scores and the averages of an application: bureau staff and leaders of its call's
    region; an expert drawn to it only when the programme shows the other experts' scores (the averages are
    the other experts' scores too); nobody else."""
    if user.role in (Role.STAFF, Role.LEADER):
        return applications.allows(user, "view", application)
    if user.role == Role.EXPERT and application.call.programme.shows_other_scores:
        return applications.allows(user, "review", application)
    return False


def sees_own_scores_only(user) -> bool:
    return user.role == Role.EXPERT


def sees_panel(user, application) -> bool:
    """Who was drawn, their answers, replacements and overall comments: the application's staff and leaders
    (at once after the draw, before any score), never the firm nor the other experts."""
    return user.role in (Role.STAFF, Role.LEADER) and applications.allows(user, "view", application)


def may_decide(user, application) -> bool:
    """The 决定 form: the staff of the call's region (who may also take the application's other steps)."""
    return user.role == Role.STAFF and applications.allows(user, "decide", application)


def sees_letter(user, application) -> bool:
    """The decision letter (立项通知/不予立项通知): the applicant it is addressed to, and the call's staff and
    leaders; never the experts (who may view the application they reviewed)."""
    if user.role not in (Role.STAFF, Role.LEADER, Role.ENTERPRISE):
        return False
    return applications.allows(user, "view", application)


def may_export_call(user, call) -> bool:
    """A call's applications and decisions as xlsx: its bureau's staff and leaders."""
    return user.role in (Role.STAFF, Role.LEADER) and calls.allows(user, "view", call)


def may_manage_call(user, call) -> bool:
    """Edit, extend or close a call, and its guide documents: the staff of its region."""
    return user.role == Role.STAFF and calls.allows(user, "change", call)


def sees_call_admin(user) -> bool:
    """The staff list of calls (firms see open calls on their own page and on the portal)."""
    return user.role in (Role.STAFF, Role.LEADER)


def may_create_call(user) -> bool:
    return user.role == Role.STAFF and calls.may(user, "create")


applications = ApplicationPolicy()
experts = ExpertPolicy()
programme_types = ProgrammeTypePolicy()
programmes = ProgrammePolicy()
calls = CallPolicy()
assignments = AssignmentPolicy()
objections = ObjectionPolicy()
trainings = TrainingPolicy()


def sees_own_applications_on_home(user) -> bool:
    return is_firm_user(user) and applications.may(user, "submit")


def sees_reviews_on_home(user) -> bool:
    return is_expert_account(user) and assignments.may(user, "review")
