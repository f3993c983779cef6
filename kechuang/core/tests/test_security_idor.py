"""IDOR on every URL pattern and API route (issue 11): the demo district plus objects moved to 张店区, each
object-keyed route tried by an enterprise user with other firms' objects, by a voucher provider's user
with other organisations' objects, by 周村区 staff with 张店区
objects, by 张店区 staff with 周村区's objects (their files included) and by an expert and a commissioner with objects not theirs. See `idor.py` for the method."""

import json
import logging
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from kechuang.core.tests import idor

# The marker makes pytest-django create the test database for this module (the module fixture below
# then uses it); without it the fixture would run against the configured database.
pytestmark = pytest.mark.django_db

# Known leaks in other modules, one entry per URL name, reported to their owners (docs/security.md).
# Each becomes a strict xfail: it fails the suite the day the leak is fixed, so the entry gets removed.
KNOWN_LEAKS: dict[str, str] = {}


def _login(username):
    from kechuang.accounts.models import User

    user = User.objects.get(username=username)
    User.objects.filter(pk=user.pk).update(must_change_password=False, password_changed_at=timezone.now())
    user.refresh_from_db()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    home = client.get("/")
    assert home.status_code == 200, f"{username} cannot reach the home page ({home.status_code})"
    return user, client


PARTIES = {  # party -> username
    "enterprise": "qiye",
    "provider": "fuwu",  # a voucher service provider's user (ADR 0028)
    "staff": "staff",
    # 张店区 staff against 周村区's records: the demo district holds every kind of file, so each file route
    # is tried across districts with a real file (must be 404)
    "staff_zhangdian": "zd_staff",
    "expert": "expert",
    "commissioner": "tepaiyuan",
}


def _party(name):
    from kechuang.core.models import Organisation

    user, client = _login(PARTIES[name])
    ctx = {"user": user, "client": client}
    if name in ("enterprise", "provider"):
        ctx["org"] = Organisation.objects.get(pk=user.organisation_id)
    elif name in ("expert", "commissioner"):
        assert user.person_id, f"{PARTIES[name]} has no Person"
        ctx["person"] = user.person
    return ctx


def _api_routes():
    from kechuang.api.api import api

    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                params = re.findall(r"{(\w+)}", path)
                if not params:
                    continue
                route = idor.Route(
                    name=f"api {'/'.join(op.methods)} {prefix}{path.lstrip('/')}",
                    route=path,
                    params=dict.fromkeys(params, "IntConverter"),
                    callback=op.view_func,
                )
                idor.infer_model(route)
                yield route, f"/api{prefix}{path.lstrip('/')}", op.methods


def _send(client, method, url, body):
    call = getattr(client, method.lower())
    return call(url, data=json.dumps(body), content_type="application/json") if method != "GET" else call(url)


def _probe_api(route, url_template, methods, party, ctx, findings):
    for obj in idor.foreign_rows(route.model, party, ctx):
        url = url_template.replace("{" + route.key + "}", str(obj.pk))
        findings.probed += 1
        for method in methods:
            before, since = idor.row_state(obj), idor.audit_mark()
            response = _send(ctx["client"], method, url, {})
            wrote = idor.wrote_about(obj, since) or idor.row_state(obj) != before
            if response.status_code == 200 or wrote:
                findings.leaks.append(
                    f"{party} {method} {route.name} {url}: {response.status_code} for {obj._meta.label} #{obj.pk}"
                )
            elif response.status_code >= 500:
                findings.errors.append(f"{party} {method} {route.name} {url}: {response.status_code}")


def _probe_api_own_identity(route, url_template, methods, ctx, findings):
    """The enterprise user sends identity changes of its own organisation to every write operation."""
    from kechuang.core.models import Organisation, Region

    org = Organisation.objects.get(pk=ctx["org"].pk)
    url = url_template.replace("{" + route.key + "}", str(org.pk))
    body = idor.identity_payload(org, Region.objects.get(code="370303"))
    for method in set(methods) - {"GET"}:
        before = Organisation.objects.filter(pk=org.pk).values(*idor.IDENTITY_FIELDS).get()
        findings.probed += 1
        response = _send(ctx["client"], method, url, body)
        after = Organisation.objects.filter(pk=org.pk).values(*idor.IDENTITY_FIELDS).get()
        if after != before:
            changed = sorted(k for k in before if before[k] != after[k])
            findings.leaks.append(
                f"enterprise {method} {route.name} {url}: changed its own {', '.join(changed)}"
            )
        elif response.status_code >= 500:
            findings.errors.append(f"enterprise {method} {route.name} {url}: {response.status_code}")


