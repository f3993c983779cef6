"""The sliding idle timeout writes the session row only when its expiry would move by more than a minute."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.middleware import SEEN_KEY

pytestmark = pytest.mark.django_db
HOME = "core:home"


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    writes = [
        q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]
    ]
    return response, writes


def _row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_requests_within_the_touch_interval_do_not_write_the_session(client, staff):
    client.force_login(staff)
    client.get(reverse(HOME))  # the first request after login stamps kc_seen
    before = _row(client).expire_date
    for _ in range(3):
        response, writes = _session_writes(client, reverse(HOME))
        assert response.status_code == 200
        assert writes == []
    assert _row(client).expire_date == before


def test_an_old_stamp_moves_the_expiry_forward(client, staff):
    client.force_login(staff)
    session = client.session
    stale = int(timezone.now().timestamp()) - settings.SESSION_TOUCH_SECONDS - 1
    session[SEEN_KEY] = stale
    session.save()
    old_expiry = _row(client).expire_date
    response, writes = _session_writes(client, reverse(HOME))
    assert response.status_code == 200 and writes
    row = _row(client)
    assert row.get_decoded()[SEEN_KEY] > stale
    assert row.expire_date > old_expiry
    assert row.expire_date >= timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


def test_an_idle_session_still_ends(client, staff):
    client.force_login(staff)
    client.get(reverse(HOME))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse(HOME))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_touch_interval_is_at_most_a_minute_and_a_tenth_of_the_idle_timeout():
    assert 0 < settings.SESSION_TOUCH_SECONDS <= min(60, settings.SESSION_COOKIE_AGE // 10)
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
