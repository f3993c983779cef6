"""Who may see and act on vouchers, redemptions, programmes, providers and support funds.

* Bureau staff: everything in their region subtree (programmes/budget lines by their region, vouchers by
  the programme's region).
* Leadership: view and export in their region.
* Enterprise users: their own firm's vouchers and redemptions (view; claim and request redemption go
  through the services, which check the firm again); open programmes of any region to claim from.
* Providers: each bureau's own registry (`ProviderPolicy`). A provider's own users (organisation users of
  the provider's organisation, ADR 0028) see the vouchers contracted with it and their redemptions, and
  confirm them ("provide"); they never change the firm's voucher.
* Everyone else: nothing.
"""

from __future__ import annotations

from django.db.models import Q

from kechuang.core.permissions import BureauConfigPolicy, RegionScopedPolicy, is_firm_user
from kechuang.core.roles import Role


class StaffCreates:
    """Bureau staff with a region create these (in their own region)."""

    def allows_create(self, user, **context) -> bool:
        return bool(user.is_authenticated and user.role == Role.STAFF and user.region_id)


class ProgrammePolicy(StaffCreates, RegionScopedPolicy):
    region_path = "region__"
    organisation_field = None

    @property
    def model(self):
        from kechuang.vouchers.models import VoucherProgramme

        return VoucherProgramme

    def rule(self, user, action):
        if user.role == Role.ENTERPRISE and action == "view" and user.organisation_id:
            return Q(is_active=True)
        return super().rule(user, action)


def _as_provider(user, action: str, path: str) -> Q | None:
    """What a provider's own user reaches through `path` (to the Provider): view and confirm ("provide")."""
    if user.role != Role.ENTERPRISE or not user.organisation_id or action not in ("view", "provide"):
        return None
    return Q(**{f"{path}organisation_id": user.organisation_id})


def _either(a: Q | None, b: Q | None) -> Q | None:
    if a is None or b is None:
        return a if b is None else b
    return a | b


class VoucherPolicy(RegionScopedPolicy):
    region_path = "programme__region__"
    organisation_field = "organisation"
    # "review": staff decide a claim; "use": the firm signs a contract with a provider (core.todos).
    staff_actions = RegionScopedPolicy.staff_actions | {"review"}
    enterprise_actions = frozenset({"view", "change", "use"})

    def rule(self, user, action):
        q = super().rule(user, action)
        if action == "review" and q is not None:
            # Two-person issue: who proposed an amount does not also confirm it (nor see it as their task).
            return q & ~Q(issue_proposed_by=user)
        return _either(q, _as_provider(user, action, "provider__"))

    @property
    def model(self):
        from kechuang.vouchers.models import Voucher

        return Voucher


class RedemptionPolicy(RegionScopedPolicy):
    region_path = "voucher__programme__region__"
    organisation_field = "voucher__organisation"
    # "review": staff review a redemption; "approve_payout": a second staff member checks a payout.
    staff_actions = RegionScopedPolicy.staff_actions | {"review", "approve_payout"}

    def rule(self, user, action):
        q = super().rule(user, action)
        if action == "approve_payout" and q is not None:
            return q & ~Q(payout_requested_by=user)  # 四眼: never the one who requested it
        return _either(q, _as_provider(user, action, "voucher__provider__"))

    @property
    def model(self):
        from kechuang.vouchers.models import Redemption

        return Redemption


class ProviderPolicy(StaffCreates, BureauConfigPolicy):
    """Each bureau keeps its own provider registry and blacklist (issue 25: 张店区 staff had blacklisted a
    provider 周村区 used). Staff of the registering bureau vet and blacklist; its staff and leaders and
    those below read; other districts get 404. Firms see approved providers to choose from (a contract
    is checked against the programme's region, `services.lifecycle.contract_problem`)."""

    @property
    def model(self):
        from kechuang.vouchers.models import Provider

        return Provider

    def rule(self, user, action):
        if user.role == Role.ENTERPRISE and action == "view":
            return Q(status="approved")
        return super().rule(user, action)


class BudgetLinePolicy(StaffCreates, RegionScopedPolicy):
    region_path = "region__"
    organisation_field = None

    @property
    def model(self):
        from kechuang.vouchers.models import BudgetLine

        return BudgetLine


class AllocationPolicy(StaffCreates, RegionScopedPolicy):
    region_path = "budget_line__region__"
    organisation_field = "organisation"

    @property
    def model(self):
        from kechuang.vouchers.models import Allocation

        return Allocation


programmes = ProgrammePolicy()
vouchers = VoucherPolicy()
redemptions = RedemptionPolicy()
providers = ProviderPolicy()
budget_lines = BudgetLinePolicy()
allocations = AllocationPolicy()


def sees_own_vouchers_on_home(user) -> bool:
    return is_firm_user(user) and vouchers.may(user, "use")


def is_provider_user(user) -> bool:
    """A user of an organisation registered as a service provider (ADR 0028): its home shows the services."""
    from kechuang.vouchers.models import Provider

    return (
        is_firm_user(user)
        and bool(user.organisation_id)
        and Provider.objects.filter(
            organisation_id=user.organisation_id, status__in=["approved", "blacklisted"]
        ).exists()
    )
