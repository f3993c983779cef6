"""Where an approved application's outcome is written: a small registry of handlers.

A handler is registered for a programme-type code (most specific) or an outcome kind, and is called
inside the decision's transaction as `handler(application=, decision=, actor=, data=)` (data: e.g. a certificate number); it returns a short
description of what it wrote (shown on the decision). Modules that own the outcome register their handler
here (e.g. enterprises registers the HNTE qualification writer), so this module never imports theirs.
"""

from __future__ import annotations

from collections.abc import Callable

_HANDLERS: dict[str, Callable[..., str]] = {}


def register_outcome(kind: str, handler: Callable[..., str]) -> None:
    _HANDLERS[kind] = handler


def handler_for(application) -> Callable[..., str] | None:
    ptype = application.call.programme.type
    return _HANDLERS.get(ptype.code) or _HANDLERS.get(ptype.outcome_kind)


def registered() -> dict[str, Callable[..., str]]:
    return dict(_HANDLERS)


def apply(*, application, decision, actor, data: dict | None = None) -> str:
    handler = handler_for(application)
    if handler is None:
        return ""
    return handler(application=application, decision=decision, actor=actor, data=data or {}) or ""
