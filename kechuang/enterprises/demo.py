"""The enterprises part of the demo district (周村区 as of 2020-11-30), built through the real services.

Matches the seed reply: 47 valid 高新技术企业 on 2020-11-30, 89 firms registered as 科技型中小企业 in
2020, 金宇钢构 and 隆之智 in the city HNTE cultivation pool; HNTE certificates issued in 2018 expire in
2021 (the pipeline's renewal list), a few certificates are revoked, some firms dropped off the ladder.
Deterministic: every random choice comes from `ctx.rng`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.core import services as core_services
from kechuang.core.demo import _person_name, generated_firm_names
from kechuang.core.models import DictItem, Organisation
from kechuang.enterprises import services
from kechuang.enterprises.models import EnterpriseProfile, QualificationKind

AS_OF = dt.date(2020, 11, 30)
EXTRA_FIRMS = 180
CENT = Decimal("0.01")

# HNTE certificate batches: (issue date, how many firms, how many of them revoked later, revoked on).
HNTE_2017 = (dt.date(2017, 10, 16), 12)  # expired 2020-10-15; 8 were re-recognised in 2020
HNTE_2018 = (dt.date(2018, 11, 30), 15, 2, dt.date(2020, 6, 15))  # expire 2021-11-29
HNTE_2019 = (dt.date(2019, 11, 28), 20, 1, dt.date(2020, 9, 1))
HNTE_2020 = (dt.date(2020, 8, 17), 15)  # 8 re-recognitions + 7 firms new to HNTE
SME_2020, SME_2019, SME_2018 = 89, 75, 52
POOL_FIRMS = ("淄博金宇钢构有限公司", "山东隆之智信息科技有限公司")
HNTE_FIRMS = (
    "淄博方达电子有限公司",
    "山东大染坊丝绸集团有限公司",
    "淄博恒利导热油有限公司",
    "山东华安新材料有限公司",
)
REVOKE_REASONS = (
    "连续两年未按期填报高新技术企业年度发展情况报表，经认定机构审核取消资格",
    "经复核不符合认定条件，认定机构取消其高新技术企业资格",
)


def _money(rng, low: float, high: float) -> Decimal:
    return Decimal(str(rng.uniform(low, high))).quantize(CENT)


class _Numbers:
    """Serial numbers for certificates and registrations, unique and of the official shape."""

    def __init__(self):
        self.hnte = 5000
        self.sme = 100

    def hnte_number(self, year: int) -> str:
        self.hnte += 7
        return f"GR{year}37{self.hnte:06d}"

    def sme_number(self, year: int) -> str:
        self.sme += 13
        return f"{year}370306A{self.sme:07d}"


def _firms(ctx) -> list[Organisation]:
    industries = {i.code: i for i in DictItem.objects.filter(dict_type__code="industry")}
    existing = set(Organisation.objects.values_list("name", flat=True))
    fresh = [(n, s) for n, s in generated_firm_names(ctx.rng, EXTRA_FIRMS + 120) if n not in existing]
    for name, section in fresh[:EXTRA_FIRMS]:
        town = ctx.rng.choice(ctx.towns)
        ctx.orgs[name] = core_services.organisation_create(
            actor=ctx.system,
            name=name,
            credit_code=ctx.credit_code(),
            kind=Organisation.Kind.ENTERPRISE,
            region=town,
            established_on=dt.date(
                ctx.rng.randint(1995, 2019), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28)
            ),
            industry=industries[section],
            address=f"淄博市周村区{town.name}",
            legal_representative=_person_name(ctx.rng),
            contact_name=_person_name(ctx.rng),
            contact_phone=ctx.phone(),
        )
    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.ENTERPRISE, region__path__startswith=ctx.district.path
        ).order_by("pk")
    )


def _profile_and_years(ctx, org, *, strong: bool, small: bool, fields, key_industries) -> None:
    rng = ctx.rng
    staff = rng.randint(15, 180) if small else rng.randint(60, 900)
    st_ratio = rng.uniform(0.12, 0.4) if strong else rng.uniform(0.03, 0.25)
    services.profile_update(
        actor=ctx.system,
        organisation=org,
        scale=EnterpriseProfile.Scale.SMALL if small else rng.choice(["medium", "large", "small"]),
        above_size=not small or rng.random() < 0.3,
        main_products=rng.choice(
            ["耐火材料", "精密铸件", "真丝面料", "导热油", "电子元器件", "钢结构件", "工业软件", "生物饲料"]
        ),
        hnte_field=rng.choice(fields),
        key_industry=rng.choice(key_industries),
        staff_count=staff,
        st_staff_count=int(staff * st_ratio),
        ip_class1=rng.randint(1, 6) if strong else rng.choice([0, 0, 0, 1]),
        ip_class2=rng.randint(3, 25) if strong else rng.randint(0, 6),
        ip_own_rnd=rng.random() < 0.85,
        standards_led=1 if strong and rng.random() < 0.1 else 0,
        rnd_org_score=rng.randint(10, 18) if strong else rng.randint(4, 14),
    )
    sales = _money(rng, 800_0000, 9000_0000) if small else _money(rng, 3000_0000, 4_0000_0000)
    assets = sales * Decimal(str(rng.uniform(0.6, 1.4)))
    net = assets * Decimal(str(rng.uniform(0.3, 0.6)))
    rd_ratio = rng.uniform(0.035, 0.08) if strong else rng.uniform(0.005, 0.05)
    for year in (2017, 2018, 2019):
        growth = Decimal(str(rng.uniform(0.95, 1.3)))
        sales, assets, net = (
            (sales * growth).quantize(CENT),
            (assets * growth).quantize(CENT),
            (net * growth).quantize(CENT),
        )
        rnd = (sales * Decimal(str(rd_ratio))).quantize(CENT)
        total = (sales * Decimal("1.05")).quantize(CENT)
        services.enterprise_year_save(
            actor=ctx.system,
            organisation=org,
            year=year,
            sales_revenue=sales,
            total_revenue=total,
            high_tech_income=(
                total * Decimal(str(rng.uniform(0.62, 0.92) if strong else rng.uniform(0.2, 0.7)))
            ).quantize(CENT),
            rnd_expense=rnd,
            rnd_domestic=(rnd * Decimal(str(rng.uniform(0.8, 1)))).quantize(CENT),
            net_assets=net,
            total_assets=assets.quantize(CENT),
            total_costs=(sales * Decimal(str(rng.uniform(0.7, 0.95)))).quantize(CENT),
            staff=staff,
            st_staff=int(staff * st_ratio),
            conversions=rng.randint(1, 6) if strong else rng.randint(0, 2),
        )


def build(ctx) -> None:
    rng = ctx.rng
    kinds = {k.code: k for k in QualificationKind.objects.all()}
    fields = list(DictItem.objects.filter(dict_type__code="hnte_field"))
    key_industries = list(DictItem.objects.filter(dict_type__code="key_industry"))
    numbers = _Numbers()
    firms = _firms(ctx)
    by_name = {f.name: f for f in firms}
    pool = [by_name[n] for n in POOL_FIRMS]
    preferred = [by_name[n] for n in HNTE_FIRMS]
    others = [f for f in firms if f not in pool and f not in preferred]
    rng.shuffle(others)

    hnte_2017 = others[:12]
    hnte_2018 = preferred[:2] + others[12:25]
    hnte_2019 = preferred[2:] + others[25:43]
    hnte_2020 = hnte_2017[:8] + others[43:50]
    strong = set(hnte_2017 + hnte_2018 + hnte_2019 + hnte_2020 + pool + others[50:75])
    small_pool = [f for f in firms if f not in set(hnte_2018 + hnte_2019)]

    for org in firms:
        _profile_and_years(
            ctx,
            org,
            strong=org in strong,
            small=org not in strong or rng.random() < 0.5,
            fields=fields,
            key_industries=key_industries,
        )

    def record(org, code, valid_from, number="", **kw):
        return services.qualification_record(
            actor=ctx.system,
            organisation=org,
            kind=kinds[code],
            valid_from=valid_from,
            number=number,
            issued_on=valid_from,
            source="demo",
            **kw,
        )

    def hnte_batch(orgs, issued, revoked=0, revoked_on=None):
        for i, org in enumerate(orgs):
            qual = record(org, "hnte", issued, numbers.hnte_number(issued.year), field=rng.choice(fields))
            if i >= len(orgs) - revoked:  # the last of the list, never the named firms at its head
                services.qualification_revoke(
                    actor=ctx.system, qualification=qual, revoked_on=revoked_on, reason=REVOKE_REASONS[i % 2]
                )

    hnte_batch(hnte_2017, HNTE_2017[0])
    hnte_batch(hnte_2018, HNTE_2018[0], HNTE_2018[2], HNTE_2018[3])
    hnte_batch(hnte_2019, HNTE_2019[0], HNTE_2019[2], HNTE_2019[3])
    hnte_batch(hnte_2020, HNTE_2020[0])

    # 科技型中小企业: small firms register yearly; the 2020 list has 89 firms.
    sme_2020 = small_pool[:SME_2020]
    sme_2019 = small_pool[20 : 20 + SME_2019]
    sme_2018 = small_pool[35 : 35 + SME_2018]
    for year, orgs in ((2018, sme_2018), (2019, sme_2019), (2020, sme_2020)):
        for org in orgs:
            record(
                org,
                "tech_sme",
                dt.date(year, rng.randint(3, 6), rng.randint(1, 28)),
                numbers.sme_number(year),
            )

    # A registration entered for the wrong firm and voided as 录入错误 (作废): counted as of 2020-06-15…30 as
    # it was known then, never from 2020-07-01; its versions show on the firm's page.
    wrong = next((o for o in small_pool if o not in sme_2020), None)
    if wrong is not None:
        mistaken = record(wrong, "tech_sme", dt.date(2020, 6, 15), numbers.sme_number(2020))
        services.qualification_void(
            actor=ctx.system,
            qualification=mistaken,
            reason="录入错误：应为另一企业的入库编号",
            on=dt.date(2020, 7, 1),
        )

    # 市级高企培育库 2020 (incl. 金宇钢构 and 隆之智), 创新型高成长, 领军, 专精特新, 瞪羚.
    for org in pool + others[50:58]:
        record(org, "city_hnte_pool", dt.date(2020, 7, 10), note="2020年市级高新技术企业培育库入库")
    for org in others[58:68]:
        record(org, "growth", dt.date(2020, 9, 20))
    for org in hnte_2019[:3]:
        record(org, "leader", dt.date(2020, 10, 12))
    for org in hnte_2018[2:6]:
        record(org, "zhuanjingtexin", dt.date(2019, 12, 5))
    for org in hnte_2019[3:5]:
        record(org, "gazelle", dt.date(2020, 6, 1))


def build_district(ctx) -> None:
    """A further demo district (core.demo_districts): HNTE batches valid three years and tech-SME lists."""
    from kechuang.core.demo_districts import district_firms

    plan, rng = ctx.plan, ctx.rng
    kinds = {k.code: k for k in QualificationKind.objects.all()}
    fields = list(DictItem.objects.filter(dict_type__code="hnte_field"))
    firms = district_firms(ctx)
    order = firms[:]
    rng.shuffle(order)
    serial = iter(range(int(plan.code) % 1000 * 100, 10**6))
    start = 0
    for issued, count in plan.hnte_batches:
        for org in order[start : start + count]:
            services.qualification_record(
                actor=ctx.system,
                organisation=org,
                kind=kinds["hnte"],
                valid_from=issued,
                issued_on=issued,
                number=f"GR{issued.year}37{next(serial):06d}",
                field=rng.choice(fields),
                source="demo",
            )
        start += count
    small = order[start:] + order[:start]  # firms without a certificate first
    for year, count in plan.tech_sme.items():
        for org in small[:count]:
            services.qualification_record(
                actor=ctx.system,
                organisation=org,
                kind=kinds["tech_sme"],
                valid_from=dt.date(year, rng.randint(3, 6), rng.randint(1, 28)),
                number=f"{year}{plan.code}A{next(serial):07d}",
                source="demo",
            )
        rng.shuffle(small)
