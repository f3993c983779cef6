"""Figures of the enterprises module (DESIGN.md convention 10), each with the rows behind it."""

from __future__ import annotations

from kechuang.core import indicators
from kechuang.core.indicators import Reads, Scope, Status, Value
from kechuang.enterprises.models import TIER_LABELS, Qualification

from . import selectors


def _holding(scope: Scope, firms, qualifications):
    """`firms` that hold one of `qualifications` (unordered): one semi-join, the same for every scope.

    The qualifications were once narrowed to the scope's firms for a district (a nested IN, 25 against 42 ms
    at province scale); with the versions' columns PostgreSQL planned that nest as loops within loops on a
    freshly loaded demo and one count ran for minutes. One plain path (ADR 0014)."""
    return firms.filter(pk__in=qualifications.values("organisation_id"))


CERTIFICATE_COLUMNS = (
    ("organisation", "企业"),
    ("number", "证书/入库编号"),
    ("issued_on", "发证（入库）日期"),
    ("valid_from", "有效期起"),
    ("valid_until", "有效期止"),
    ("organisation.region", "所在镇街"),
)


def _certificates(firms, qualifications):
    """The drill-down of a certificate count: the certificates themselves (number, dates), not the firms."""
    return (
        qualifications.filter(organisation_id__in=firms.values("pk"))
        .select_related("organisation__region", "kind")
        .order_by("organisation__name", "valid_from", "pk")
    )


@indicators.register(
    code="hnte_count",
    name="高新技术企业数",
    unit="家",
    caliber="有效期内且未被撤销的高新技术企业证书",
    definition="截至统计日期，辖区内持有有效高新技术企业证书的企业数",
    formula="count(企业 where 有效期起 ≤ 统计日 ≤ 有效期止 且 未在统计日前撤销)",
    order=10,
    planned=True,
    headline=1,
    stock=True,
)
def hnte_count(scope: Scope, q: Reads):
    firms = selectors.firms_in_region(scope.region)
    held = Qualification.versions.held_on(scope.as_of).of_kind("hnte")
    n = q.count(_holding(scope, firms, held))
    return lambda: Value(
        n(), status=Status.RECORD, rows=lambda: _certificates(firms, held), columns=CERTIFICATE_COLUMNS
    )


@indicators.register(
    code="tech_sme_count",
    name="科技型中小企业入库数",
    unit="家",
    caliber="科技型中小企业信息库当年度入库登记编号",
    definition="统计年度内取得有效入库登记编号（纳入科技部科技型中小企业信息库管理）的企业数；"
    "截至日期早于年末时，只计截至日期已入库（已登记）且截至日期未撤销、未作废的编号",
    formula="count(企业 where 入库编号有效期与[年初, min(年末, 截至日期)]相交 且 截至日期所知未撤销、未作废)",
    order=11,
    planned=True,
    headline=2,
)
def tech_sme_count(scope: Scope, q: Reads):
    firms = selectors.firms_in_region(scope.region)
    # as known on the as-of date, and only what was issued and not revoked by then (or by the year's end)
    start, cut = scope.period.start, min(scope.period.end, scope.as_of)
    regs = (
        Qualification.versions.known_on(scope.as_of)
        .of_kind("tech_sme")
        .filter(valid_from__lte=cut, valid_until__gte=start)
        .exclude(revoked_on__lte=cut)
    )
    n = q.count(_holding(scope, firms, regs))
    return lambda: Value(
        n(), status=Status.RECORD, rows=lambda: _certificates(firms, regs), columns=CERTIFICATE_COLUMNS
    )


@indicators.register(
    code="ladder_tier_counts",
    name="梯次培育企业数（按梯次）",
    unit="家",
    caliber="企业在统计日持有的有效资质中最高梯次",
    definition="统计日各梯次企业数：0 未入梯次、1 科技型中小企业、2 创新型高成长企业/培育库、3 高新技术企业、4 科技创新领军企业",
    formula="count(企业) group by max(有效资质梯次)",
    order=12,
    planned=True,
)
def ladder_tier_counts(scope: Scope, q: Reads):
    """`selectors.ladder_plan` on the scope's firms (the ladder page's counts, as a planned read)."""
    firms = selectors.firms_in_region(scope.region)
    tier_counts = selectors.ladder_plan(firms, scope.as_of, q)
    tiered = firms.annotate(tier=selectors.tier_expression(scope.as_of))
    rows = tiered.filter(tier__gt=0).select_related("region").order_by("-tier", "name")

    def build() -> Value:
        counts = tier_counts()
        return Value(
            sum(c.count for c in counts if c.tier > 0),
            status=Status.RECORD,
            rows=lambda: rows,
            parts={TIER_LABELS.get(c.tier, str(c.tier)): c.count for c in counts},
            note="数值为已进入梯次（第1梯次及以上）的企业数，各梯次的分布见「图表」中的梯次培育体系",
        )

    return build


@indicators.register(
    code="hnte_expiring_12m",
    name="12个月内到期的高新技术企业证书数",
    unit="张",
    caliber="统计日有效、有效期止在其后365天内、且尚无新证书的高新技术企业证书",
    definition="需组织重新认定的高新技术企业数量",
    formula="count(高企证书 where 统计日 ≤ 有效期止 ≤ 统计日+365天)",
    order=13,
    planned=True,
)
def hnte_expiring_12m(scope: Scope, q: Reads):
    rows = selectors.hnte_expiring(selectors.firms_in_region(scope.region), as_of=scope.as_of)
    n = q.count(rows)
    return lambda: Value(n(), status=Status.RECORD, rows=lambda: rows)
