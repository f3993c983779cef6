"""Writes of the agritech module: keyword-only, one transaction, validated, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.accounts.roles import Role
from kechuang.agritech import rules
from kechuang.agritech.models import (
    Commissioner,
    EvaluationCutoffs,
    GuidanceAssignment,
    Pairing,
    PairingStatusChange,
    RequestEscalation,
    ServiceLog,
    ServiceProvider,
    ServiceRequest,
    Station,
    SupervisionVisit,
    VillageFlag,
)
from kechuang.agritech.permissions import own_commissioner_ids
from kechuang.core import audit, seed
from kechuang.core.models import Organisation, Region
from kechuang.core.services import StaleObject, attachment_store
from kechuang.core.uploads import UploadRejected

IMAGE_TYPES = {"image/jpeg", "image/png"}
LOG_FIELDS = ("date", "place", "content", "people_trained", "technologies")


# ---------------------------------------------------------------- villages
@transaction.atomic
def villages_import(*, actor, text: str) -> int:
    """Load villages (`code,name,level,parent_code`, level 5) under towns of the actor's region.

    Every row is checked first; one bad row rejects the whole file and nothing is written.
    """
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        raise ValidationError("文件中没有数据行（表头须为 code,name,level,parent_code）。")
    scope = actor.region.path if getattr(actor, "region_id", None) else None
    towns = {
        r.code: r
        for r in Region.objects.filter(
            code__in={(row.get("parent_code") or "").strip() for row in rows}, level=Region.Level.TOWN
        )
    }
    errors = []
    for line, row in enumerate(rows, start=2):
        if (row.get("level") or "").strip() != str(Region.Level.VILLAGE):
            errors.append(f"第{line}行：级别须为5（村居）。")
        town = towns.get((row.get("parent_code") or "").strip())
        if town is None:
            errors.append(f"第{line}行：上级代码须为已有的乡镇街道。")
        elif scope is None or not town.path.startswith(scope):
            errors.append(f"第{line}行：上级乡镇街道 {town.name} 不在您的管理区划内。")
        code = (row.get("code") or "").strip()
        if town is not None and not code.startswith(town.code):
            errors.append(f"第{line}行：村居代码 {code} 须以所属乡镇街道代码 {town.code} 开头。")
    if errors:
        raise ValidationError(errors)
    count = seed.load_regions(text)
    audit.record(
        actor=actor,
        action="agritech.villages_import",
        object_type="core.region",
        object_repr=f"{count}个村居",
        changes={"codes": [row["code"].strip() for row in rows]},
    )
    return count


@transaction.atomic
def village_flag_set(*, actor, village: Region, year: int, flag: str, source: str = "") -> VillageFlag:
    obj = VillageFlag(village=village, year=year, flag=flag, source=source)
    if village.level != Region.Level.VILLAGE:
        raise ValidationError("只能给村居设置标识。")
    if VillageFlag.objects.filter(village=village, year=year, flag=flag).exists():
        raise ValidationError(f"{village.name}在{year}年已有“{obj.get_flag_display()}”标识。")
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor, action="agritech.village_flag_set", obj=obj, changes={"year": year, "flag": flag}
    )
    return obj


@transaction.atomic
def village_flag_remove(*, actor, flag: VillageFlag) -> None:
    audit.record(
        actor=actor,
        action="agritech.village_flag_remove",
        obj=flag,
        changes={"year": flag.year, "flag": flag.flag},
    )
    flag.delete()


# ---------------------------------------------------------------- commissioners
@transaction.atomic
def commissioner_create(*, actor, members=(), **fields) -> Commissioner:
    obj = Commissioner(**fields)
    obj.full_clean()
    if obj.kind == Commissioner.Kind.INDIVIDUAL and not obj.person_id:
        raise ValidationError({"person": "个人特派员须关联人员。"})
    if obj.kind == Commissioner.Kind.ENTITY and not obj.organisation_id:
        raise ValidationError({"organisation": "法人特派员须关联法人单位。"})
    if obj.kind == Commissioner.Kind.TEAM and not (members or obj.person_id):
        raise ValidationError({"members": "团队特派员须有负责人或成员。"})
    obj.save()
    if members:
        obj.members.set(members)
    audit.record(
        actor=actor,
        action="agritech.commissioner_create",
        obj=obj,
        changes={
            **audit.snapshot(obj, ("kind", "name", "source", "level", "expertise", "term_start", "term_end")),
            "members": [m.pk for m in members],
        },
    )
    return obj


@transaction.atomic
def commissioner_set_photo(*, actor, commissioner: Commissioner, data: bytes, original_name: str) -> None:
    photo = _store_image(actor=actor, data=data, original_name=original_name, region=commissioner.region)
    Commissioner.objects.filter(pk=commissioner.pk).update(photo=photo)
    commissioner.photo = photo
    audit.record(
        actor=actor, action="agritech.commissioner_photo", obj=commissioner, changes={"photo": photo.pk}
    )


def _store_image(*, actor, data: bytes, original_name: str, region=None, kind: str = "agritech_photo"):
    try:
        return attachment_store(
            actor=actor, data=data, original_name=original_name, kind=kind, region=region, allowed=IMAGE_TYPES
        )
    except UploadRejected as exc:
        raise ValidationError(f"{original_name}：{exc}") from None


# ---------------------------------------------------------------- pairings
def side_of(user, pairing: Pairing) -> str:
    """Which side of the pairing the user speaks for ("" for bureau staff or outsiders)."""
    if user.role == Role.COMMISSIONER:
        ids = own_commissioner_ids(user)
        if ids is not None and Commissioner.objects.filter(pk=pairing.commissioner_id, pk__in=ids).exists():
            return Pairing.Side.COMMISSIONER
    return ""


@transaction.atomic
def pairing_propose(
    *,
    actor,
    commissioner: Commissioner,
    target_kind: str,
    village: Region | None = None,
    organisation: Organisation | None = None,
    proposed_by: str,
    field: str,
    tasks: str,
    targets: str,
    term_start: dt.date,
    term_end: dt.date,
) -> Pairing:
    if target_kind == Pairing.TargetKind.VILLAGE:
        if village is None or village.level != Region.Level.VILLAGE:
            raise ValidationError({"village": "请选择结对的村。"})
        organisation, region = None, village
    else:
        wanted = (
            Organisation.Kind.COOPERATIVE
            if target_kind == Pairing.TargetKind.COOPERATIVE
            else Organisation.Kind.ENTERPRISE
        )
        if organisation is None or organisation.kind != wanted:
            raise ValidationError(
                {"organisation": f"请选择类型为“{Organisation.Kind(wanted).label}”的单位。"}
            )
        if organisation.region_id is None:
            raise ValidationError({"organisation": "该单位没有所在区划，无法结对。"})
        village, region = None, organisation.region
    if actor.role == Role.COMMISSIONER:
        proposed_by = Pairing.Side.COMMISSIONER  # a commissioner always speaks for their own side
    if Pairing.objects.filter(
        commissioner=commissioner,
        village=village,
        organisation=organisation,
        status__in=[Pairing.Status.PROPOSED, Pairing.Status.ACTIVE],
    ).exists():
        raise ValidationError("该特派员与该服务对象已有待确认或进行中的结对。")
    pairing = Pairing(
        commissioner=commissioner,
        target_kind=target_kind,
        village=village,
        organisation=organisation,
        region=region,
        proposed_by=proposed_by,
        field=field,
        tasks=tasks,
        targets=targets,
        term_start=term_start,
        term_end=term_end,
    )
    pairing.full_clean()
    if term_end < term_start:
        raise ValidationError({"term_end": "服务期止不能早于服务期起。"})
    pairing.save()
    audit.record(
        actor=actor,
        action="agritech.pairing_propose",
        obj=pairing,
        changes=audit.snapshot(
            pairing,
            ("commissioner_id", "village_id", "organisation_id", "proposed_by", "term_start", "term_end"),
        ),
    )
    return pairing


@transaction.atomic
def pairing_transition(
    *, actor, pairing: Pairing, to_status: str, note: str = "", on: dt.date | None = None
) -> Pairing:
    on = on or timezone.localdate()
    from_status = pairing.status
    problem = rules.check_transition(
        from_status,
        to_status,
        side=side_of(actor, pairing),
        proposed_by=pairing.proposed_by,
        is_staff=actor.role == Role.STAFF,
    )
    if problem:
        raise ValidationError(problem)
    extra = {}
    if to_status == Pairing.Status.ACTIVE:
        extra["accepted_on"] = on
    if to_status in (Pairing.Status.ENDED, Pairing.Status.TERMINATED):
        extra["ended_on"] = on
    updated = Pairing.objects.filter(pk=pairing.pk, status=from_status).update(
        status=to_status, version=pairing.version + 1, **extra
    )
    if not updated:
        raise StaleObject()
    PairingStatusChange.objects.create(
        pairing=pairing, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    pairing.refresh_from_db()
    audit.record(
        actor=actor,
        action="agritech.pairing_transition",
        obj=pairing,
        changes={
            "from": from_status,
            "to": to_status,
            "note": note,
            **{k: v.isoformat() for k, v in extra.items()},
        },
    )
    return pairing


@transaction.atomic
def pairing_set_card(*, actor, pairing: Pairing, published: bool) -> Pairing:
    if published and pairing.status != Pairing.Status.ACTIVE:
        raise ValidationError("只有帮扶中的结对可以亮牌公开。")
    Pairing.objects.filter(pk=pairing.pk).update(card_published=published)
    pairing.card_published = published
    audit.record(actor=actor, action="agritech.pairing_card", obj=pairing, changes={"published": published})
    return pairing


@transaction.atomic
def guidance_assign(*, actor, village: Region, person, start: dt.date, end: dt.date) -> GuidanceAssignment:
    obj = GuidanceAssignment(village=village, person=person, start=start, end=end)
    if village.level != Region.Level.VILLAGE:
        raise ValidationError("科技指导人员只能派驻到村。")
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        action="agritech.guidance_assign",
        obj=obj,
        changes={"person": person.pk, "start": start, "end": end},
    )
    return obj


# ---------------------------------------------------------------- service logs
@transaction.atomic
def log_create(*, actor, pairing: Pairing, photos=(), **fields) -> ServiceLog:
    if pairing.status != Pairing.Status.ACTIVE:
        raise ValidationError("只能为帮扶中的结对填写服务日志。")
    log = ServiceLog(pairing=pairing, filed_by=actor, **fields)
    log.full_clean()
    if not (pairing.term_start <= log.date <= pairing.term_end):
        raise ValidationError({"date": f"服务日期须在服务期内（{pairing.term_start}至{pairing.term_end}）。"})
    log.save()
    stored = [
        _store_image(actor=actor, data=data, original_name=name, region=pairing.region)
        for data, name in photos
    ]
    if stored:
        log.photos.set(stored)
    audit.record(
        actor=actor,
        action="agritech.log_create",
        obj=log,
        changes={**audit.snapshot(log, LOG_FIELDS), "photos": [p.pk for p in stored]},
    )
    return log


@transaction.atomic
def log_update(*, actor, log: ServiceLog, expected_version: int, photos=(), **fields) -> ServiceLog:
    before = audit.snapshot(log, LOG_FIELDS)
    for name, value in fields.items():
        setattr(log, name, value)
    log.full_clean()
    pairing = log.pairing
    if not (pairing.term_start <= log.date <= pairing.term_end):
        raise ValidationError({"date": f"服务日期须在服务期内（{pairing.term_start}至{pairing.term_end}）。"})
    updated = ServiceLog.objects.filter(pk=log.pk, version=expected_version).update(
        **{f: getattr(log, f) for f in LOG_FIELDS}, version=expected_version + 1
    )
    if not updated:
        raise StaleObject()
    log.version = expected_version + 1
    for data, name in photos:
        log.photos.add(_store_image(actor=actor, data=data, original_name=name, region=pairing.region))
    audit.record(
        actor=actor,
        action="agritech.log_update",
        obj=log,
        changes=audit.diff(before, audit.snapshot(log, LOG_FIELDS)),
    )
    return log


@transaction.atomic
def log_rate(*, actor, log: ServiceLog, rating: int, comment: str = "") -> ServiceLog:
    """The served party's rating, recorded by bureau staff (the served party usually has no account)."""
    if actor.role != Role.STAFF:
        raise ValidationError("服务评价由管理部门根据服务对象的反馈录入，特派员不能自评。")
    if rating not in range(1, 6):
        raise ValidationError("评价须为1—5分。")
    ServiceLog.objects.filter(pk=log.pk).update(rating=rating, rating_comment=comment)
    before = log.rating
    log.rating, log.rating_comment = rating, comment
    audit.record(
        actor=actor,
        action="agritech.log_rate",
        obj=log,
        changes={"rating": [before, rating], "comment": comment},
    )
    return log


