"""Figures of section 五 of the seed: key-village coverage, commissioners, service logs."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from kechuang.agritech import selectors
from kechuang.agritech.models import Commissioner, ServiceLog
from kechuang.core.indicators import Reads, Scope, Value, register


@register(
    code="key_village_count",
    name="省扶贫工作重点村数",
    unit="个",
    caliber="当年度标识为省扶贫工作重点村的村居",
    definition="统计区域内、统计日期所在年度标识为“省扶贫工作重点村”的村数",
    formula="count(VillageFlag year=as_of.year, flag=key_poverty)",
    order=600,
    planned=True,
)
def key_village_count(scope: Scope, q: Reads):
    rows = selectors.key_villages(scope.region, scope.as_of.year).select_related("parent")
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="key_village_covered",
    name="科技指导人员覆盖的重点村数",
    unit="个",
    caliber="统计日期当天有生效的特派员结对或派驻科技指导人员",
    definition="重点村中，统计日期当天有已确认、在服务期内且未提前结束的结对帮扶，或在派驻期内的科技指导人员的村数",
    formula="count(key villages with pairing/guidance in force on as_of)",
    order=601,
    planned=True,
)
def key_village_covered(scope: Scope, q: Reads):
    rows = selectors.key_villages(scope.region, scope.as_of.year).filter(selectors.covered_q(scope.as_of))
    rows = rows.select_related("parent")
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="key_village_coverage_rate",
    name="重点村科技指导人员覆盖率",
    unit="%",
    caliber="同“覆盖的重点村数”÷“重点村数”",
    definition="覆盖的重点村数 ÷ 重点村数 × 100%；未覆盖的村列为缺口",
    formula="key_village_covered / key_village_count × 100",
    order=602,
    planned=True,
)
def key_village_coverage_rate(scope: Scope, q: Reads):
    villages = selectors.key_villages(scope.region, scope.as_of.year)
    total, covered = q.count(villages), q.count(villages, filter=selectors.covered_q(scope.as_of))

    def build():
        # the same figures as selectors.coverage() (whose lists stay for the drill-down)
        n, done = total(), covered()
        rate = None if not n else (Decimal(done) * 100 / n).quantize(Decimal("0.01"))
        return Value(
            rate,
            rows=lambda: selectors.coverage(scope.region, scope.as_of).gaps,
            note="全覆盖" if n and n == done else f"缺口{n - done}个村",
            parts={"covered": done, "total": n},
        )

    return build


@register(
    code="commissioner_count",
    name="科技特派员数",
    unit="名（个）",
    caliber="统计日期在选派期内的个人、团队和法人特派员",
    definition="由本区管理、统计日期处于选派期内的有效科技特派员数（团队、法人各计1）",
    formula="count(Commissioner term_start ≤ as_of ≤ term_end)",
    order=603,
    planned=True,
)
def commissioner_count(scope: Scope, q: Reads):
    rows = Commissioner.objects.filter(
        Q(region__path__startswith=scope.region.path)
        | Q(pairings__region__path__startswith=scope.region.path),
        is_active=True,
        term_start__lte=scope.as_of,
        term_end__gte=scope.as_of,
    ).distinct()
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="service_log_count",
    name="特派员服务日志数",
    unit="篇",
    caliber="统计期内、截至统计日期的服务日志",
    definition="服务对象位于统计区域内、服务日期在统计期内且不晚于统计日期的服务日志篇数",
    formula="count(ServiceLog period.start ≤ date ≤ min(period.end, as_of))",
    order=604,
    planned=True,
)
def service_log_count(scope: Scope, q: Reads):
    end = min(scope.period.end, scope.as_of)
    rows = ServiceLog.objects.filter(
        pairing__region__path__startswith=scope.region.path, date__gte=scope.period.start, date__lte=end
    ).select_related("pairing__commissioner")
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="people_trained",
    name="特派员培训人次",
    unit="人次",
    caliber="服务日志记录的培训人数之和",
    definition="统计期内服务日志的培训人数合计",
    formula="sum(ServiceLog.people_trained)",
    order=605,
    planned=True,
)
def people_trained(scope: Scope, q: Reads):
    end = min(scope.period.end, scope.as_of)
    rows = ServiceLog.objects.filter(
        pairing__region__path__startswith=scope.region.path, date__gte=scope.period.start, date__lte=end
    )
    total = q.agg(rows, "sum", "people_trained")
    return lambda: Value(total() or 0, rows=lambda: rows)
