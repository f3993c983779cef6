"""Registry of public sections: each module lists its published pages (公示, project lists, cards) on its
AppConfig as `public_nav = [PublicSection(...)]`; the portal shows those of installed modules."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class PublicSection:
    # label and description: gettext_lazy strings, so the portal reads in the visitor's language.
    label: str
    url_name: str
    description: str = ""
    order: int = 100


def sections() -> list[dict]:
    found = []
    for app_config in apps.get_app_configs():
        for s in getattr(app_config, "public_nav", ()):
            try:
                found.append(
                    {
                        "label": str(s.label),
                        "url": reverse(s.url_name),
                        "description": str(s.description),
                        "order": s.order,
                    }
                )
            except NoReverseMatch:
                continue
    return sorted(found, key=lambda s: s["order"])