# ---------------------------------------------------------------- requests and the 四级梯度 chain
def provider_for(region: Region, level: int) -> ServiceProvider | None:
    """The provider at `level` whose service area contains `region` (the nearest enclosing one)."""
    candidates = [
        p
        for p in ServiceProvider.objects.filter(level=level).select_related("region")
        if region.path.startswith(p.region.path)
    ]
    return max(candidates, key=lambda p: len(p.region.path), default=None)


def first_provider(village: Region) -> ServiceProvider | None:
    """The lowest level of the chain that serves the village (town/station first)."""
    for level in sorted(ServiceProvider.Level.values, reverse=True):
        found = provider_for(village, level)
        if found:
            return found
    return None


@transaction.atomic
def request_create(*, actor, requester: str, village: Region, subject: str, detail: str) -> ServiceRequest:
    if village.level != Region.Level.VILLAGE:
        raise ValidationError({"village": "请选择所在村。"})
    provider = first_provider(village)
    if provider is None:
        raise ValidationError("该村所在区域尚未设立“四级梯度联动”服务主体，请先维护服务主体。")
    req = ServiceRequest(
        requester=requester, village=village, subject=subject, detail=detail, provider=provider
    )
    req.full_clean()
    req.save()
    audit.record(
        actor=actor,
        action="agritech.request_create",
        obj=req,
        changes={"provider": provider.pk, "subject": subject},
    )
    return req


