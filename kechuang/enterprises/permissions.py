"""Who may see and change firms and their qualifications (one policy per record type).

* Bureau staff: view, change, record/revoke qualifications, export — firms in their region subtree.
* Leadership: view and export in their region, read-only.
* Enterprise users: their own firm only — view it and report its own figures (`report`: profile and yearly
  data); its qualifications read-only. Its master data (name, code, region, kind, legal representative) is
  `change`, bureau staff only (`core.permissions.OrganisationPolicy.editable_fields`).
* Everyone else (experts, commissioners, the three administrators): nothing.
"""

from __future__ import annotations

from kechuang.core.permissions import RegionScopedPolicy, is_bureau_staff, is_bureau_user, is_firm_user


class EnterprisePolicy(RegionScopedPolicy):
    region_path = "region__"
    organisation_field = "pk"
    staff_actions = RegionScopedPolicy.staff_actions | {"report"}
    enterprise_actions = frozenset({"view", "report"})

    @property
    def model(self):
        from kechuang.core.models import Organisation

        return Organisation

    def base_queryset(self):
        return self.model._default_manager.filter(kind=self.model.Kind.ENTERPRISE)


class QualificationPolicy(RegionScopedPolicy):
    """Staff record, revoke, correct (更正) and void (作废) qualifications of firms in their region."""

    region_path = "organisation__region__"
    organisation_field = "organisation"
    # "renew": a certificate ending soon is the firm's to renew and its bureau's to follow up (core.todos).
    staff_actions = RegionScopedPolicy.staff_actions | {"void", "correct", "renew"}
    enterprise_actions = frozenset({"view", "renew"})

    @property
    def model(self):
        from kechuang.enterprises.models import Qualification

        return Qualification

    def allows_create(self, user, *, organisation=None, **context) -> bool:
        """Recording a qualification: bureau staff, for a firm they may change."""
        if organisation is None or not self.may(user, "create"):
            return False
        return enterprises.queryset(user, "change").filter(pk=organisation.pk).exists()


enterprises = EnterprisePolicy()
qualifications = QualificationPolicy()


def reads_region_lists(user) -> bool:
    """The region-wide pages (ladder, pipeline, lists): the bureau's staff and leadership."""
    return is_bureau_user(user)


def may_screen(user) -> bool:
    """Starting a screening of the region's firms against the rules: the bureau's staff."""
    return is_bureau_staff(user)


def has_own_firm(user) -> bool:
    """An enterprise account linked to its firm (我的企业)."""
    return is_firm_user(user) and user.organisation_id is not None
