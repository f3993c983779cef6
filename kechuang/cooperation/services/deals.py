"""Writes on 产学研 agreements, expected transfers and cooperation projects, each audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from kechuang.cooperation import rules
from kechuang.cooperation.models import (
    Agreement,
    CooperationProject,
    ExpectedTransfer,
)
from kechuang.cooperation.services.common import PARTNER_KINDS
from kechuang.core import audit
from kechuang.core.kit import save_edit
from kechuang.core.services import StaleObject


def _agreement_check(a: Agreement) -> None:
    if a.firm_id == a.partner_id:
        raise ValidationError({"partner": "合作双方不能是同一单位。"})
    if a.amount < 0:
        raise ValidationError({"amount": "合同金额不能为负数。"})
    if a.event and not (a.event.starts_on <= a.signed_on <= a.event.ends_on):
        raise ValidationError({"signed_on": "在活动中签订的协议，签订日期须在活动期间。"})


@transaction.atomic
def agreement_sign(
    *,
    actor,
    subject,
    firm,
    partner,
    signed_on: dt.date,
    amount: Decimal = Decimal("0"),
    event=None,
    contact=None,
) -> Agreement:
    a = Agreement(
        subject=subject.strip(),
        firm=firm,
        partner=partner,
        signed_on=signed_on,
        amount=amount,
        event=event,
        contact=contact,
    )
    _agreement_check(a)
    a.full_clean()
    a.save()
    audit.record(
        actor=actor,
        action="agreement.sign",
        obj=a,
        changes=audit.snapshot(a, ["subject", "firm_id", "partner_id", "signed_on", "amount", "event_id"]),
    )
    return a


@transaction.atomic
def transfer_expect(
    *, actor, title, firm, expected_by: dt.date, offered=None, agreement=None, event=None, note=""
) -> ExpectedTransfer:
    t = ExpectedTransfer(
        title=title.strip(),
        firm=firm,
        expected_by=expected_by,
        offered=offered,
        agreement=agreement,
        event=event,
        note=note,
    )
    t.full_clean()
    t.save()
    audit.record(
        actor=actor,
        action="transfer.expect",
        obj=t,
        changes={"title": t.title, "firm": firm.pk, "expected_by": expected_by},
    )
    return t


@transaction.atomic
def transfer_transition(
    *, actor, transfer: ExpectedTransfer, to: str, on: dt.date | None = None, note=""
) -> ExpectedTransfer:
    rules.TRANSFER_FLOW.check(transfer.status, to, dict(ExpectedTransfer.Status.choices))
    if to == "landed" and on is None:
        raise ValidationError({"on": "已落地须填写落地日期。"})
    updates = {"status": to, "note": note or transfer.note, "version": F("version") + 1}
    if to == "landed":
        updates["landed_on"] = on
    if not ExpectedTransfer.objects.filter(pk=transfer.pk, status=transfer.status).update(**updates):
        raise StaleObject()
    audit.record(
        actor=actor,
        action="transfer.transition",
        obj=transfer,
        changes={"status": [transfer.status, to], "on": on},
    )
    transfer.refresh_from_db()
    return transfer


def _project_check(p: CooperationProject) -> None:
    if p.partner.kind not in PARTNER_KINDS:
        raise ValidationError({"partner": "合作单位须为高校、科研院所等机构。"})


@transaction.atomic
def project_record(
    *,
    actor,
    title,
    organisation,
    partner,
    year: int,
    amount=Decimal("0"),
    status="approved",
    application=None,
) -> CooperationProject:
    p = CooperationProject(
        title=title.strip(),
        organisation=organisation,
        partner=partner,
        year=year,
        amount=amount,
        status=status,
        application=application,
    )
    _project_check(p)
    p.full_clean()
    p.save()
    audit.record(
        actor=actor,
        action="cooperation_project.record",
        obj=p,
        changes=audit.snapshot(p, ["title", "organisation_id", "partner_id", "year", "amount", "status"]),
    )
    return p


def project_update(*, actor, project: CooperationProject, version: int, **values) -> CooperationProject:
    return save_edit(
        actor=actor,
        obj=project,
        version=version,
        action="cooperation_project.update",
        values=values,
        check=_project_check,
    )


def agreement_update(*, actor, agreement: Agreement, version: int, **values) -> Agreement:
    return save_edit(
        actor=actor,
        obj=agreement,
        version=version,
        action="agreement.update",
        values=values,
        check=_agreement_check,
    )


def transfer_update(*, actor, transfer: ExpectedTransfer, version: int, **values) -> ExpectedTransfer:
    def check(t):
        if t.status in ("landed", "dropped"):
            raise ValidationError("转化已有结果，不能再修改。")

    return save_edit(
        actor=actor, obj=transfer, version=version, action="transfer.update", values=values, check=check
    )
