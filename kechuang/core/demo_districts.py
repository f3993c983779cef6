"""Further demo districts beside 周村区, so that one instance shows a city: `kechuang demo --district 370303`.

A city deployment serves several districts from one database; each district's staff see their own district
(region data scopes), city staff see and compare them all. The demo shows that with a second district of
淄博, 张店区, built through the same services as 周村区 but smaller and generic: its streets, its bureau
and staff accounts (`zd_staff`, `zd_leader`), firms with HNTE and tech-SME certificates, and R&D
statistics for 2019 and 2020 from which the city comparison computes its figures.

Every module may take part with a `build_district(ctx)` function in its `demo.py` (ctx.plan is the
`DistrictPlan`); each part runs once per district (recorded in DemoLoad as "<label>@<code>").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from kechuang.core import demo, services
from kechuang.core.demo import DemoContext, _person_name, generated_firm_names
from kechuang.core.models import DemoLoad, DictItem, Organisation, Region


@dataclass(frozen=True)
class DistrictPlan:
    code: str
    prefix: str  # account names: <prefix>_staff, <prefix>_leader
    firm_prefixes: tuple[str, ...]
    towns: tuple[tuple[str, str], ...]  # (code, name): streets and towns created if missing
    firms: int
    hnte_batches: tuple[tuple[dt.date, int], ...]  # (issue date, firms) — valid three years
    tech_sme: dict[int, int]  # year → firms registered
    rd_total: dict[int, Decimal]  # 万元, district sum of 研发经费内部支出
    rd_firms: dict[int, int]
    gdp: dict[int, Decimal]  # 万元
    hightech_share: dict[int, Decimal]  # share of 规上工业总产值


PLANS = {
    "370303": DistrictPlan(
        code="370303",
        prefix="zd",
        firm_prefixes=("淄博", "山东", "张店"),
        towns=(
            ("370303001", "车站街道"),
            ("370303002", "公园街道"),
            ("370303003", "和平街道"),
            ("370303004", "科苑街道"),
            ("370303005", "体育场街道"),
            ("370303006", "马尚街道"),
            ("370303100", "房镇镇"),
            ("370303101", "中埠镇"),
        ),
        firms=160,
        hnte_batches=((dt.date(2018, 11, 30), 26), (dt.date(2019, 11, 28), 31), (dt.date(2020, 8, 17), 29)),
        tech_sme={2019: 92, 2020: 118},
        rd_total={2019: Decimal("263400"), 2020: Decimal("287900")},
        rd_firms={2019: 84, 2020: 93},
        gdp={2019: Decimal("9310000"), 2020: Decimal("9620000")},
        hightech_share={2019: Decimal("0.4812"), 2020: Decimal("0.5126")},
    ),
}


def plan_for(code: str) -> DistrictPlan:
    try:
        return PLANS[code]
    except KeyError:
        known = "、".join(f"{c}（{Region.objects.get(code=c).name}）" for c in PLANS)
        raise ValidationError(f"没有区划 {code} 的演示方案；可选：{known}。") from None


def context_for(plan: DistrictPlan, *, firms: int | None = None) -> DemoContext:
    if firms is not None:
        plan = dataclasses.replace(plan, firms=firms)
    district = Region.objects.get(code=plan.code)
    ctx = DemoContext(
        rng=random.Random(int(plan.code)),
        district=district,
        towns=list(Region.objects.filter(parent=district).order_by("code")),
        plan=plan,
    )
    ctx.system = get_user_model().objects.filter(username="sysadmin").first()
    return ctx


def run_district(code: str, *, stdout=None, firms: int | None = None) -> list[str]:
    """Build every module's part of a further demo district that is not built yet; return what was built."""
    plan = plan_for(code)
    ctx = context_for(plan, firms=firms)
    built = []
    for app_config, module in demo.builders():
        build = build_district if app_config.label == "core" else getattr(module, "build_district", None)
        key = f"{app_config.label}@{plan.code}"
        if build is None or DemoLoad.objects.filter(app_label=key).exists():
            continue
        ctx.rng = random.Random(f"{plan.code}:{app_config.label}")
        started = time.monotonic()
        build(ctx)
        DemoLoad.objects.create(app_label=key)
        built.append(key)
        if stdout:
            stdout.write(
                f"  {ctx.district.name} · {app_config.verbose_name}：{time.monotonic() - started:.1f} 秒"
            )
    return built


def district_firms(ctx: DemoContext) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.ENTERPRISE, region__path__startswith=ctx.district.path
        ).order_by("pk")
    )


def build_district(ctx: DemoContext) -> None:
    """Core's part: streets and towns, the bureau and the firms (accounts add the staff accounts)."""
    from kechuang.core.seed import load_regions

    plan = ctx.plan
    district = ctx.district
    missing = [(c, n) for c, n in plan.towns if not Region.objects.filter(code=c).exists()]
    if missing:
        rows = "".join(f"{c},{n},4,{plan.code}\n" for c, n in missing)
        load_regions("code,name,level,parent_code\n" + rows)
    ctx.towns = list(Region.objects.filter(parent=district).order_by("code"))

    services.organisation_create(
        actor=ctx.system,
        name=f"{district.parent.name}{district.name}科学技术局",
        credit_code=ctx.credit_code(authority="1", entity="1", division=plan.code),
        kind=Organisation.Kind.GOVERNMENT,
        region=district,
    )
    industries = {i.code: i for i in DictItem.objects.filter(dict_type__code="industry")}
    existing = set(Organisation.objects.values_list("name", flat=True))
    names = [
        n for n in generated_firm_names(ctx.rng, plan.firms * 2, plan.firm_prefixes) if n[0] not in existing
    ]
    for name, section in names[: plan.firms]:
        town = ctx.rng.choice(ctx.towns)
        services.organisation_create(
            actor=ctx.system,
            name=name,
            credit_code=ctx.credit_code(division=plan.code),
            kind=Organisation.Kind.ENTERPRISE,
            region=town,
            established_on=dt.date(
                ctx.rng.randint(1995, 2019), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28)
            ),
            industry=industries[section],
            address=f"{district.parent.name}{district.name}{town.name}",
            legal_representative=_person_name(ctx.rng),
            contact_name=_person_name(ctx.rng),
            contact_phone=ctx.phone(),
        )
