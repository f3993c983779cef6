"""Writes on the enterprise record: keyword-only, one transaction, validated, audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kechuang.core import audit, dates
from kechuang.core import rules as core_rules
from kechuang.core import services as core_services
from kechuang.core.models import Organisation
from kechuang.core.services import StaleObject
from kechuang.enterprises.models import EnterpriseProfile, EnterpriseYear, Qualification, QualificationKind

PROFILE_FIELDS = (
    "scale",
    "above_size",
    "main_products",
    "hnte_field_id",
    "key_industry_id",
    "staff_count",
    "st_staff_count",
    "ip_class1",
    "ip_class2",
    "ip_own_rnd",
    "standards_led",
    "national_award_5y",
    "provincial_rnd_institution",
    "rnd_org_score",
    "compliance_ok",
    "catalogue_ok",
)
YEAR_FIELDS = (
    "sales_revenue",
    "total_revenue",
    "high_tech_income",
    "rnd_expense",
    "rnd_domestic",
    "net_assets",
    "total_assets",
    "total_costs",
    "staff",
    "st_staff",
    "conversions",
)
QUALIFICATION_FIELDS = (
    "organisation_id",
    "kind_id",
    "number",
    "issued_on",
    "valid_from",
    "valid_until",
    "field_id",
    "evidence_id",
    "source",
    "note",
)

__all__ = [
    "StaleObject",
    "enterprise_year_save",
    "profile_update",
    "qualification_record",
    "qualification_revoke",
]


def _require_enterprise(organisation: Organisation) -> None:
    if organisation.kind != Organisation.Kind.ENTERPRISE:
        raise ValidationError("只有企业才能维护企业画像和资质。")


@transaction.atomic
def profile_update(
    *, actor, organisation: Organisation, expected_version: int | None = None, **fields
) -> EnterpriseProfile:
    """Save the firm's profile; refuses (StaleObject) when someone saved it since `expected_version`."""
    _require_enterprise(organisation)
    unknown = set(fields) - {f.removesuffix("_id") for f in PROFILE_FIELDS} - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    profile, _ = EnterpriseProfile.objects.get_or_create(organisation=organisation)
    before = audit.snapshot(profile, PROFILE_FIELDS)
    version = profile.version if expected_version is None else expected_version
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    updated = EnterpriseProfile.objects.filter(pk=profile.pk, version=version).update(
        **{f: getattr(profile, f) for f in PROFILE_FIELDS}, version=version + 1, updated_at=dates.now()
    )
    if not updated:
        raise StaleObject()
    profile.version = version + 1
    audit.record(
        actor=actor,
        action="enterprise.profile_update",
        obj=profile,
        changes=audit.diff(before, audit.snapshot(profile, PROFILE_FIELDS)),
    )
    return profile


PROFILE_CHECKED_BY_IMPORT = ("organisation", "hnte_field", "key_industry")  # looked up once per file


@transaction.atomic
def profiles_write_many(*, actor, changes: list[tuple[EnterpriseProfile, dict]]) -> None:
    """Save many firms' profiles in a few queries (imports): each pairs a profile (stored and locked by the
    caller, or new and unsaved) with only the fields to change; checked as `profile_update` checks them
    (without the lookups the import made for the whole file) and audited the same way."""
    now = dates.now()
    new, old, entries, names = [], [], [], set()
    for profile, fields in changes:
        _require_enterprise(profile.organisation)
        before = audit.snapshot(profile, PROFILE_FIELDS) if profile.pk else dict.fromkeys(PROFILE_FIELDS)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.clean_fields(exclude=list(PROFILE_CHECKED_BY_IMPORT))
        profile.clean()
        if profile.pk:
            profile.version += 1
            profile.updated_at = now
            old.append(profile)
            names.update(fields)
        else:
            new.append(profile)
        entries.append((profile, before))
    EnterpriseProfile.objects.bulk_create(new, batch_size=2000)
    if old:
        EnterpriseProfile.objects.bulk_update(old, [*sorted(names), "version", "updated_at"], batch_size=2000)
    audit.record_many(
        actor=actor,
        entries=[
            ("enterprise.profile_update", p, audit.diff(before, audit.snapshot(p, PROFILE_FIELDS)))
            for p, before in entries
        ],
    )


@transaction.atomic
def enterprise_year_save(*, actor, organisation: Organisation, year: int, **fields) -> EnterpriseYear:
    """Create or update one accounting year of the firm's self-reported HNTE-口径 figures."""
    _require_enterprise(organisation)
    unknown = set(fields) - set(YEAR_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    if year > dates.today().year:
        raise ValidationError({"year": "会计年度不能晚于当前年度。"})
    row = EnterpriseYear.objects.filter(organisation=organisation, year=year).first()
    created = row is None
    row = row or EnterpriseYear(organisation=organisation, year=year)
    before = {} if created else audit.snapshot(row, YEAR_FIELDS)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        action="enterprise.year_create" if created else "enterprise.year_update",
        obj=row,
        changes=audit.diff(before, audit.snapshot(row, YEAR_FIELDS)),
    )
    return row


def normalise_number(number: str) -> str:
    return core_rules.normalise(number or "")


