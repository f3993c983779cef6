"""The 专家库 as first-class users: staff add, edit, suspend and invite experts; an invited expert gets (or is
linked to) an account and an in-app + e-mail notice with a one-time link to set a password; experts confirm
their profile, declare conflicts and the periods they cannot review on their own pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit, dates
from kechuang.core.permissions import is_expert_account
from kechuang.core.roles import Role
from kechuang.core.services import StaleObject
from kechuang.notifications import kinds
from kechuang.programmes import permissions
from kechuang.programmes.models import Expert
from kechuang.programmes.services.common import _refuse

kinds.register("programmes.expert_invite", "评审专家邀请")

EDITABLE = ("category", "title", "fields", "employer_id", "region_id")
PROFILE = ("title", "fields", "employer_id")
ADD_REFUSED = "只有科技局工作人员可以在专家库中添加专家。"


def _require(actor, action: str, expert: Expert, message: str) -> None:
    if not permissions.experts.allows(actor, action, expert):
        _refuse(actor=actor, action=f"expert.{action}_refused", obj=expert, message=message, details={})


def _save(expert: Expert, expected_version: int, names) -> None:
    expert.full_clean()
    values = {n: getattr(expert, n) for n in names}
    updated = Expert.objects.filter(pk=expert.pk, version=expected_version).update(
        **values, version=expected_version + 1
    )
    if not updated:
        raise StaleObject()
    expert.version = expected_version + 1


@transaction.atomic
def expert_add(
    *, actor, name: str, phone: str, category: str, email="", title="", employer=None, fields=()
) -> Expert:
    """Staff add an expert to their region's pool (a new person record; the expert has no account yet)."""
    from kechuang.core import services as core_services
    from kechuang.programmes.services.review import expert_create

    if not permissions.experts.may_add(actor):
        raise PermissionError(ADD_REFUSED)
    person = core_services.person_create(
        actor=actor,
        name=name.strip(),
        phone=phone,
        email=email,
        organisation=employer,
        title=title,
        region=actor.region,
    )
    return expert_create(
        actor=actor,
        person=person,
        category=category,
        region=actor.region,
        fields=fields,
        employer=employer,
        title=title,
    )


@transaction.atomic
def expert_update(*, actor, expert: Expert, expected_version: int, **values) -> Expert:
    """Staff edit an expert's category, title, fields and employer (optimistic lock on `version`)."""
    _require(actor, "change", expert, "无权修改该专家的信息。")
    before = audit.snapshot(expert, list(EDITABLE))
    for name in EDITABLE:
        key = name.removesuffix("_id")
        if key in values:
            setattr(expert, key, values[key])
    _save(expert, expected_version, [n.removesuffix("_id") for n in EDITABLE])
    audit.record(
        actor=actor,
        action="expert.update",
        obj=expert,
        changes=audit.diff(before, audit.snapshot(expert, EDITABLE)),
    )
    return expert


_REFERENCES = ["person", "employer", "region", "organisation"]  # read from the database by the caller


@transaction.atomic
def experts_write_many(*, actor, items: list[tuple[Expert | None, dict]]) -> list[Expert]:
    """`expert_add` (`None`, its keyword arguments) and `expert_update` (a stored expert the caller has locked
    and found in `actor`'s pool, the values to set) for many experts in a few queries (the 专家库 import),
    audited as those services audit each. Every item is checked first: a ValidationError maps the index of
    each refused item to its messages, and nothing is written."""
    from kechuang.core import services as core_services
    from kechuang.core.models import Person

    errors, added, changed = {}, [], []
    for index, (expert, values) in enumerate(items):
        try:
            if expert is None:
                if not permissions.experts.may_add(actor):
                    raise ValidationError(ADD_REFUSED)
                employer, title = values.get("employer"), values.get("title", "")
                person = Person(
                    name=values["name"].strip(), phone=values["phone"], email=values.get("email", ""),
                    organisation=employer, title=title, region=actor.region,
                )  # fmt: skip
                person.full_clean(exclude=_REFERENCES)
                expert = Expert(
                    category=values["category"], region=actor.region, fields=list(values.get("fields", ())),
                    employer=employer, title=title,
                )  # fmt: skip
                expert.full_clean(exclude=_REFERENCES, validate_unique=False)
                added.append((person, expert))
                continue
            before = audit.snapshot(expert, list(EDITABLE))
            for name in EDITABLE:
                if name.removesuffix("_id") in values:
                    setattr(expert, name.removesuffix("_id"), values[name.removesuffix("_id")])
            expert.full_clean(exclude=_REFERENCES, validate_unique=False)
            changed.append((expert, before))
        except ValidationError as exc:
            errors[index] = exc.messages
    if errors:
        raise ValidationError(errors)
    core_services.people_create_many(actor=actor, people=[p for p, _ in added])
    for person, expert in added:
        expert.person = person
    Expert.objects.bulk_create([e for _, e in added])
    for expert, _ in changed:
        expert.version += 1
    if changed:
        names = [n.removesuffix("_id") for n in EDITABLE]
        Expert.objects.bulk_update([e for e, _ in changed], [*names, "version"])
    entries = [
        (
            "expert.create",
            e,
            {"person": p.pk, "category": e.category, "fields": e.fields, "employer": e.employer_id},
        )
        for p, e in added
    ]
    entries += [("expert.update", e, audit.diff(b, audit.snapshot(e, EDITABLE))) for e, b in changed]
    audit.record_many(actor=actor, entries=entries)
    return [e for _, e in added] + [e for e, _ in changed]


