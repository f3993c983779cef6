"""Figures of section 四 of the seed: 校城融合 projects (in/out of city), agreements signed, experts
matched, expected transfers and how many of them landed."""

from __future__ import annotations

from django.db.models import Q

from kechuang.cooperation import selectors
from kechuang.cooperation.models import Contact, Event
from kechuang.core.indicators import Reads, Scope, Value, register


def _in_period(qs, field, scope):
    return qs.filter(
        **{f"{field}__gte": scope.period.start, f"{field}__lte": min(scope.period.end, scope.as_of)}
    )


@register(
    code="coop_project_count",
    name="校城融合发展项目立项数",
    unit="项",
    caliber="立项年度等于统计年度",
    definition="统计年度内立项的校城融合发展项目数；parts 分列市内、市外合作单位",
    formula="count(CooperationProject year=period.year)",
    order=360,
    planned=True,
)
def coop_project_count(scope: Scope, q: Reads):
    rows = selectors.projects_in(scope.region).filter(year=scope.period.year)
    n = q.count(rows)
    out_of_city, in_city = (
        q.count(rows, filter=Q(partner__in_city=False)),
        q.count(rows, filter=Q(partner__in_city=True)),
    )
    return lambda: Value(n(), rows=lambda: rows, parts={"out_of_city": out_of_city(), "in_city": in_city()})


@register(
    code="coop_project_out_of_city",
    name="市外校城融合发展项目立项数",
    unit="项",
    caliber="立项年度等于统计年度、合作单位为市外单位",
    definition="统计年度内与市外高校院所合作立项的校城融合发展项目数",
    formula="计数（校城融合项目：立项年度 = 统计年度，合作单位为市外单位）",
    order=361,
    planned=True,
)
def coop_project_out_of_city(scope: Scope, q: Reads):
    rows = selectors.projects_in(scope.region).filter(year=scope.period.year, partner__in_city=False)
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="agreement_count",
    name="签订产学研合作协议数",
    unit="个",
    caliber="签订日期在统计期内（不晚于统计日期）",
    definition="统计期内本区企业签订的产学研合作协议数",
    formula="count(Agreement signed_on in period)",
    order=362,
    planned=True,
)
def agreement_count(scope: Scope, q: Reads):
    rows = _in_period(selectors.agreements_in(scope.region), "signed_on", scope)
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="experts_matched",
    name="与企业精准对接的专家数",
    unit="名",
    caliber="统计期内的活动参加专家、问诊专家及已对接/达成合作的对接记录中的专家（去重）",
    definition="统计期内与本区企业开展对接的专家人数",
    formula="count(distinct expert in events ∪ contacts contacted/agreed in period)",
    order=363,
    planned=True,
)
def experts_matched(scope: Scope, q: Reads):
    from kechuang.programmes.models import Expert

    events = _in_period(Event.objects.filter(region__path__startswith=scope.region.path), "starts_on", scope)
    contacts = Contact.objects.filter(
        need__organisation__region__path__startswith=scope.region.path,
        status__in=["contacted", "agreed"],
        expert__isnull=False,
    )
    contacts = _in_period(contacts, "contacted_on", scope)
    at_events = Event.experts.through.objects.filter(event__in=events).values("expert_id")
    # the experts of either set, each once (one count, instead of reading both id lists into Python)
    rows = Expert.objects.filter(Q(pk__in=at_events) | Q(pk__in=contacts.values("expert_id")))
    rows = rows.select_related("person", "employer")
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="expected_transfer_count",
    name="预期落地转化的科技成果数",
    unit="项",
    caliber="统计期内登记的预期转化（含已落地、转化中；不含未落地）",
    definition="统计期内对接活动形成的、预期在本区落地转化的科技成果项数；parts 给出已落地数",
    formula="count(ExpectedTransfer event/agreement in period, status != dropped)",
    order=364,
    planned=True,
)
def expected_transfer_count(scope: Scope, q: Reads):
    rows = selectors.transfers_in(scope.region).exclude(status="dropped").filter(
        event__starts_on__gte=scope.period.start, event__starts_on__lte=min(scope.period.end, scope.as_of)
    ) | selectors.transfers_in(scope.region).exclude(status="dropped").filter(
        event__isnull=True,
        agreement__signed_on__gte=scope.period.start,
        agreement__signed_on__lte=min(scope.period.end, scope.as_of),
    )
    n, landed = q.count(rows), q.count(rows, filter=Q(status="landed"))
    return lambda: Value(n(), rows=lambda: rows, parts={"landed": landed()})
