"""The platform's notion of "today" for business dates.

In production this is simply the local date (Asia/Shanghai). The demo district describes the year of the
seed reply, so `make run` sets `KECHUANG_AS_OF=2020-11-30`: pages, deadlines and "valid on" checks then behave
as on that day, and every page shows a banner saying so. Audit timestamps and login security always use the
real clock (`django.utils.timezone.now()`), never this one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def as_of_override() -> dt.date | None:
    return settings.KECHUANG.get("AS_OF")


def today() -> dt.date:
    return as_of_override() or timezone.localdate()


def now() -> dt.datetime:
    """The current moment, moved to `today()` when the demo clock is set (time of day kept)."""
    real = timezone.localtime()
    override = as_of_override()
    if override is None:
        return real
    return real.replace(year=override.year, month=override.month, day=override.day)