@transaction.atomic
def qualification_record(
    *,
    actor,
    organisation: Organisation,
    kind: QualificationKind,
    valid_from: dt.date,
    number: str = "",
    issued_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    field=None,
    evidence=None,
    source: str = Qualification.Source.MANUAL,
    note: str = "",
) -> Qualification:
    """Record a qualification the firm holds; the validity end defaults from the kind (e.g. HNTE 3 years)."""
    _require_enterprise(organisation)
    number = normalise_number(number)
    if kind.number_pattern and not number:
        raise ValidationError({"number": f"请填写{kind.name}的证书（入库）编号。"})
    qual = Qualification(
        organisation=organisation,
        kind=kind,
        number=number,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until or kind.default_valid_until(valid_from),
        field=field,
        evidence=evidence,
        source=source,
        note=note,
    )
    qual.full_clean(validate_constraints=False)
    if number and Qualification.objects.filter(kind=kind, number=number).exists():
        raise ValidationError({"number": f"{kind.name}编号“{number}”已登记，不能重复录入。"})
    try:
        with transaction.atomic():
            qual.save()
    except IntegrityError:
        raise ValidationError({"number": f"{kind.name}编号“{number}”已登记，不能重复录入。"}) from None
    audit.record(
        actor=actor,
        action="enterprise.qualification_record",
        obj=qual,
        changes=audit.snapshot(qual, QUALIFICATION_FIELDS),
    )
    return qual


@transaction.atomic
def qualifications_write_many(
    *,
    actor,
    create: list[Qualification],
    update: list[tuple[Qualification, dict]],
    revoke: list[tuple[Qualification, dt.date, str]],
) -> None:
    """Record, correct and revoke many qualifications in a few queries (imports): `create` are new unsaved
    ones, `update` pairs a stored one with only the fields to change, `revoke` gives the date and reason.
    Checked as the one-at-a-time services check them (without the lookups the import made for the whole
    file) and audited the same way."""
    entries, names = [], set()
    for qual in create:
        _require_enterprise(qual.organisation)
        qual.clean_fields(exclude=["organisation", "kind", "field", "evidence"])
        qual.clean()
    for qual, fields in update:
        before = audit.snapshot(qual, QUALIFICATION_FIELDS)
        for name, value in fields.items():
            setattr(qual, name, value)
        qual.clean_fields(exclude=["organisation", "kind", "field", "evidence"])
        qual.clean()
        names.update(fields)
        entries.append(
            (
                "enterprise.qualification_update",
                qual,
                audit.diff(before, audit.snapshot(qual, QUALIFICATION_FIELDS)),
            )
        )
    for qual, revoked_on, reason in revoke:
        if revoked_on < qual.valid_from:
            raise ValidationError({"revoked_on": "撤销日期不能早于有效期起始日期。"})
        qual.status, qual.revoked_on, qual.revoke_reason = (
            Qualification.Status.REVOKED,
            revoked_on,
            reason[:200],
        )
        names.update(("status", "revoked_on", "revoke_reason"))
        entries.append(
            ("enterprise.qualification_revoke", qual, {"revoked_on": revoked_on, "reason": reason})
        )
    try:
        with transaction.atomic():
            Qualification.objects.bulk_create(create, batch_size=2000)
    except IntegrityError:
        raise ValidationError("导入期间有人登记了相同的证书编号，本次未保存任何数据，请重新导入。") from None
    changed = list({id(q): q for q in [*(q for q, _ in update), *(q for q, _, _ in revoke)]}.values())
    if changed:
        Qualification.objects.bulk_update(changed, sorted(names), batch_size=2000)
    created = [
        ("enterprise.qualification_record", q, audit.snapshot(q, QUALIFICATION_FIELDS)) for q in create
    ]
    audit.record_many(actor=actor, entries=[*created, *entries])


@transaction.atomic
def qualification_update(*, actor, qualification: Qualification, **fields) -> Qualification:
    """Correct a recorded qualification (used by imports re-sending the same certificate number)."""
    before = audit.snapshot(qualification, QUALIFICATION_FIELDS)
    for name, value in fields.items():
        setattr(qualification, name, value)
    qualification.full_clean()
    qualification.save()
    audit.record(
        actor=actor,
        action="enterprise.qualification_update",
        obj=qualification,
        changes=audit.diff(before, audit.snapshot(qualification, QUALIFICATION_FIELDS)),
    )
    return qualification


@transaction.atomic
def qualification_revoke(
    *, actor, qualification: Qualification, revoked_on: dt.date, reason: str
) -> Qualification:
    """Revoke (撤销/取消) a qualification from `revoked_on`: it is no longer valid on that day or after."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写撤销原因。"})
    if revoked_on < qualification.valid_from:
        raise ValidationError({"revoked_on": "撤销日期不能早于有效期起始日期。"})
    updated = Qualification.objects.filter(pk=qualification.pk, status=Qualification.Status.ACTIVE).update(
        status=Qualification.Status.REVOKED, revoked_on=revoked_on, revoke_reason=reason[:200]
    )
    if not updated:
        raise ValidationError("该资质已被撤销，不能重复撤销。")
    qualification.refresh_from_db()
    audit.record(
        actor=actor,
        action="enterprise.qualification_revoke",
        obj=qualification,
        changes={"revoked_on": revoked_on, "reason": reason},
    )
    return qualification


@transaction.atomic
def firm_upsert(*, actor, credit_code: str, name: str, **fields) -> tuple[Organisation, bool]:
    """Create a firm by its credit code, or update the existing one (imports: update, never duplicate)."""
    code = core_rules.normalise(credit_code)
    org = Organisation.objects.filter(credit_code=code).first()
    if org is None:
        org = core_services.organisation_create(
            actor=actor, name=name, credit_code=code, kind=Organisation.Kind.ENTERPRISE, **fields
        )
        return org, True
    _require_enterprise(org)
    changed = {k: v for k, v in {"name": name, **fields}.items() if getattr(org, k) != v}
    if changed:
        org = core_services.organisation_update(actor=actor, organisation=org, **changed)
    return org, False
