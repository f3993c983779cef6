"""The menu: each installed module declares its entries on its AppConfig (`nav`), so a module that is
not installed simply has no entry — never a dead link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    # label and description: gettext_lazy strings, so the menu reads in the request's language.
    label: str
    url_name: str
    # Who sees the entry: a predicate from the app's policy (`permissions.py`) or the shared ones in
    # core.permissions (`is_bureau_user`, `is_firm_user` …); None = any signed-in user. Never a role list here.
    visible: Callable[[object], bool] | None = None
    order: int = 100
    description: str = ""
    # Whose home page (工作台) offers the entry as a shortcut: a predicate like `visible`; None = nobody's.
    shortcut: Callable[[object], bool] | None = None

    def __post_init__(self):
        for name in ("visible", "shortcut"):
            value = getattr(self, name)
            if value is not None and not callable(value):
                raise TypeError(f"NavItem {self.label}: `{name}` must be a policy predicate, not {value!r}")

    def visible_to(self, user) -> bool:
        return self.visible is None or bool(self.visible(user))

    def shortcut_for(self, user) -> bool:
        return self.shortcut is not None and bool(self.shortcut(user)) and self.visible_to(user)


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
    """The user's menu entries; with `shortcuts`, only those the apps offer the user on the home page."""
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
                    # Rendered now, in the request's language (the apps declare them with gettext_lazy).
                    "label": str(item.label),
                    "url": url,
                    "order": item.order,
                    "description": str(item.description),
                    "app": app_config.label,
                    "group": str(app_config.verbose_name),
                }
            )
    return sorted(entries, key=lambda e: (e["order"], e["label"]))
