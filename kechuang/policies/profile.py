"""The policies a firm matches, as a section of its profile (企业画像, `insights.sections`): the eligible and
nearly eligible items of policies in force with their summaries, read through the matches policy (the firm
itself, the bureau's staff and leaders of its region). Nothing when there is nothing to show."""

from __future__ import annotations

from kechuang.policies import permissions, rules, selectors
from kechuang.policies.models import Match, Policy

SHOWN = (rules.ELIGIBLE, rules.NEAR, rules.UNDECIDED)


def matches_section(organisation, user, as_of):
    from kechuang.insights.sections import ProfileSection

    rows = selectors.dated(
        permissions.matches.queryset(user, "view", Match.objects.all())
        .filter(organisation=organisation, item__policy__status=Policy.Status.ACTIVE, verdict__in=SHOWN)
        .select_related("item", "item__policy", "organisation__region", "run")
        .order_by("verdict", "item__policy__name", "item__position")
    )
    if not rows:
        return None
    return ProfileSection(
        "policies", "政策找企业：符合与接近符合的条款", "policies/_profile_matches.html", {"matches": rows}
    )
