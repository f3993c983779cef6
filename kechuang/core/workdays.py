"""Chinese working days (DOMAIN.md §11): weekends off, statutory holidays off, 调休 weekend workdays on.

The calendar is data (`CalendarDay` exceptions, `CalendarYear.confirmed`). A result that touches a
year whose official schedule has not been entered is returned as *provisional* — never silently
computed as if weekends were the only rest days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kechuang.core.models import CalendarDay, CalendarYear

_SCAN_MARGIN_DAYS = 40  # a Spring-Festival week plus weekends fits comfortably


@dataclass(frozen=True)
class WorkdayResult:
    date: dt.date
    provisional: bool
    unconfirmed_years: tuple[int, ...] = ()

    @property
    def note(self) -> str:
        if not self.provisional:
            return ""
        years = "、".join(str(y) for y in self.unconfirmed_years)
        return f"{years}年放假安排尚未确认，此日期为暂定，确认后可能变化。"


class _Calendar:
    """Exceptions for a date range, loaded with one query per call."""

    def __init__(self, start: dt.date, end: dt.date):
        self.days = {d.date: d.kind for d in CalendarDay.objects.filter(date__range=(start, end))}
        self.confirmed = set(
            CalendarYear.objects.filter(year__range=(start.year, end.year), confirmed=True).values_list(
                "year", flat=True
            )
        )

    def is_workday(self, day: dt.date) -> bool:
        kind = self.days.get(day)
        if kind == CalendarDay.Kind.HOLIDAY:
            return False
        if kind == CalendarDay.Kind.WORKDAY:
            return True
        return day.weekday() < 5


def is_workday(day: dt.date) -> bool:
    return _Calendar(day, day).is_workday(day)


def add_working_days(start: dt.date, count: int, *, include_start: bool = False) -> WorkdayResult:
    """The date of the `count`-th working day after `start`.

    With include_start=True, `start` itself counts when it is a working day — the usual reading of
    "公示期自某日起N个工作日": a notice published on Monday 1st for 5 working days ends on Friday 5th.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    span = count * 2 + _SCAN_MARGIN_DAYS
    calendar = _Calendar(start, start + dt.timedelta(days=span))
    day = start if include_start else start + dt.timedelta(days=1)
    seen = 0
    while True:
        if calendar.is_workday(day):
            seen += 1
            if seen == count:
                break
        day += dt.timedelta(days=1)
        if day > start + dt.timedelta(days=span):  # pragma: no cover - only with absurd calendars
            calendar = _Calendar(day, day + dt.timedelta(days=span))
            span += span
    years = tuple(y for y in range(start.year, day.year + 1) if y not in calendar.confirmed)
    return WorkdayResult(day, bool(years), years)


def add_working_days_each(starts, count: int) -> dict[dt.date, dt.date]:
    """`add_working_days(start, count).date` for many starts at once, from one calendar load (a to-do list
    shows a due date on every row without a query per row)."""
    starts = sorted(set(starts))
    if not starts:
        return {}
    if count < 1:
        raise ValueError("count must be at least 1")
    span = count * 2 + _SCAN_MARGIN_DAYS
    calendar = _Calendar(starts[0], starts[-1] + dt.timedelta(days=span))
    due = {}
    for start in starts:
        day, seen = start, 0
        while seen < count:
            day += dt.timedelta(days=1)
            seen += calendar.is_workday(day)
        due[start] = day
    return due


def working_day_back(end: dt.date, count: int) -> dt.date:
    """The `count`-th working day counting back from `end` (`end` itself counts when it is one).

    Its use: a task started on `start` and due `count` working days later is overdue on `today` exactly
    when `start < working_day_back(today - 1 day, count)` — one date to compare in SQL."""
    if count < 1:
        raise ValueError("count must be at least 1")
    span = count * 2 + _SCAN_MARGIN_DAYS
    calendar = _Calendar(end - dt.timedelta(days=span), end)
    day, seen = end, calendar.is_workday(end)
    while seen < count:
        day -= dt.timedelta(days=1)
        seen += calendar.is_workday(day)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days have passed since `start` by `end`."""
    if end <= start:
        return 0
    calendar = _Calendar(start, end)
    day, count = start + dt.timedelta(days=1), 0
    while day <= end:
        count += calendar.is_workday(day)
        day += dt.timedelta(days=1)
    return count


def seed_from_packages(years: range) -> dict[int, str]:
    """Load holidays and 调休 days from chinese-calendar (confirmed years) or `holidays` (holidays only).

    chinese-calendar carries the State Council schedule including adjusted workdays; where it has no
    data the `holidays` package gives the holidays but not the 调休 days, so such a year stays
    unconfirmed until an administrator completes it.
    """
    import chinese_calendar
    import holidays as holidays_pkg

    outcome: dict[int, str] = {}
    cc_years = {d.year for d in chinese_calendar.holidays}
    for year in years:
        if year in cc_years:
            rows = [
                CalendarDay(date=d, kind=CalendarDay.Kind.HOLIDAY, name=_cc_name(h))
                for d, h in chinese_calendar.holidays.items()
                if d.year == year
            ]
            rows += [
                CalendarDay(date=d, kind=CalendarDay.Kind.WORKDAY, name=_cc_name(h))
                for d, h in chinese_calendar.workdays.items()
                if d.year == year and d.weekday() >= 5
            ]
            _replace_year(year, rows)
            CalendarYear.objects.update_or_create(
                year=year,
                defaults={"confirmed": True, "source": f"chinese-calendar {chinese_calendar.__version__}"},
            )
            outcome[year] = "confirmed"
        else:
            cn = holidays_pkg.China(years=year)
            rows = [
                CalendarDay(date=d, kind=CalendarDay.Kind.HOLIDAY, name=name)
                for d, name in sorted(cn.items())
            ]
            _replace_year(year, rows)
            CalendarYear.objects.update_or_create(
                year=year,
                defaults={
                    "confirmed": False,
                    "source": f"holidays {holidays_pkg.__version__}（缺调休安排，待管理员补全）",
                },
            )
            outcome[year] = "provisional"
    return outcome


def _cc_name(holiday) -> str:
    names = {
        "New Year's Day": "元旦",
        "Spring Festival": "春节",
        "Tomb-sweeping Day": "清明节",
        "Labour Day": "劳动节",
        "Dragon Boat Festival": "端午节",
        "National Day": "国庆节",
        "Mid-autumn Festival": "中秋节",
        "Anti-Fascist 70th Day": "抗战胜利纪念日",
    }
    value = getattr(holiday, "value", holiday)
    if isinstance(value, tuple):
        value = value[0]
    return names.get(str(value), str(value))


def _replace_year(year: int, rows: list[CalendarDay]) -> None:
    # Seeding fills only years an administrator has not confirmed by hand; see the calendar command.
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
