import datetime as dt

from django.utils import timezone

from kechuang.core import dates


def test_today_is_the_real_date_in_production(settings):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": None}
    assert dates.today() == timezone.localdate()


def test_demo_clock_moves_business_dates_but_keeps_time_of_day(settings):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 11, 30)}
    assert dates.today() == dt.date(2020, 11, 30)
    moved = dates.now()
    assert moved.date() == dt.date(2020, 11, 30)
    assert (
        abs(moved.hour * 60 + moved.minute - (timezone.localtime().hour * 60 + timezone.localtime().minute))
        <= 1
    )
