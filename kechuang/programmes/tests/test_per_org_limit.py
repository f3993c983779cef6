"""Issue 23 item 6: 每单位限报 — a call's `max_per_org` (default 1) live applications per organisation, checked
under the call's row lock (race-safe on PostgreSQL), refused in Chinese, edited on the call form."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.programmes import services
from kechuang.programmes.models import Application, Call
from kechuang.programmes.tests.conftest import NOW


def _create(user, call, title="申报"):
    return services.application_create(
        actor=user, call=call, organisation=user.organisation, title=title, now=NOW
    )


@pytest.mark.django_db
def test_one_live_application_per_firm_by_default_and_withdrawn_ones_do_not_count(call, enterprise_user):
    assert call.max_per_org == 1
    first = _create(enterprise_user, call)
    with pytest.raises(ValidationError, match="每单位限报 1 项"):
        _create(enterprise_user, call)
    Application.objects.filter(pk=first.pk).update(status="withdrawn")
    _create(enterprise_user, call)
    other_firm = UserFactory(enterprise=True, organisation=OrganisationFactory())
    _create(other_firm, call)  # another firm has its own places


@pytest.mark.django_db
def test_a_call_may_allow_more_per_firm(call, enterprise_user):
    Call.objects.filter(pk=call.pk).update(max_per_org=2)
    _create(enterprise_user, call, "第一项")
    _create(enterprise_user, call, "第二项")
    with pytest.raises(ValidationError, match="已有 2 项申报"):
        _create(enterprise_user, call, "第三项")
    assert Application.objects.filter(call=call, organisation=enterprise_user.organisation).count() == 2


@pytest.mark.django_db
def test_staff_edit_the_limit_on_the_call_form(client, call, staff):
    client.force_login(staff)
    url = reverse("programmes:call_edit", args=[call.pk])
    page = client.get(url).content.decode()
    assert "每单位限报（项）" in page
    fields = {
        "name": call.name,
        "opens_at": "2020-05-01T09:00",
        "closes_at": "2020-06-30T17:00",
        "max_per_org": "0",
    }
    assert "确保该值大于或等于1" in client.post(url, fields).content.decode()
    client.post(url, {**fields, "max_per_org": "3"})
    call.refresh_from_db()
    assert call.max_per_org == 3


@pytest.mark.django_db(transaction=True)
def test_drafts_started_at_once_never_exceed_the_limit(call, enterprise_user):
    """Real threads, each with its own connection: the call's row lock lets one through (PostgreSQL; on
    SQLite the IMMEDIATE transactions serialise the writers)."""
    n = 6
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i):
        try:
            barrier.wait()
            _create(enterprise_user, call, f"并发{i}")
            results[i] = "ok"
        except ValidationError as exc:
            results[i] = exc.messages[0]
        except Exception as exc:  # noqa: BLE001 - reported below
            results[i] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert all(r == "ok" or "每单位限报" in r for r in results), results
    assert Application.objects.filter(call=call, organisation=enterprise_user.organisation).count() == 1
