"""The home page's cards (issue 27 item 5): each installed module contributes what its users should see first,
the way it contributes its menu entries (`nav`) and task kinds (`todos`), so core never imports an app.

An AppConfig lists its cards as `home_cards`, a sequence of `HomeCard` or of plain tuples
`(template, context, visible)` / `(template, context, visible, order)`:

    @property
    def home_cards(self):
        from kechuang.programmes import home, permissions
        return [("programmes/_home_firm.html", home.firm_card, permissions.may_apply)]

* `visible(user) -> bool` is a permission check from the app's permissions.py (never a role comparison);
* `context(request) -> dict | None` builds what the template shows (a few counts, one query or a few — the
  home page is opened many times a day); None leaves the card out (nothing to show);
* the template is included with the context as `card`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class HomeCard:
    template: str
    context: Callable[[object], dict | None]
    visible: Callable[[object], bool]
    order: int = 100


def declared() -> list[tuple[str, HomeCard]]:
    """(app label, card) for every card the installed apps declare."""
    out = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "home_cards", ()):
            out.append((config.label, entry if isinstance(entry, HomeCard) else HomeCard(*entry)))
    return out


def cards_for(request) -> list[dict]:
    """The cards the signed-in user may see and that have something to show, in their order."""
    shown = []
    for label, card in declared():
        if not card.visible(request.user):
            continue
        context = card.context(request)
        if context is None:
            continue
        shown.append({"app": label, "template": card.template, "order": card.order, "card": context})
    return sorted(shown, key=lambda c: (c["order"], c["app"], c["template"]))


def status_counts(queryset, field: str = "status") -> list[dict]:
    """[{"value", "label", "n"}] of `queryset` by its choice field `field` (one query), in the choices' order,
    only the statuses present: the "my applications / projects / vouchers" lines of a home card."""
    from django.db.models import Count

    model_field = queryset.model._meta.get_field(field)
    found = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
    return [
        {"value": value, "label": str(label), "n": found[value]}
        for value, label in model_field.choices
        if found.get(value)
    ]