@transaction.atomic
def expert_set_active(*, actor, expert: Expert, active: bool, reason: str = "") -> Expert:
    """Suspend (with a reason) or restore an expert; a suspended expert is never drawn."""
    _require(actor, "suspend", expert, "无权停用或恢复该专家。")
    reason = reason.strip()
    if not active and not reason:
        raise ValidationError({"reason": "停用专家须填写原因。"})
    Expert.objects.filter(pk=expert.pk).update(
        is_active=active, suspended_reason="" if active else reason[:200]
    )
    expert.is_active, expert.suspended_reason = active, "" if active else reason[:200]
    audit.record(
        actor=actor,
        action="expert.suspend" if not active else "expert.restore",
        obj=expert,
        changes={"reason": reason},
    )
    return expert


def expert_account(expert: Expert):
    """The expert's login account, if any (an account of role expert linked to the expert's person)."""
    return expert.person.accounts.filter(role=Role.EXPERT).order_by("pk").first()


@transaction.atomic
def expert_invite(*, actor, expert: Expert, now=None):
    """Create (or link) the expert's account and send the invitation: in-app and, with an e-mail address on
    the expert's record, by e-mail. Inviting again sends a fresh link. Returns the account."""
    from kechuang.accounts import services as accounts

    _require(actor, "invite", expert, "无权邀请该专家。")
    if not expert.is_active:
        raise ValidationError("该专家已停用，恢复后才能邀请。")
    now = now or dates.now()
    person = expert.person
    user, created = accounts.invited_account(
        existing=expert_account(expert),
        username=f"zj{expert.pk:05d}",
        role=Role.EXPERT,
        display_name=person.name,
        email=person.email,
        person=person,
    )
    Expert.objects.filter(pk=expert.pk).update(invited_at=now)
    expert.invited_at = now
    accounts.invitation_send(
        user=user,
        kind="programmes.expert_invite",
        title="邀请您加入评审专家库",
        body=(
            f"{person.name}您好：{actor}邀请您作为评审专家使用科创平台。您的用户名为 {user.username}，"
            "请通过下面的链接设置密码、确认个人信息并申报利益冲突和时间安排。"
        ),
    )
    audit.record(
        actor=actor,
        action="expert.invite",
        obj=expert,
        changes={"user": user.pk, "created": created, "email": bool(user.email)},
    )
    return user


@transaction.atomic
def expert_confirm_profile(
    *,
    actor,
    expert: Expert,
    expected_version: int,
    title: str,
    fields,
    employer,
    phone: str,
    email: str,
    now=None,
) -> Expert:
    """The expert checks and corrects their own record (title, fields, employer, contact) and confirms it."""
    _require(actor, "self", expert, "只能确认本人的专家信息。")
    before = audit.snapshot(expert, list(PROFILE))
    expert.title, expert.fields, expert.employer = title, list(fields), employer
    expert.profile_confirmed_at = now or dates.now()
    _save(expert, expected_version, ["title", "fields", "employer", "profile_confirmed_at"])
    person = expert.person
    person.phone, person.email = phone, email
    person.full_clean()
    person.save(update_fields=["phone", "email", "updated_at"])
    changes = audit.diff(before, audit.snapshot(expert, PROFILE))
    audit.record(actor=actor, action="expert.confirm_profile", obj=expert, changes=changes)
    return expert


@transaction.atomic
def expert_set_conflicts(*, actor, expert: Expert, organisations, note: str = "") -> None:
    """The expert's own declaration of the firms and organisations they must not review (replaces it)."""
    if is_expert_account(actor):
        _require(actor, "self", expert, "只能申报本人的利益冲突。")
    else:
        _require(actor, "change", expert, "无权修改该专家的利益冲突申报。")
    before = sorted(expert.conflicts.values_list("pk", flat=True))
    expert.conflicts.set(organisations)
    after = sorted(o.pk for o in organisations)
    audit.record(
        actor=actor, action="expert.declare_conflict", obj=expert, changes={"organisations": [before, after]}
    )


@transaction.atomic
def expert_set_availability(
    *, actor, expert: Expert, unavailable_from, unavailable_until, note: str = ""
) -> None:
    """The period the expert cannot review (both empty: always available); drawn outside it only."""
    _require(actor, "self", expert, "只能填写本人的时间安排。")
    if bool(unavailable_from) != bool(unavailable_until):
        raise ValidationError({"unavailable_until": "请同时填写不能评审的起止日期，或都不填。"})
    if unavailable_from and unavailable_until < unavailable_from:
        raise ValidationError({"unavailable_until": "截止日期不能早于开始日期。"})
    Expert.objects.filter(pk=expert.pk).update(
        unavailable_from=unavailable_from, unavailable_until=unavailable_until, availability_note=note[:200]
    )
    expert.unavailable_from, expert.unavailable_until, expert.availability_note = (
        unavailable_from,
        unavailable_until,
        note[:200],
    )
    audit.record(
        actor=actor,
        action="expert.availability",
        obj=expert,
        changes={"from": unavailable_from, "until": unavailable_until, "note": note},
    )


def available_on(expert: Expert, day) -> bool:
    if expert.unavailable_from and expert.unavailable_until:
        return not expert.unavailable_from <= day <= expert.unavailable_until
    return True
