"""The one permission mechanism (DESIGN.md convention 3).

A policy answers both questions from the same rule:
  * `policy.queryset(user, action)` — which objects may this user do `action` on?
  * `policy.allows(user, action, obj)` — may this user do `action` on this object?
`allows` is defined through `queryset`, so a list and a detail page can never disagree. Views fetch
objects with `get_object_or_404_for(...)`, which 404s for objects outside the user's scope (a 403
would confirm that the object exists).
"""

from __future__ import annotations

from django.db import models
from django.http import Http404

from kechuang.core.roles import Role


class Policy:
    model: type[models.Model]

    def rule(self, user, action: str) -> models.Q | None:
        """A Q selecting the objects `user` may `action`; None means none at all."""
        raise NotImplementedError

    def base_queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def queryset(self, user, action: str = "view", qs: models.QuerySet | None = None) -> models.QuerySet:
        qs = self.base_queryset() if qs is None else qs
        if user is None or not user.is_authenticated or not user.is_active:
            return qs.none()
        q = self.rule(user, action)
        return qs.none() if q is None else qs.filter(q)

    def may(self, user, action: str) -> bool:
        """Whether `user` may `action` on at least some objects (menus, list pages, 403 vs 404)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return self.rule(user, action) is not None

    def allows(self, user, action: str, obj: models.Model) -> bool:
        return self.queryset(user, action).filter(pk=obj.pk).exists()

    def allows_create(self, user, **context) -> bool:
        """Creation has no object yet; policies override this where creating is allowed."""
        return False


def get_object_or_404_for(policy: Policy, user, action: str = "view", qs=None, **lookup):
    try:
        return policy.queryset(user, action, qs).get(**lookup)
    except (policy.model.DoesNotExist, ValueError, TypeError):
        raise Http404("对象不存在或无权访问。") from None


def region_rule(user, prefix: str = "region__") -> models.Q | None:
    """Objects in the user's region subtree (bureau staff and leadership)."""
    if user.region_id is None:
        return None
    return models.Q(**{f"{prefix}path__startswith": user.region.path})


