"""Permissions live in the policies (issue 26 item 3): a role comparison — `user.role == …`, `.role in …`, a
template's `user.role == "staff"` — outside an app's `permissions.py` (or `core/roles.py`, `core/pii.py`, the
PII policy) fails this test. Views, services and templates ask the policy (`permissions.may_…`, or the shared
`core.permissions.is_bureau_staff` / `is_bureau_user` / `is_firm_user`).

KNOWN lists the places not yet moved, with how many comparisons each still holds; the list may only shrink
(a count above its entry, or a file not on it, fails)."""

import re
from pathlib import Path

import kechuang

ROOT = Path(kechuang.__file__).parent
COMPARISON = re.compile(
    r"\.role\s*(?:==|!=|\bin\b|\bnot in\b)|\brole\s*==\s*['\"]|getattr\(\w+,\s*\"role\"[^)]*\)\s*(?:==|!=|\bin\b)"
)
ALLOWED = {"core/roles.py", "core/pii.py"}  # the roles themselves; the PII policy (KECHUANG_PII_ROLES)

KNOWN: dict[str, int] = {}


def _comparisons() -> dict[str, int]:
    found = {}
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in (".py", ".html") or {"tests", "migrations"} & set(path.parts):
            continue
        relative = path.relative_to(ROOT).as_posix()
        if path.name == "permissions.py" or relative in ALLOWED:
            continue
        count = len(COMPARISON.findall(path.read_text(encoding="utf-8")))
        if count:
            found[relative] = count
    return found


def test_no_role_comparison_outside_the_policies():
    grown = {
        path: (count, KNOWN.get(path, 0))
        for path, count in _comparisons().items()
        if count > KNOWN.get(path, 0)
    }
    assert not grown, (
        f"role comparisons outside permissions.py (found, allowed) — ask the app's policy instead: {grown}"
    )


def test_the_known_list_only_shrinks():
    found = _comparisons()
    stale = {
        path: (found.get(path, 0), allowed) for path, allowed in KNOWN.items() if found.get(path, 0) < allowed
    }
    assert not stale, f"fewer role comparisons than KNOWN allows: lower or remove these entries {stale}"


def test_every_menu_entry_asks_a_predicate():
    """Menu entries say who sees them with a policy predicate (`is_bureau_user`, `permissions.may_…`),
    never a role list of their own."""
    from django.apps import apps

    entries = [item for config in apps.get_app_configs() for item in getattr(config, "nav", ())]
    assert entries
    assert all(item.visible is None or callable(item.visible) for item in entries)
