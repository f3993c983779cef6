"""Screening every firm against every policy in force; the stored verdicts cite the policy version.

Run nightly (`kechuang policies match`, core.scheduling), by staff from the policy page (a background job),
and for the firms whose records a transaction changed (`match_firms`, hooked in apps.py / tasks.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.core import audit, bulk, dates
from kechuang.core.models import Organisation
from kechuang.core.roles import Role
from kechuang.notifications.services import notify
from kechuang.policies import matching, rules
from kechuang.policies import tally as tallies
from kechuang.policies.models import Match, MatchRun, MatchTally

BATCH = 500
COLUMNS = (
    "organisation_id",
    "item_id",
    "policy_version",
    "verdict",
    "amount",
    "summary",
    "explanation",
    "digest",
    "region_id",
    "since",
    "run_id",
)
NOTIFIED = (rules.ELIGIBLE, rules.NEAR)


def _store(items: Sequence[matching.CompiledItem], orgs, run: MatchRun) -> dict[str, int]:
    """Evaluate one batch of firms and upsert only the verdicts that changed (an unchanged verdict is not
    rewritten: the run confirms it); keep the tally and tell firms of newly (nearly) met items."""
    on = run.as_of
    tally = dict.fromkeys(rules.VERDICT_LABELS, 0)
    ids = [o.pk for o in orgs]
    # The firms' rows locked (not against edits of their keys) so that a concurrent run for the same firm
    # (its records changed during the nightly run) waits: both read the verdict they replace, so the
    # tally's decrements and increments stay exact.
    list(Organisation.objects.filter(pk__in=ids).order_by("pk").select_for_update(no_key=True).values("pk"))
    records = matching.load_records(orgs, on, items)
    stored = Match.objects.filter(organisation_id__in=ids, item_id__in=[i.pk for i in items])
    before = {
        (m["organisation_id"], m["item_id"]): (m["verdict"], m["digest"], m["region_id"], m["since"])
        # Without Match's default ordering: it joins the items, policies and firms to sort 10,000 rows.
        for m in stored.order_by().values(
            "organisation_id", "item_id", "verdict", "digest", "region_id", "since"
        )
    }
    rows, news, deltas = [], [], Counter()
    for org, firm in zip(orgs, records, strict=True):
        for item in items:
            if not item.applies_to(firm):
                continue
            v = item.evaluate(firm, on)
            tally[v.verdict] += 1
            old_verdict, old_digest, old_region, since = before.get((org.pk, item.pk), (None,) * 4)
            digest = _digest(item.policy_version, v)
            if v.verdict in NOTIFIED and old_verdict != v.verdict:
                news.append((org, item, v))
            if digest == old_digest and org.region_id == old_region:
                continue
            if old_verdict is not None:
                deltas[(item.pk, old_region, old_verdict)] -= 1
            deltas[(item.pk, org.region_id, v.verdict)] += 1
            rows.append(
                (
                    org.pk,
                    item.pk,
                    item.policy_version,
                    v.verdict,
                    v.amount,
                    v.summary[:300],
                    v.to_dict(),
                    digest,
                    org.region_id,
                    since if old_verdict == v.verdict else on,  # the verdict held since; its details moved
                    run.pk,
                )
            )
    # Without model instances (each would cost more than its write): the changed and new verdicts in one
    # upsert, which a concurrent run for the same firm (a record changed during the nightly run) cannot break.
    if rows:
        bulk.upsert_rows(Match, COLUMNS, rows, unique=["item_id", "organisation_id"], update=COLUMNS[2:])
    tallies.apply(Counter({k: n for k, n in deltas.items() if k[1] is not None}))
    _tell(news)
    tally["written"] = len(rows)
    return tally


def _digest(version: int, v: rules.ItemVerdict) -> str:
    text = "\x1f".join(
        [str(version), v.verdict, str(v.amount), v.summary, v.amount_text]
        + [f"{o.status}\x1e{o.label}\x1e{o.value}\x1e{o.explanation}\x1e{o.missing}" for o in v.outcomes]
    )
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _tell(news) -> None:
    if not news:
        return
    users: dict[int, list] = {}
    for u in User.objects.filter(
        organisation_id__in={o.pk for o, _, _ in news}, role=Role.ENTERPRISE, is_active=True
    ):
        users.setdefault(u.organisation_id, []).append(u)
    url = reverse("policies:mine")
    for org, item, v in news:
        if org.pk not in users:  # a firm without an account has no one to tell
            continue
        what = "符合" if v.verdict == rules.ELIGIBLE else "接近符合"
        notify(
            users=users.get(org.pk, []),
            kind="policies.match",
            title=f"贵企业{what}政策“{item.policy_name}·{item.title}”",
            body=v.summary,
            url=url,
            about=f"policies.match:{item.key}:{org.pk}",
            reason=v.verdict,
        )


def _run(scope: str, region_path: str, on: dt.date, chunks, items, progress=None) -> tuple[MatchRun, dict]:
    """Screen the firms of `chunks` (keyset batches) against `items`, one transaction per batch, recorded
    as one `MatchRun` (finished only when every batch is stored: a run cut off confirms nothing)."""
    run = MatchRun.objects.create(scope=scope, region_path=region_path, as_of=on, started_at=dates.now())
    tally = dict.fromkeys((*rules.VERDICT_LABELS, "written"), 0)
    firms = 0
    for chunk in chunks:
        with transaction.atomic():
            for k, n in _store(items, chunk, run).items():
                tally[k] += n
        firms += len(chunk)
        if progress:
            progress(firms)
    written = tally.pop("written")
    run.finished_at, run.firms, run.written, run.tally = dates.now(), firms, written, tally
    run.save(update_fields=["finished_at", "firms", "written", "tally"])
    return run, tally


def run_match(*, region_path: str = "", on: dt.date, progress=None) -> dict:
    """Screen every firm under `region_path` ("" = all) in keyset batches; return the tallies."""
    items = matching.active_items(region_path or None)
    # Verdicts of versions no longer in force are removed: a firm never sees a retired policy's result.
    with transaction.atomic():
        Match.objects.exclude(item__policy__status="active").delete()
        MatchTally.objects.exclude(item__policy__status="active").delete()
    chunks = matching.keyset(matching.firms(region_path), BATCH) if items else ()
    run, tally = _run(MatchRun.Scope.REGION, region_path, on, chunks, items, progress)
    result = {"firms": run.firms, "items": len(items), "written": run.written, **tally}
    with transaction.atomic():
        audit.record(
            actor=None,
            action="policies.match_run",
            obj=run,
            changes={"region": region_path, "on": on, **result},
        )
    return result


def match_firms(*, organisation_ids: list[int], on: dt.date) -> dict[str, int]:
    """Re-screen some firms (their records just changed) against the policies in force."""
    items = matching.active_items()
    if not items:
        return dict.fromkeys(rules.VERDICT_LABELS, 0)
    chunks = matching.keyset(matching.firms("").filter(pk__in=organisation_ids), BATCH)
    return _run(MatchRun.Scope.FIRMS, "", on, chunks, items)[1]


@transaction.atomic
def match_start(*, actor, region, on: dt.date):
    """A staff-started run as a background job (core.Job, progress page)."""
    from kechuang.core import joblease
    from kechuang.core.models import Job
    from kechuang.policies import tasks

    job = Job.objects.create(
        kind="policies.match",
        title=f"{region.name}政策匹配（{on:%Y-%m-%d}）",
        params={"region": region.path, "as_of": on.isoformat()},
        created_by=actor,
    )
    audit.record(actor=actor, action="policies.match_start", obj=job, changes=job.params)
    transaction.on_commit(lambda: joblease.enqueue(job, tasks.match_region))
    return job
