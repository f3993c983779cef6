"""The dashboard's figures are kept as snapshots and refreshed off the request (reports.snapshots, ADR 0038):
after a change the page shows the figures it has, says when they were computed, and queues one refresh; the
worker's refresh (or the scheduled `figures refresh`) brings them up to date; a refresh that never comes is
done by the request."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import task_backends
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.enterprises import services as enterprises
from kechuang.enterprises.tests.factories import kind
from kechuang.reports import dashboard, snapshots
from kechuang.reports.models import FigureSnapshot

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _hnte(figures) -> int:
    return int(
        next(c["value"] for g in figures.data["groups"] for c in g["cards"] if c["code"] == "hnte_count")
    )


def _new_hnte(staff, town, number):
    enterprises.qualification_record(
        actor=staff, organisation=OrganisationFactory(region=town), kind=kind("hnte"),
        number=number, valid_from=dt.date(2019, 11, 28),
    )  # fmt: skip


@pytest.fixture
def queued(settings):
    """Tasks queued but not run, as with a worker that has not got to them yet."""
    settings.TASKS = DUMMY
    backend = task_backends["default"]
    backend.results.clear()
    return backend.results


def test_the_first_reader_computes_and_later_readers_read_one_row(scope, hnte_firms):
    hnte_firms(2)
    first = dashboard.figures(scope)
    assert first.fresh and _hnte(first) == 2 and FigureSnapshot.objects.count() == 1
    with CaptureQueriesContext(connection) as ctx:
        again = dashboard.figures(scope)
    assert again.fresh and again.data == first.data
    assert len(ctx.captured_queries) <= 3  # the figures stamp and the snapshot


def test_after_a_change_the_kept_figures_are_shown_as_older_and_one_refresh_is_queued(
    scope, staff, town, hnte_firms, queued
):
    hnte_firms(2)
    kept = dashboard.figures(scope)
    _new_hnte(staff, town, "GR201937009991")
    shown = dashboard.figures(scope)
    assert not shown.fresh and _hnte(shown) == 2 and shown.computed_at == kept.computed_at
    assert [r.task.name for r in queued] == ["refresh_figures"]
    dashboard.figures(scope)
    assert len(queued) == 1  # a refresh under way is not queued twice
    # the worker runs it: the next reader sees the change
    assert snapshots.refresh(queued[0].args[0], dashboard.figures_stamp())
    now = dashboard.figures(scope)
    assert now.fresh and _hnte(now) == 3


def test_a_refresh_that_never_comes_is_done_by_the_request(scope, staff, town, hnte_firms, queued):
    hnte_firms(1)
    dashboard.figures(scope)
    _new_hnte(staff, town, "GR201937009992")
    assert not dashboard.figures(scope).fresh and len(queued) == 1
    late = timezone.now() - snapshots.REFRESH_WAIT - dt.timedelta(minutes=1)
    FigureSnapshot.objects.update(refreshing_since=late)
    shown = dashboard.figures(scope)
    assert shown.fresh and _hnte(shown) == 2


def test_the_page_says_when_older_figures_were_computed(client, district, staff, town, hnte_firms, queued):
    hnte_firms(1)
    url = reverse("reports:dashboard") + f"?period=2020&as_of=2020-11-30&region={district.pk}"
    client.force_login(UserFactory(leader=True, region=district))
    assert "data-figures-stale" not in client.get(url).text
    _new_hnte(staff, town, "GR201937009993")
    html = client.get(url).text
    computed = FigureSnapshot.objects.get(kind="dashboard").computed_at
    assert "data-figures-stale" in html and f"计算于 {timezone.localtime(computed):%Y-%m-%d %H:%M}" in html


def test_the_api_says_whether_the_figures_are_current(client, district, staff, town, hnte_firms, queued):
    from kechuang.platforms.tests.api_client import ApiClient

    hnte_firms(1)
    api = ApiClient(client, UserFactory(staff=True, region=district), "reports")
    body = api.get("/figures", period="2020", as_of="2020-11-30").json()
    assert body["current"] is True and body["computed_at"]
    _new_hnte(staff, town, "GR201937009994")
    assert api.get("/figures", period="2020", as_of="2020-11-30").json()["current"] is False


def test_the_scheduled_refresh_updates_what_was_read_and_drops_what_was_not(
    scope, staff, town, hnte_firms, queued, other_district
):
    from kechuang.core.indicators import Scope

    hnte_firms(1)
    dashboard.figures(scope)
    dashboard.figures(Scope(other_district, scope.period, scope.as_of))
    FigureSnapshot.objects.filter(region=other_district).update(
        read_at=timezone.now() - dt.timedelta(days=snapshots.KEEP_DAYS + 1)
    )
    _new_hnte(staff, town, "GR201937009995")
    out = io.StringIO()
    call_command("figures", "refresh", stdout=out)
    assert "已更新 1 个" in out.getvalue()
    assert not FigureSnapshot.objects.filter(region=other_district).exists()
    shown = dashboard.figures(scope)
    assert shown.fresh and _hnte(shown) == 2 and not queued
    call_command("figures", "status", stdout=out)
    assert "最新" in out.getvalue()


def test_snapshots_keep_plain_json_and_refuse_other_types():
    assert snapshots.plain({"a": (1, "二")}) == {"a": [1, "二"]}
    with pytest.raises(TypeError):
        snapshots.plain({"value": Decimal("1.5")})  # would come back as a different type
