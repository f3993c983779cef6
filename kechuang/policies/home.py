"""The policies card of the home page (工作台, `core.home`): a firm sees what it qualifies for and nearly
qualifies for (counts and the first items, each linked to its explanation); bureau staff see per item of the
policies in force how many of their firms are eligible and the 免申即享 batches still waiting for a step."""

from __future__ import annotations

from kechuang.policies import rules, selectors

TOP = 3


def firm_card(request) -> dict:
    user = request.user
    rows = [m for m in selectors.firm_matches(user) if m.verdict in (rules.ELIGIBLE, rules.NEAR)]
    eligible = [m for m in rows if m.verdict == rules.ELIGIBLE]
    near = [m for m in rows if m.verdict == rules.NEAR]
    return {
        "eligible": eligible[:TOP],
        "near": near[:TOP],
        "n_eligible": len(eligible),
        "n_near": len(near),
    }


def staff_card(request) -> dict:
    user = request.user
    pending = selectors.pending_batches(user)
    return {
        "policies": selectors.item_counts(user),
        "batches": list(pending[:TOP]),
        "n_batches": pending.count(),
    }