@transaction.atomic
def request_answer(
    *, actor, request: ServiceRequest, commissioner: Commissioner, answer: str
) -> ServiceRequest:
    if request.status != ServiceRequest.Status.OPEN:
        raise ValidationError("该需求已答复。")
    if not answer.strip():
        raise ValidationError({"answer": "请填写答复内容。"})
    if not request.provider.commissioners.filter(pk=commissioner.pk).exists():
        raise ValidationError("答复人须是当前承办服务主体的特派员。")
    now = timezone.now()
    updated = ServiceRequest.objects.filter(pk=request.pk, status=ServiceRequest.Status.OPEN).update(
        status=ServiceRequest.Status.ANSWERED,
        answered_by=commissioner,
        answer=answer.strip(),
        answered_at=now,
    )
    if not updated:
        raise StaleObject()
    request.refresh_from_db()
    audit.record(
        actor=actor, action="agritech.request_answer", obj=request, changes={"commissioner": commissioner.pk}
    )
    return request


@transaction.atomic
def request_escalate(*, actor, request: ServiceRequest, reason: str) -> ServiceRequest:
    """Pass an open request to the next level up (town → district → city → province)."""
    if request.status != ServiceRequest.Status.OPEN:
        raise ValidationError("已答复的需求不能上转。")
    if not reason.strip():
        raise ValidationError({"reason": "请说明上转原因（如本级无法解决的技术难题）。"})
    current = request.provider
    target = None
    for level in range(current.level - 1, 0, -1):
        target = provider_for(request.village, level)
        if target:
            break
    if target is None:
        raise ValidationError("已是最高一级服务主体，无法继续上转。")
    updated = ServiceRequest.objects.filter(
        pk=request.pk, provider=current, status=ServiceRequest.Status.OPEN
    ).update(provider=target)
    if not updated:
        raise StaleObject()
    RequestEscalation.objects.create(
        request=request, from_provider=current, to_provider=target, reason=reason, actor=actor
    )
    request.provider = target
    audit.record(
        actor=actor,
        action="agritech.request_escalate",
        obj=request,
        changes={"from": current.pk, "to": target.pk, "reason": reason},
    )
    return request


