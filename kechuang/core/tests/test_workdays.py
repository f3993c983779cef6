import datetime as dt

import pytest

from kechuang.core import workdays
from kechuang.core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_spring_festival_week_is_skipped(calendar_2020_2027):
    # 2026 春节: 2月15日—23日 off; Saturday 2月14日 and 2月28日 are 调休 workdays.
    result = workdays.add_working_days(dt.date(2026, 2, 12), 3)
    # 13 (Fri) → 14 (Sat, 调休) → 24 (Tue, first day back)
    assert result.date == dt.date(2026, 2, 24)
    assert not result.provisional


def test_adjusted_saturday_counts_as_a_working_day(calendar_2020_2027):
    assert workdays.is_workday(dt.date(2026, 2, 28))
    assert not workdays.is_workday(dt.date(2026, 2, 16))
    assert not workdays.is_workday(dt.date(2026, 3, 1))  # an ordinary Sunday


def test_ten_working_day_notice_over_national_day(calendar_2020_2027):
    # 公示 from Monday 2020-09-28 for 10 working days, counting the first day.
    # 2020: 9/27 (Sun) and 10/10 (Sat) are 调休 workdays; 10/1—10/8 off.
    result = workdays.add_working_days(dt.date(2020, 9, 28), 10, include_start=True)
    # 9/28, 9/29, 9/30, 10/9, 10/10(Sat), 10/12, 10/13, 10/14, 10/15, 10/16
    assert result.date == dt.date(2020, 10, 16)


def test_unconfirmed_year_is_provisional_not_silently_weekends_only(calendar_2020_2027):
    result = workdays.add_working_days(dt.date(2026, 12, 28), 10)
    assert result.provisional
    assert result.unconfirmed_years == (2027,)
    assert "2027" in result.note
    # 2027 holidays from the `holidays` package are still applied: New Year's Day is not a working day.
    assert not workdays.is_workday(dt.date(2027, 1, 1))


def test_admin_confirmation_clears_the_provisional_flag(calendar_2020_2027):
    CalendarDay.objects.update_or_create(
        date=dt.date(2027, 2, 20), defaults={"kind": CalendarDay.Kind.WORKDAY}
    )
    CalendarYear.objects.filter(year=2027).update(confirmed=True, source="国办发明电〔2026〕X号")
    result = workdays.add_working_days(dt.date(2027, 2, 19), 1)
    assert result.date == dt.date(2027, 2, 20)
    assert not result.provisional


def test_working_days_between(calendar_2020_2027):
    assert (
        workdays.working_days_between(dt.date(2020, 9, 30), dt.date(2020, 10, 12)) == 3
    )  # 10/9, 10/10, 10/12
    assert workdays.working_days_between(dt.date(2020, 10, 12), dt.date(2020, 10, 1)) == 0
