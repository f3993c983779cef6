"""The policies card of the home page (工作台, `core.home_cards`): a firm sees what it qualifies for and nearly
qualifies for (counts and the first items, each linked to its explanation); bureau staff see per item of the
policies in force how many of their firms are eligible and the 免申即享 batches still waiting for a step."""

from __future__ import annotations

from kechuang.core.home_cards import HomeCard
from kechuang.policies import permissions, rules, selectors

TOP = 3


def policies_card(user) -> HomeCard | None:
    if permissions.is_firm(user):
        return _firm_card(user)
    if permissions.is_bureau(user):
        return _staff_card(user)
    return None


def _firm_card(user) -> HomeCard:
    rows = [m for m in selectors.firm_matches(user) if m.verdict in (rules.ELIGIBLE, rules.NEAR)]
    eligible = [m for m in rows if m.verdict == rules.ELIGIBLE]
    near = [m for m in rows if m.verdict == rules.NEAR]
    context = {
        "eligible": eligible[:TOP],
        "near": near[:TOP],
        "n_eligible": len(eligible),
        "n_near": len(near),
    }
    return HomeCard("policies", "policies/_home_firm.html", context, order=10)


def _staff_card(user) -> HomeCard:
    pending = selectors.pending_batches(user)
    context = {
        "policies": selectors.item_counts(user),
        "batches": list(pending[:TOP]),
        "n_batches": pending.count(),
    }
    return HomeCard("policies", "policies/_home_staff.html", context, order=40)
