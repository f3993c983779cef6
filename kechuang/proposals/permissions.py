"""Proposals belong to the bureau of their region: staff handle them, leaders read; nobody else sees them."""

from kechuang.core.permissions import RegionScopedPolicy


class ProposalPolicy(RegionScopedPolicy):
    organisation_field = None
    staff_actions = frozenset({"view", "change", "create", "export"})

    @property
    def model(self):
        from kechuang.proposals.models import Proposal

        return Proposal

    def allows_create(self, user, **context):
        return self.may(user, "create")


class CoUnitPolicy(RegionScopedPolicy):
    region_path = "proposal__region__"
    organisation_field = None

    @property
    def model(self):
        from kechuang.proposals.models import CoUnit

        return CoUnit


proposals = ProposalPolicy()
co_units = CoUnitPolicy()