@transaction.atomic
def provider_create(*, actor, commissioners=(), **fields) -> ServiceProvider:
    provider = ServiceProvider(**fields)
    provider.full_clean()
    expected = {
        1: Region.Level.PROVINCE,
        2: Region.Level.CITY,
        3: Region.Level.DISTRICT,
        4: Region.Level.TOWN,
    }
    if provider.region.level != expected[provider.level]:
        raise ValidationError({"region": "服务区域的级别须与服务主体层级一致（省、市、区县、镇街）。"})
    provider.save()
    if commissioners:
        provider.commissioners.set(commissioners)
    audit.record(
        actor=actor,
        action="agritech.provider_create",
        obj=provider,
        changes={"level": provider.level, "region": provider.region_id},
    )
    return provider


# ---------------------------------------------------------------- stations
@transaction.atomic
def station_create(*, actor, **fields) -> Station:
    station = Station(**fields)
    station.full_clean()
    if station.town.level != Region.Level.TOWN:
        raise ValidationError({"town": "请选择驿站所在的乡镇街道。"})
    station.save()
    audit.record(
        actor=actor,
        action="agritech.station_create",
        obj=station,
        changes=audit.snapshot(station, ("name", "level", "operator_id", "town_id", "status")),
    )
    return station


@transaction.atomic
def supervision_record(
    *, actor, station: Station, date: dt.date, inspector: str, findings: str, rectification: str = ""
) -> SupervisionVisit:
    visit = SupervisionVisit(
        station=station,
        date=date,
        inspector=inspector,
        findings=findings,
        rectification=rectification,
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save()
    if rectification.strip() and station.status == Station.Status.OPERATING:
        Station.objects.filter(pk=station.pk).update(status=Station.Status.RECTIFYING)
        station.status = Station.Status.RECTIFYING
    audit.record(
        actor=actor,
        action="agritech.supervision_record",
        obj=visit,
        changes={"station": station.pk, "date": date, "rectification": bool(rectification.strip())},
    )
    return visit


@transaction.atomic
def supervision_rectified(*, actor, visit: SupervisionVisit, on: dt.date) -> SupervisionVisit:
    if not visit.rectification:
        raise ValidationError("该次检查没有整改要求。")
    if on < visit.date:
        raise ValidationError("整改完成日期不能早于检查日期。")
    SupervisionVisit.objects.filter(pk=visit.pk).update(rectified_on=on)
    visit.rectified_on = on
    station = visit.station
    if not station.visits.filter(rectification__gt="", rectified_on__isnull=True).exists():
        Station.objects.filter(pk=station.pk, status=Station.Status.RECTIFYING).update(
            status=Station.Status.OPERATING
        )
    audit.record(actor=actor, action="agritech.supervision_rectified", obj=visit, changes={"on": on})
    return visit


# ---------------------------------------------------------------- evaluation
@transaction.atomic
def cutoffs_set(
    *,
    actor,
    region: Region,
    year: int,
    excellent_days: int,
    excellent_rating: Decimal,
    pass_days: int,
    pass_rating: Decimal,
) -> EvaluationCutoffs:
    if excellent_days < pass_days or excellent_rating < pass_rating:
        raise ValidationError("优秀标准不能低于合格标准。")
    obj, _ = EvaluationCutoffs.objects.update_or_create(
        region=region,
        year=year,
        defaults={
            "excellent_days": excellent_days,
            "excellent_rating": excellent_rating,
            "pass_days": pass_days,
            "pass_rating": pass_rating,
        },
    )
    obj.full_clean()
    audit.record(
        actor=actor,
        action="agritech.cutoffs_set",
        obj=obj,
        changes=audit.snapshot(
            obj, ("year", "excellent_days", "excellent_rating", "pass_days", "pass_rating")
        ),
    )
    return obj
