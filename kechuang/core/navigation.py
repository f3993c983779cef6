"""The menu: each installed module declares its entries on its AppConfig (`nav`), so a module that is
not installed simply has no entry — never a dead link."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from kechuang.core.roles import holds


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty = any logged-in user
    order: int = 100
    description: str = ""
    shortcut: frozenset[str] = field(
        default_factory=frozenset
    )  # roles whose home page offers it as a shortcut

    def visible_to(self, user) -> bool:
        return not self.roles or holds(user, self.roles)

    def shortcut_for(self, user) -> bool:
        return bool(self.shortcut) and holds(user, self.shortcut) and self.visible_to(user)


def grouped_menu(entries: list[dict]) -> list[dict]:
    """Menu entries grouped by module (the app's verbose name), groups ordered by their first entry."""
    groups: dict[str, dict] = {}
    for entry in entries:
        if entry["order"] == 0:  # the home page has its own place at the top
            continue
        group = groups.setdefault(
            entry["group"], {"label": entry["group"], "order": entry["order"], "items": []}
        )
        group["items"].append(entry)
        group["order"] = min(group["order"], entry["order"])
    return sorted(groups.values(), key=lambda g: g["order"])


def menu_for(user, *, shortcuts: bool = False) -> list[dict]:
    """The user's menu entries; with `shortcuts`, only those the apps offer the user's role on the home page."""
    entries = []
    for app_config in apps.get_app_configs():
        for item in getattr(app_config, "nav", ()):
            if not (item.shortcut_for(user) if shortcuts else item.visible_to(user)):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            entries.append(
                {
                    "label": item.label,
                    "url": url,
                    "order": item.order,
                    "description": item.description,
                    "app": app_config.label,
                    "group": str(app_config.verbose_name),
                }
            )
    return sorted(entries, key=lambda e: (e["order"], e["label"]))