def _is_organisation(model) -> bool:
    from kechuang.core.models import Organisation

    return model is Organisation


def _collect(parties):
    """Every object-keyed URL pattern and API route, tried by each of `parties` (name -> context)."""
    findings = idor.Findings()
    for route in idor.walk():
        if not route.params or route.name.startswith("api:") or route.name in idor.PUBLIC_BY_DESIGN:
            continue
        idor.infer_model(route)
        if route.model is None:
            findings.not_covered.append(f"{route.name} ({route.route}): no object model inferred")
            continue
        findings.routes += 1
        for party, ctx in parties.items():
            idor.probe(route, party, ctx, findings)
        if _is_organisation(route.model) and "enterprise" in parties:
            findings.own_identity_routes += 1
            idor.probe_own_identity(route, parties["enterprise"], findings)
    for route, url, methods in _api_routes():
        if route.model is None:
            findings.not_covered.append(f"{route.name}: no object model inferred")
            continue
        findings.routes += 1
        for party, ctx in parties.items():
            _probe_api(route, url, methods, party, ctx, findings)
        if _is_organisation(route.model) and "enterprise" in parties:
            findings.own_identity_routes += 1
            _probe_api_own_identity(route, url, methods, parties["enterprise"], findings)
    return findings


@pytest.fixture(scope="module")
def foreign_world(demo_world, django_db_blocker):
    """The shared demo with two rows of every organisation- or region-bearing model moved to 张店区, in a
    savepoint held open for this module's tests and rolled back after them, so no other test sees it."""
    from kechuang.accounts.models import User

    demo_world.open()
    with django_db_blocker.unblock():
        assert connection.vendor != "sqlite" or "kechuang-test" in connection.settings_dict["NAME"], (
            "not the test database"
        )
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            # the parties' own organisations stay where they are
            idor.make_foreign_objects(
                keep_orgs=User.objects.exclude(organisation=None).values_list("organisation_id", flat=True)
            )
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _probe(parties):
    logging.disable(logging.WARNING)  # hundreds of expected 404/403 lines
    try:
        result = _collect(parties)
    finally:
        logging.disable(logging.NOTSET)
    print(
        f"IDOR probe as {', '.join(parties)}: {result.routes} object routes, {result.probed} requests, "
        f"{result.own_identity_routes} organisation routes tried on the firm's own identity"
    )
    print(f"files: {result.files_probed} requests on {sorted(result.file_parties)}")
    print("not covered:\n  " + "\n  ".join(result.not_covered))
    print("5xx:\n  " + "\n  ".join(result.errors))
    return result


@pytest.fixture
def findings(party, db, foreign_world):
    """One party's probe of every route (the test is parametrised by party, so the parties run on different
    xdist workers); its requests are rolled back with the test."""
    return _probe({party: _party(party)})


@pytest.fixture
def all_findings(db, foreign_world):
    """Every party's probe in one test (for KNOWN_LEAKS: a leak is known per route, whoever finds it)."""
    return _probe({name: _party(name) for name in PARTIES})


def _leaks_of(findings, name):
    return [leak for leak in findings.leaks if _leaks_of_one(leak, name)]


def _leaks_of_one(leak, name):
    return leak.split(" ", 2)[2].startswith(name + " ")


# At least this many requests per party: together more than the 100 the probe made when it ran as one test.
MIN_PROBED_PER_PARTY = 20


@pytest.mark.parametrize("party", list(PARTIES))
def test_no_route_shows_or_changes_another_partys_object(party, findings):
    assert findings.routes >= 60, "the probe lost track of the URL patterns"
    assert findings.probed >= MIN_PROBED_PER_PARTY
    if party == "enterprise":
        assert findings.own_identity_routes >= 4, "the probe lost the organisation routes"
    if party == "staff_zhangdian":  # the demo district (周村区) holds every kind of record file
        assert findings.files_probed >= 6, "the probe no longer asks for the files of foreign records"
        across = sorted(findings.file_parties)
        assert len(across) >= 5, f"another district's staff tried the files of only {across}"
        assert "programmes:application_file" in findings.file_parties
    unexpected = [leak for leak in findings.leaks if not any(_leaks_of_one(leak, n) for n in KNOWN_LEAKS)]
    assert not unexpected, "IDOR leaks:\n" + "\n".join(unexpected)


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=why)) for n, why in KNOWN_LEAKS.items()],
)
def test_known_leak_is_still_open(all_findings, name):
    assert not _leaks_of(all_findings, name)
