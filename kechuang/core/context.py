"""Per-request facts that services need but must not take as arguments (they never see `request`)."""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