def ancestor_paths(path: str) -> list[str]:
    """The paths of a region and of every region above it ("370000/", "370000/370300/", …)."""
    parts = path.strip("/").split("/")
    return ["/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def serves(owner_path: str, region_path: str) -> bool:
    """Whether configuration owned by the bureau at `owner_path` applies in `region_path` (its own region
    and every region below it: a city's programme types serve its districts)."""
    return region_path.startswith(owner_path)


class BureauConfigPolicy(Policy):
    """Configuration owned by one bureau (its `region`): programme types, summary templates, the voucher
    provider registry. Staff of the owning bureau (and of bureaus above it) change it; staff and leaders
    read what their own bureau and the bureaus above it own (a city's configuration serves its districts).
    Another district's configuration is a 404 — one bureau's settings never change another's."""

    region_path = "region__"
    change_actions = frozenset({"change", "create", "delete"})
    read_actions = frozenset({"view", "export"})
    read_roles = frozenset({Role.STAFF, Role.LEADER})

    def rule(self, user, action: str) -> models.Q | None:
        if user.region_id is None:
            return None
        if user.role == Role.STAFF and action in self.change_actions:
            return region_rule(user, self.region_path)
        if user.role in self.read_roles and action in self.read_actions:
            above = models.Q(**{f"{self.region_path}path__in": ancestor_paths(user.region.path)})
            return above | region_rule(user, self.region_path)
        return None

    def allows_create(self, user, **context) -> bool:
        return self.may(user, "create")


class RegionScopedPolicy(Policy):
    """Staff change and leadership view objects in their region; enterprise users their own organisation.

    Subclasses name the path from their model to a Region and to an Organisation.
    """

    region_path = "region__"
    organisation_field: str | None = "organisation"
    staff_actions = frozenset({"view", "change", "create", "delete", "export"})
    leader_actions = frozenset({"view", "export"})
    enterprise_actions = frozenset({"view"})

    def rule(self, user, action: str) -> models.Q | None:
        if user.role == Role.STAFF and action in self.staff_actions:
            return region_rule(user, self.region_path)
        if user.role == Role.LEADER and action in self.leader_actions:
            return region_rule(user, self.region_path)
        if user.role == Role.ENTERPRISE and action in self.enterprise_actions and self.organisation_field:
            if user.organisation_id is None:
                return None
            return models.Q(**{self.organisation_field: user.organisation_id})
        return None


class CarrierPolicy(RegionScopedPolicy):
    """The record modules (platforms, achievements, talent, cooperation): region-scoped like every policy;
    rows reach an organisation only where a subclass names `organisation_field`, and a firm creates rows
    when `create` is among its `enterprise_actions`."""

    organisation_field = None

    def allows_create(self, user, **context) -> bool:
        if is_firm_user(user):
            return "create" in self.enterprise_actions and user.organisation_id is not None
        return self.may(user, "create")


class PublishedPolicy(Policy):
    """What anybody, logged in or not, may see: published rows only."""

    published_q = models.Q(is_published=True)

    def queryset(self, user, action="view", qs=None):
        qs = self.base_queryset() if qs is None else qs
        return qs.filter(self.published_q) if action == "view" else qs.none()

    def rule(self, user, action):
        return self.published_q if action == "view" else None


# What an enterprise user may keep current about its own organisation ("self_edit"). Everything else —
# the identity (name, credit code, kind, region, legal representative) and the registration facts staff
# rely on (founding date, industry, in-city flag) — is corrected by bureau staff only ("change"): a firm
# that could move itself to another district would leave its bureau's scope and enter another's.
ORGANISATION_SELF_FIELDS = ("address", "contact_name", "contact_phone")
ORGANISATION_STAFF_FIELDS = (
    "name",
    "credit_code",
    "kind",
    "region",
    "address",
    "legal_representative",
    "established_on",
    "industry",
    "contact_name",
    "contact_phone",
    "in_city",
)


class OrganisationPolicy(RegionScopedPolicy):
    """Bureau staff see and correct the organisations of their region; an enterprise user sees its own and
    keeps its contact details current (`self_edit`, `ORGANISATION_SELF_FIELDS` only)."""

    region_path = "region__"
    organisation_field = "pk"
    enterprise_actions = frozenset({"view", "self_edit"})

    @property
    def model(self):
        from kechuang.core.models import Organisation

        return Organisation

    def editable_fields(self, user, organisation) -> tuple[str, ...]:
        """The fields `user` may change on `organisation` (form field names; FKs without `_id`).

        A caller that is not a user (the command line, the demo, a background job acting for the system)
        is not limited here; its callers check scope themselves."""
        from django.contrib.auth import get_user_model

        if not isinstance(user, get_user_model()):
            return ORGANISATION_STAFF_FIELDS
        if self.allows(user, "change", organisation):
            return ORGANISATION_STAFF_FIELDS
        if self.allows(user, "self_edit", organisation):
            return ORGANISATION_SELF_FIELDS
        return ()


class PersonPolicy(RegionScopedPolicy):
    organisation_field = "organisation"

    @property
    def model(self):
        from kechuang.core.models import Person

        return Person

    def rule(self, user, action):
        q = super().rule(user, action)
        if user.role in (Role.STAFF, Role.LEADER) and q is not None:
            # People carry an optional region; those without one are visible through their organisation.
            q = q | models.Q(region__isnull=True, organisation__region__path__startswith=user.region.path)
        return q


class AttachmentPolicy(RegionScopedPolicy):
    """A file is visible to its uploader, to the owning organisation's users and to bureau staff of its region."""

    @property
    def model(self):
        from kechuang.core.models import Attachment

        return Attachment

    def rule(self, user, action):
        if action != "view":
            return None
        q = models.Q(uploaded_by=user)
        if user.role in (Role.STAFF, Role.LEADER) and user.region_id:
            q |= models.Q(region__path__startswith=user.region.path)
            q |= models.Q(organisation__region__path__startswith=user.region.path)
        if user.role == Role.ENTERPRISE and user.organisation_id:
            q |= models.Q(organisation_id=user.organisation_id)
        return q


class AuditPolicy(Policy):
    """Only the audit administrator reads the audit trail; nobody changes it (三员分立)."""

    @property
    def model(self):
        from kechuang.core.models import AuditEvent

        return AuditEvent

    def rule(self, user, action):
        if user.role == Role.AUDITADMIN and action == "view":
            return models.Q()
        return None


class CalendarPolicy(Policy):
    """The working-day calendar is one for the instance (national holidays and 调休): everyone reads it,
    only the instance's system administrator changes it (a district's staff must not move another
    district's deadlines)."""

    @property
    def model(self):
        from kechuang.core.models import CalendarDay

        return CalendarDay

    def rule(self, user, action):
        if action == "view" and user.is_authenticated:
            return models.Q()
        if action == "change" and user.role == Role.SYSADMIN:
            return models.Q()
        return None


class DictionaryPolicy(Policy):
    """The data dictionaries (行业, 技术领域, 重点产业 …) are the instance's: every import, form and figure of
    every bureau on it reads the same codes. Everyone signed in reads them; the instance's system
    administrator and the staff of the bureau that runs the instance (`KECHUANG["HOME_REGION_CODE"]`, or a
    bureau above it) maintain them — a district on a city's instance asks the city (issue 25: shared
    configuration is edited only by the instance's administrators)."""

    change_actions = frozenset({"change", "create"})

    @property
    def model(self):
        from kechuang.core.models import DictItem

        return DictItem

    def rule(self, user, action):
        if action == "view" and user.is_authenticated:
            return models.Q()
        if action in self.change_actions and self.maintains(user):
            return models.Q()
        return None

    def allows_create(self, user, **context) -> bool:
        return self.may(user, "create")

    @staticmethod
    def maintains(user) -> bool:
        from django.conf import settings

        if user.role == Role.SYSADMIN:
            return True
        if user.role != Role.STAFF or user.region_id is None:
            return False
        home = settings.KECHUANG["HOME_REGION_CODE"]
        from kechuang.core.models import Region

        home_path = Region.objects.filter(code=home).values_list("path", flat=True).first()
        return bool(home_path) and home_path.startswith(user.region.path)


def is_bureau_staff(user) -> bool:
    """科室工作人员 of a bureau (a region): who keeps the bureau's records."""
    return bool(
        getattr(user, "is_authenticated", False) and user.role == Role.STAFF and user.region_id is not None
    )


def is_bureau_user(user) -> bool:
    """Staff or leadership of a bureau (a region): who reads the bureau's records."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.role in (Role.STAFF, Role.LEADER)
        and user.region_id is not None
    )


def is_firm_user(user) -> bool:
    """An enterprise account: it sees and acts for its own organisation only."""
    return bool(getattr(user, "is_authenticated", False) and user.role == Role.ENTERPRISE)


def is_commissioner(user) -> bool:
    """A 科技特派员 account: its own pairings and service logs."""
    return bool(getattr(user, "is_authenticated", False) and user.role == Role.COMMISSIONER)


def is_expert_account(user) -> bool:
    """An 评审专家 account (reviews what it is drawn to; its own expert page)."""
    return bool(getattr(user, "is_authenticated", False) and user.role == Role.EXPERT)


def is_sysadmin(user) -> bool:
    """The instance's 系统管理员 (三员分立): accounts, background processes, deliveries."""
    return bool(getattr(user, "is_authenticated", False) and user.role == Role.SYSADMIN)


def is_bureau_or_firm_user(user) -> bool:
    """Pages that bureau users and firms both use, each seeing its own scope (projects, platforms …)."""
    return is_bureau_user(user) or is_firm_user(user)


def keeps_reference_data(user) -> bool:
    """The reference pages (working calendar, data dictionaries): bureau staff read them where they work and
    the system administrator keeps them; whether one may change them is each page's policy."""
    return is_bureau_staff(user) or is_sysadmin(user)


def may_read_audit_trail(user) -> bool:
    return audit_events.may(user, "view")


def may_see_build_details(user) -> bool:
    """`/version` in full (package versions, commit, pending migrations): the instance's system
    administrator; everyone else, anonymous callers included, sees only the opaque build id."""
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.SYSADMIN)


def may_see_background_jobs(user) -> bool:
    """The background-processes page (workers' and schedulers' heartbeats, jobs that wait too long): the
    instance's system administrator, who runs those processes."""
    return may_see_build_details(user)


def may_read_api_docs(user) -> bool:
    """The API documentation (`/api/docs`, `/api/openapi.json`): any signed-in, active user."""
    return bool(user and user.is_authenticated and user.is_active)


def may_edit_bureau_contact(user) -> bool:
    """The bureau's contact office and phone (printed on 公示 and decision letters): its own staff, for the
    region their account belongs to; nobody edits another bureau's."""
    return bool(
        user and user.is_authenticated and user.role == Role.STAFF and getattr(user, "region_id", None)
    )


organisations = OrganisationPolicy()
people = PersonPolicy()
attachments = AttachmentPolicy()
audit_events = AuditPolicy()
calendar = CalendarPolicy()
dictionaries = DictionaryPolicy()
