"""Writes on policy documents, versions, items and conditions (staff build conditions on a page, no code)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kechuang.core import audit
from kechuang.policies import permissions, rules
from kechuang.policies.models import Condition, Policy, PolicyDocument, PolicyItem


def _may(actor, action: str, policy: Policy) -> None:
    if not permissions.policies.allows(actor, action, policy):
        raise PermissionDenied("无权修改该政策。")


def _draft(policy: Policy) -> None:
    if policy.status != Policy.Status.DRAFT:
        raise ValidationError("政策已发布，不能直接修改；请先“修订为新版本”。")


@transaction.atomic
def document_create(*, actor, region, **fields) -> PolicyDocument:
    if not permissions.documents.allows_create(actor) or not region.path.startswith(actor.region.path):
        raise PermissionDenied("无权登记该区域的政策文件。")
    doc = PolicyDocument(region=region, **fields)
    doc.full_clean()
    doc.save()
    audit.record(actor=actor, action="policies.document_create", obj=doc, changes=fields)
    return doc


@transaction.atomic
def policy_create(
    *, actor, document: PolicyDocument, code: str, name: str, summary: str = "", budget: Decimal | None = None
) -> Policy:
    if not permissions.documents.allows(actor, "change", document):
        raise PermissionDenied("无权在该政策文件下新建政策。")
    if Policy.objects.filter(document=document, code=code).exists():
        raise ValidationError({"code": "该文件下已有同代码的政策；修改请在原政策上“修订为新版本”。"})
    policy = Policy(document=document, code=code, name=name, summary=summary, budget=budget, created_by=actor)
    policy.full_clean()
    policy.save()
    audit.record(
        actor=actor, action="policies.policy_create", obj=policy, changes={"code": code, "name": name}
    )
    return policy


@transaction.atomic
def item_save(
    *, actor, policy: Policy, item: PolicyItem | None = None, benefit_raw: dict, **fields
) -> PolicyItem:
    """Create or change an item of a draft; the benefit is checked by the rules (Chinese errors per field)."""
    _may(actor, "change", policy)
    _draft(policy)
    try:
        benefit = rules.check_benefit(benefit_raw)
    except rules.ParamError as exc:
        raise ValidationError({f"benefit_{k}": v for k, v in exc.errors.items()}) from None
    item = item or PolicyItem(policy=policy, position=policy.items.count() + 1)
    for name, value in fields.items():
        setattr(item, name, value)
    item.benefit = benefit
    item.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise ValidationError({"key": "本政策已有相同代码的条款。"}) from None
    audit.record(actor=actor, action="policies.item_save", obj=item, changes={**fields, "benefit": benefit})
    return item


NEW_GROUP = "new"


@transaction.atomic
def condition_add(*, actor, item: PolicyItem, kind: str, raw: dict, group: int | str = 0) -> Condition:
    """`group`: 0 — the condition must hold on its own; n — it joins the item's any-of group n (一项满足即可);
    "new" — it starts a new any-of group."""
    _may(actor, "change", item.policy)
    _draft(item.policy)
    try:
        params = rules.check_params(kind, raw)
    except rules.ParamError as exc:
        raise ValidationError(exc.errors) from None
    groups = set(item.conditions.exclude(group=0).values_list("group", flat=True))
    if group == NEW_GROUP:
        group = max(groups, default=0) + 1
    elif group and group not in groups:
        raise ValidationError({"group": "该条件组不存在，请重新选择。"})
    cond = Condition.objects.create(
        item=item, kind=kind, params=params, group=group, position=item.conditions.count() + 1
    )
    audit.record(
        actor=actor,
        action="policies.condition_add",
        obj=cond,
        changes={"kind": kind, "params": params, "group": group},
    )
    return cond


@transaction.atomic
def condition_remove(*, actor, condition: Condition) -> None:
    _may(actor, "change", condition.item.policy)
    _draft(condition.item.policy)
    audit.record(actor=actor, action="policies.condition_remove", obj=condition, changes=condition.params)
    condition.delete()


@transaction.atomic
def policy_publish(*, actor, policy: Policy, on: dt.date) -> Policy:
    """Put a draft in force; the version in force before it stops (its stored verdicts go with it)."""
    _may(actor, "publish", policy)
    _draft(policy)
    items = list(policy.items.prefetch_related("conditions"))
    if not items:
        raise ValidationError("政策至少应有一个条款才能发布。")
    empty = [i.title for i in items if not i.conditions.all()]
    if empty:
        raise ValidationError(f"以下条款尚未设置适用条件：{'、'.join(empty)}。")
    lone = [
        i.title
        for i in items
        if any(n == 1 for n in Counter(c.group for c in i.conditions.all() if c.group).values())
    ]
    if lone:
        raise ValidationError(f"以下条款的“满足其一”条件组只有一项，请补充或删除：{'、'.join(lone)}。")
    previous = Policy.objects.filter(document=policy.document, code=policy.code, status=Policy.Status.ACTIVE)
    retired = [p.pk for p in previous]
    previous.update(status=Policy.Status.RETIRED)
    updated = Policy.objects.filter(pk=policy.pk, status=Policy.Status.DRAFT).update(
        status=Policy.Status.ACTIVE, published_by=actor, published_on=on
    )
    if updated != 1:
        raise ValidationError("政策状态已变化，请刷新后重试。")
    policy.refresh_from_db()
    audit.record(actor=actor, action="policies.publish", obj=policy, changes={"retired": retired, "on": on})
    return policy


@transaction.atomic
def policy_revise(*, actor, policy: Policy) -> Policy:
    """A new draft version copying the policy's items and conditions; the published one stays in force."""
    _may(actor, "change", policy)
    if policy.status == Policy.Status.DRAFT:
        return policy
    if Policy.objects.filter(document=policy.document, code=policy.code, status=Policy.Status.DRAFT).exists():
        raise ValidationError("该政策已有一个修订中的草稿版本。")
    latest = Policy.objects.filter(document=policy.document, code=policy.code).order_by("-version").first()
    draft = Policy.objects.create(
        document=policy.document,
        code=policy.code,
        version=latest.version + 1,
        name=policy.name,
        summary=policy.summary,
        budget=policy.budget,
        created_by=actor,
    )
    for item in policy.items.prefetch_related("conditions"):
        conditions = list(item.conditions.all())
        item.pk, item.policy = None, draft
        item.save(force_insert=True)
        Condition.objects.bulk_create(
            Condition(item=item, position=c.position, kind=c.kind, params=c.params, group=c.group)
            for c in conditions
        )
    audit.record(actor=actor, action="policies.revise", obj=draft, changes={"from_version": policy.version})
    return draft


@transaction.atomic
def policy_retire(*, actor, policy: Policy) -> Policy:
    _may(actor, "publish", policy)
    if policy.status != Policy.Status.ACTIVE:
        raise ValidationError("只有施行中的政策可以停止。")
    Policy.objects.filter(pk=policy.pk).update(status=Policy.Status.RETIRED)
    policy.refresh_from_db()
    audit.record(actor=actor, action="policies.retire", obj=policy)
    return policy
