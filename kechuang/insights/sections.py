"""Sections other modules add to the firm profile (企业画像), read from their AppConfigs.

A module contributes by giving its AppConfig a `profile_sections` attribute: a sequence of callables
`(organisation, user, as_of) -> ProfileSection | None`. The profile renders each section returned in a place
of its own, by `slot`: "policies" is the place for the policies a firm matches (政策匹配, the policies module);
until a module fills it, the profile shows nothing there. Nothing is ever shown for a module not installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps

SLOTS = {"policies": "匹配的政策", "other": "其他"}


@dataclass(frozen=True)
class ProfileSection:
    slot: str  # a key of SLOTS
    title: str
    template: str
    context: dict = field(default_factory=dict)


def profile_sections(organisation, user, as_of) -> list[dict]:
    """The contributed sections by slot, in SLOTS order: [{"slot", "title", "items"}]; a slot nobody fills
    is absent."""
    found: dict[str, list[ProfileSection]] = {}
    for app_config in apps.get_app_configs():
        for make in getattr(app_config, "profile_sections", ()):
            section = make(organisation, user, as_of)
            if section is not None:
                found.setdefault(section.slot if section.slot in SLOTS else "other", []).append(section)
    return [{"slot": k, "title": SLOTS[k], "items": found[k]} for k in SLOTS if k in found]
