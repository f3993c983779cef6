"""From the records, as known on a date, to the pure rules (`rules.FirmRecord`) and back to verdicts.

Facts come from the statistics facts with history (ADR 0018: the version known on the date), qualifications
from the enterprise register (also versioned), profiles from the enterprise master record, prior awards from
this app's award lists. A batch of firms is loaded in a fixed number of queries, whatever its size; each read drops its model's
default ordering (a join on the firm and a sort of every row, which cost more than the read itself).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kechuang.core.models import Organisation
from kechuang.core.versions import known_on
from kechuang.enterprises import eligibility
from kechuang.enterprises.models import EnterpriseProfile, Qualification
from kechuang.policies import rules
from kechuang.policies.models import Award, Policy, PolicyItem
from kechuang.statistics.models import EnterpriseFact

PROFILE_ATTRS = ("above_size", "compliance_ok", "staff_count", "st_staff_count", "ip_class1", "ip_class2")


@dataclass(frozen=True)
class CompiledItem:
    """An item ready to evaluate: its conditions as specs, benefit, keys and the region it applies in."""

    pk: int
    key: str
    title: str
    policy_id: int
    policy_code: str
    policy_version: int
    policy_name: str
    region_path: str
    delivery: str
    specs: tuple[rules.Spec, ...]
    benefit: dict
    labels: dict = field(default_factory=dict, compare=False, repr=False)  # date → the conditions' wording

    def applies_to(self, firm: rules.FirmRecord) -> bool:
        return firm.region_path.startswith(self.region_path)

    def evaluate(self, firm: rules.FirmRecord, on: dt.date) -> rules.ItemVerdict:
        labels = self.labels.get(on)
        if labels is None:
            labels = self.labels[on] = tuple(rules.describe(s.kind, s.params, on) for s in self.specs)
        return rules.evaluate_item(
            self.specs, self.benefit, firm, on, item_key=self.key, policy_code=self.policy_code, labels=labels
        )


def compile_items(items: Iterable[PolicyItem]) -> list[CompiledItem]:
    out = []
    for item in items:
        policy = item.policy
        out.append(
            CompiledItem(
                pk=item.pk,
                key=item.key,
                title=item.title,
                policy_id=policy.pk,
                policy_code=policy.code,
                policy_version=policy.version,
                policy_name=policy.name,
                region_path=policy.document.region.path,
                delivery=item.delivery,
                specs=tuple(rules.Spec(c.kind, c.params, c.group) for c in item.conditions.all()),
                benefit=item.benefit or {},
            )
        )
    return out


def active_items(region_path: str | None = None) -> list[CompiledItem]:
    """Items of every policy in force (optionally only those that can apply inside `region_path`)."""
    qs = PolicyItem.objects.filter(policy__status=Policy.Status.ACTIVE)
    if region_path:
        qs = qs.filter(policy__document__region__path__in=_prefixes(region_path)) | qs.filter(
            policy__document__region__path__startswith=region_path
        )
    qs = qs.select_related("policy__document__region").prefetch_related("conditions")
    return compile_items(qs.order_by("policy_id", "position", "pk"))


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def needs(items: Sequence[CompiledItem]) -> tuple[set[int], set[str], bool]:
    """The fact years back from the date, the qualification kinds and whether the engine is needed."""
    offsets, kinds, engine = {0, 1}, set(), False
    for item in items:
        for spec in item.specs:
            off = spec.params.get("year_offset")
            if off is not None:
                offsets |= {off, off + 1} if spec.kind == "growth" else {off}
            if spec.kind == "qualification":
                kinds.add(spec.params["qual_kind"])
            engine |= spec.kind == "engine"
        if item.benefit.get("year_offset") is not None:
            offsets.add(item.benefit["year_offset"])
    return offsets, kinds, engine


def load_records(
    orgs: Sequence[Organisation], on: dt.date, items: Sequence[CompiledItem]
) -> list[rules.FirmRecord]:
    """`FirmRecord`s for `orgs` as known on `on` (organisations with `region` and `industry` selected)."""
    ids = [o.pk for o in orgs]
    offsets, kinds, engine = needs(items)
    years = sorted({on.year - off for off in offsets})
    facts: dict[int, dict[int, dict]] = defaultdict(dict)
    versions: dict[int, dict] = defaultdict(dict)
    fact_fields = list(rules.FACT_FIELDS)
    rows = (
        known_on(
            EnterpriseFact.versions.filter(
                organisation_id__in=ids, year__in=years, quarter__isnull=True, month__isnull=True
            ),
            on,
        )
        .order_by()
        .values("pk", "organisation_id", "year", *fact_fields)
    )
    for row in rows:
        facts[row["organisation_id"]][row["year"]] = {f: row[f] for f in fact_fields}
        versions[row["organisation_id"]][f"statistics.fact:{row['year']}"] = row["pk"]
    quals: dict[int, list[rules.Held]] = defaultdict(list)
    if kinds:
        qrows = (
            Qualification.versions.known_on(on)
            .filter(organisation_id__in=ids, kind__code__in=kinds)
            .order_by("organisation_id", "-valid_from")  # the model's order without its join on the firm
            .values(
                "pk", "organisation_id", "kind__code", "valid_from", "valid_until", "revoked_on", "number"
            )
        )
        for q in qrows:
            quals[q["organisation_id"]].append(
                rules.Held(q["kind__code"], q["valid_from"], q["valid_until"], q["revoked_on"], q["number"])
            )
            versions[q["organisation_id"]][f"enterprises.qualification:{q['kind__code']}"] = q["pk"]
    profiles = {
        p["organisation_id"]: p
        for p in EnterpriseProfile.objects.filter(organisation_id__in=ids)
        .order_by()
        .values("organisation_id", *PROFILE_ATTRS)
    }
    awards: dict[int, list[rules.PriorAward]] = defaultdict(list)
    for a in (
        Award.objects.filter(organisation_id__in=ids)
        .exclude(status=Award.Status.WITHDRAWN)
        .order_by()
        .values("organisation_id", "item_key", "policy_code", "period", "amount")
    ):
        awards[a["organisation_id"]].append(
            rules.PriorAward(a["item_key"], a["policy_code"], a["period"], a["amount"])
        )
    engines = _engine(orgs, on) if engine else {}
    return [
        rules.FirmRecord(
            name=o.name,
            region_path=o.region.path if o.region_id else "",
            town=o.region.name if o.region_id else "",
            industry=o.industry.code if o.industry_id else "",
            established_on=o.established_on,
            facts=facts.get(o.pk, {}),
            profile=profiles.get(o.pk),
            qualifications=tuple(quals.get(o.pk, ())),
            awards=tuple(awards.get(o.pk, ())),
            versions=versions.get(o.pk, {}),
            engine=engines.get(o.pk, {}),
        )
        for o in orgs
    ]


def _engine(orgs, on: dt.date) -> dict[int, dict]:
    """The official HNTE / tech-SME assessment (kechuang.enterprises) for each firm, reused as is."""
    out = {}
    for facts in eligibility.load_facts(orgs, on):
        result = eligibility.assess_facts(facts, on)
        out[facts.organisation.pk] = {
            "hnte": (result.hnte.eligible, result.hnte.summary),
            "tech_sme": (result.tech_sme.eligible, result.tech_sme.summary),
        }
    return out


def firms(region_path: str):
    return Organisation.objects.filter(
        kind=Organisation.Kind.ENTERPRISE, is_active=True, region__path__startswith=region_path
    ).select_related("region", "industry")


def keyset(qs, size: int):
    """Batches of `qs` by pk (OFFSET would rescan every earlier row on each batch)."""
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        last = chunk[-1].pk
        yield chunk
