"""The 四级梯度联动 chain and requests, 农科驿站 supervision, evaluation cut-offs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.agritech.models import (
    Commissioner,
    EvaluationCutoffs,
    RequestEscalation,
    ServiceProvider,
    ServiceRequest,
    Station,
    SupervisionVisit,
)
from kechuang.core import audit, dates
from kechuang.core.models import Region
from kechuang.core.services import StaleObject


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
    now = dates.now()
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
