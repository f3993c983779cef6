"""Cards a module adds to the home page (工作台) without core knowing the module (core imports no app).

A module contributes by giving its AppConfig a `home_cards` attribute: a sequence of callables
`(user) -> HomeCard | None`. A card is rendered from its own template (kept in the module) with `card` in the
context; None shows nothing (the user's role has no use for it, or there is nothing to say).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True)
class HomeCard:
    key: str  # unique among the cards; the section's HTML id is "home-<key>"
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def cards_for(user) -> list[HomeCard]:
    found = []
    for config in apps.get_app_configs():
        for make in getattr(config, "home_cards", ()):
            card = make(user)
            if card is not None:
                found.append(card)
    return sorted(found, key=lambda c: (c.order, c.key))
