"""The policy simulator: a (draft) policy against the records as known on a date — counts by town and
industry, total cost against the budget, and a table over one moving threshold. Reads only; the run is
kept (`Simulation`) so a proposal to leadership can cite it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kechuang.core import audit
from kechuang.policies import matching, permissions, rules
from kechuang.policies.models import Condition, Policy, Simulation


def _run(items, records, on: dt.date) -> list[dict]:
    out = []
    for item in items:
        verdicts, towns, industries, cost = Counter(), Counter(), Counter(), Decimal(0)
        for firm in records:
            if not item.applies_to(firm):
                continue
            v = item.evaluate(firm, on)
            verdicts[v.verdict] += 1
            if v.verdict == rules.ELIGIBLE:
                towns[firm.town or "（未填）"] += 1
                industries[firm.industry[:1] or "（未填）"] += 1
                cost += v.amount or 0
        out.append(
            {
                "item": item.pk,
                "title": item.title,
                "verdicts": {k: verdicts[k] for k in rules.VERDICT_LABELS},
                "towns": sorted(towns.items(), key=lambda kv: (-kv[1], kv[0])),
                "industries": sorted(industries.items(), key=lambda kv: (-kv[1], kv[0])),
                "cost": str(cost),
            }
        )
    return out


def _sweep(items, records, on, condition: Condition, values: list[Decimal]) -> list[dict]:
    item = next(i for i in items if i.pk == condition.item_id)
    rows = []
    for value in values:
        specs = tuple(
            rules.Spec(s.kind, {**s.params, "value": str(value)}, s.group)
            if n == condition.position - 1
            else s
            for n, s in enumerate(item.specs)
        )
        moved = matching.CompiledItem(**{**item.__dict__, "specs": specs, "labels": {}})
        eligible, cost = 0, Decimal(0)
        for firm in records:
            if moved.applies_to(firm):
                v = moved.evaluate(firm, on)
                if v.verdict == rules.ELIGIBLE:
                    eligible += 1
                    cost += v.amount or 0
        rows.append({"value": str(value), "eligible": eligible, "cost": str(cost)})
    return rows


@transaction.atomic
def simulate(
    *, actor, policy: Policy, on: dt.date, region, condition: Condition | None = None, values=()
) -> Simulation:
    if not permissions.policies.allows(actor, "simulate", policy):
        raise PermissionDenied("无权模拟该政策。")
    if not region.path.startswith(actor.region.path):
        raise PermissionDenied("只能在本辖区范围内模拟。")
    items = matching.compile_items(
        policy.items.select_related("policy__document__region").prefetch_related("conditions")
    )
    if not items:
        raise ValidationError("政策尚无条款，无法模拟。")
    if condition is not None:
        if condition.item.policy_id != policy.pk or "value" not in condition.params:
            raise ValidationError({"condition": "请选择本政策中带阈值的条件。"})
        if not values:
            raise ValidationError({"values": "请填写至少一个阈值。"})
    # Positions are dense after editing only if renumbered: address the moving condition by its index.
    records = []
    for chunk in matching.keyset(matching.firms(region.path), 1000):
        records += matching.load_records(chunk, on, items)
    result = {"items": _run(items, records, on), "firms": len(records), "budget": str(policy.budget or "")}
    sweep = {}
    if condition is not None:
        index = list(condition.item.conditions.values_list("pk", flat=True)).index(condition.pk)
        condition.position = index + 1
        label = rules.describe(condition.kind, condition.params, on)
        result["sweep"] = _sweep(items, records, on, condition, list(values))
        sweep = {"condition": condition.pk, "label": label, "values": [str(v) for v in values]}
    sim = Simulation.objects.create(
        policy=policy, as_of=on, region=region, sweep=sweep, result=result, created_by=actor
    )
    audit.record(
        actor=actor, action="policies.simulate", obj=sim, changes={"as_of": on, "firms": len(records)}
    )
    return sim
