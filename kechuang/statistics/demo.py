"""周村区 statistics, 2018—2020: monthly facts for every firm, annual finals for 2018 and 2019 and the 2020
annual estimate, regional GDP for 淄博 and its districts, targets and the submission calendar.

The inputs are shaped so that, computed by the registered indicators for 2020 as of 2020-11-30, the
district shows what the seed reply reports: 67 firms with R&D projects, R&D ≈ 6.37亿元 (预计), R&D
intensity ≈ 2.76% against the city's published 2.63%, and a high-tech output share of 50.83% (1—10月)
against 46.01% for 2019 (+4.82 points). Only inputs are stored; the figures come out of the computation.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from kechuang.core.indicators import Period
from kechuang.core.models import Organisation, Region
from kechuang.statistics import demo_imports, services
from kechuang.statistics.models import FactSource, FactStatus

CENT = Decimal("0.01")
RD_TOTAL = {2018: Decimal("52040"), 2019: Decimal("57860"), 2020: Decimal("63700")}  # 万元, district sum
RD_FIRMS = {2018: 58, 2019: 63, 2020: 67}
HIGHTECH_SHARE = {2018: Decimal("0.4388"), 2019: Decimal("0.4601"), 2020: Decimal("0.5083")}
DISTRICT_GDP = {2018: Decimal("2150000"), 2019: Decimal("2226000"), 2020: Decimal("2308000")}  # 万元
CITY_GDP = {2018: Decimal("35680000"), 2019: Decimal("36420000"), 2020: Decimal("36735000")}
CITY_RD_INTENSITY = {2018: Decimal("2.45"), 2019: Decimal("2.52"), 2020: Decimal("2.63")}
# Other districts of 淄博: GDP 2020 (万元) and published R&D intensity 2020 (%).
OTHER_DISTRICTS = {
    "370302": (Decimal("4150000"), Decimal("2.21")),
    "370303": (Decimal("9620000"), Decimal("3.05")),
    "370304": (Decimal("2290000"), Decimal("2.48")),
    "370305": (Decimal("8010000"), Decimal("2.87")),
    "370321": (Decimal("4120000"), Decimal("2.55")),
    "370322": (Decimal("1460000"), Decimal("1.62")),
    "370323": (Decimal("1770000"), Decimal("1.74")),
}
# Who does R&D and who is 规上 (the R&D return population) come from their own random stream, so every other
# draw of this module stays as it was. The seed gives a 应统尽统 radar with a handful of real gaps that between
# them show every R&D sign (insights/tests/test_demo.py).
RD_PLAN_SEED = 2246
NON_RD_ABOVE_SIZE = 12  # 规上 firms without R&D (the radar's gaps come from these and the two that stopped)
STOPPED_2020 = 2  # firms with R&D in 2018 and 2019 that report zero for 2020
NEW_RD = {2019: 5, 2020: 6}  # firms that started R&D that year
SMALL_REVENUE = Decimal(1950)  # 万元: 规下 industrial firms stay under the 规上 line of 2000万
LAST_MONTH_2020 = 10  # October's data is due 2020-11-15; November's is not yet due on 2020-11-30
MOVED_FIRM = ("淄博嘉岳新材料有限公司", "370306101")  # was in 南郊镇 until the end of 2019


def q(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def build(ctx) -> None:
    staff = ctx.users.get("staff")
    district = ctx.district
    firms = sorted(
        (
            o
            for o in ctx.orgs.values()
            if o.kind == Organisation.Kind.ENTERPRISE and o.region and o.region.path.startswith(district.path)
        ),
        key=lambda o: o.name,
    )
    rng = ctx.rng
    towns = {t.code: t for t in ctx.towns}
    old_town = {MOVED_FIRM[0]: towns[MOVED_FIRM[1]]}

    # Stable per-firm profile: size, R&D intensity, industrial (规上) or not, high-tech ratio.
    profile = {}
    for org in firms:
        section = org.industry.code if org.industry else ""
        industrial = section in ("C", "D") and rng.random() < 0.8
        profile[org.pk] = {
            "size": Decimal(str(round(rng.lognormvariate(0, 0.9), 3))) + Decimal("0.2"),
            "rd_ratio": Decimal(str(round(rng.uniform(0.018, 0.055), 4))),
            "industrial": industrial,
            "ht_ratio": Decimal(str(round(rng.uniform(0.15, 0.85), 3))) if rng.random() < 0.8 else Decimal(0),
            "staff": rng.randint(30, 600),
        }
    seeded = {"淄博方达电子有限公司", "淄博金宇钢构有限公司"}
    rd_plan = _rd_plan(firms, profile, seeded)
    annual_rd = {
        year: _annual(ctx, staff, year, firms, profile, old_town, rd_plan[year], district)
        for year in (2018, 2019, 2020)
    }
    for year in (2018, 2019, 2020):
        _monthly(ctx, staff, year, firms, profile, old_town, annual_rd[year])
    _regions(staff, district)
    for code, value in (
        ("rd_total", Decimal("65000")),
        ("rd_intensity", Decimal("2.70")),
        ("hightech_output_share", Decimal("50.00")),
    ):
        services.target_set(
            actor=staff, region=district, year=2020, indicator=code, value=value, note="区科技局2020年度目标"
        )
    for month in range(1, 12):
        due = dt.date(2020 + (month == 12), month % 12 + 1, 15)
        services.deadline_set(
            actor=staff, region=district, period=Period(2020, month=month), due_on=due, note="月度统计快报"
        )
    services.deadline_set(
        actor=staff,
        region=district,
        period=Period(2020),
        due_on=dt.date(2020, 11, 25),
        note="2020年研发投入预计数",
    )
    demo_imports.build(staff, district)  # the import history: one import kept, one undone


EARLY_ESTIMATES_ON = dt.date(2020, 11, 12)


def _rd_plan(firms, profile, seeded) -> dict[int, set[str]]:
    """The names of the firms with R&D each year, and the 规上 flag of every firm (in `profile`).

    The R&D statistics cover 规模以上工业企业, and a firm that does R&D keeps doing it: the R&D firms are 规上
    industrial firms (and the two seeded firms), 2018 ⊂ 2019, and 2020 is 2019 less `STOPPED_2020` firms that
    report zero plus `NEW_RD[2020]` newcomers. `NON_RD_ABOVE_SIZE` more 规上 firms have no R&D; every other
    firm of an industrial section (B, C, D) is 规下 (no 规上 output, revenue under the 2000万 line), so the
    radar does not take it for a firm that should be 规上."""
    plan = random.Random(RD_PLAN_SEED)
    names = sorted(o.name for o in firms if profile[o.pk]["industrial"])
    plan.shuffle(names)
    order = [n for n in names if n not in seeded]
    now = RD_FIRMS[2020] - len(seeded)
    was = now - NEW_RD[2020]
    stopped = order[now : now + STOPPED_2020]
    years = {
        2020: set(seeded) | set(order[:now]),
        2019: set(seeded) | set(order[:was]) | set(stopped),
        2018: set(seeded) | set(order[: was - NEW_RD[2019]]) | set(stopped),
    }
    assert {y: len(v) for y, v in years.items()} == RD_FIRMS, "the R&D plan must give the seed's firm counts"
    above = set(order[: now + STOPPED_2020 + NON_RD_ABOVE_SIZE]) | (seeded & set(names))
    for org in firms:
        p = profile[org.pk]
        section = org.industry.code[:1] if org.industry else ""
        p["small"] = section in ("B", "C", "D") and org.name not in above  # every other industrial firm: 规下
        p["industrial"] = p["industrial"] and not p["small"]
        # a 规下 firm's revenue: under the line, larger firms nearer to it
        p["revenue_scale"] = SMALL_REVENUE / ((p["size"] + 1) * 30000) if p["small"] else Decimal(1)
    return years


def _town(org, year, old_town):
    return old_town.get(org.name) if year < 2020 and org.name in old_town else org.region


def _spread(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights`, to the cent, summing exactly to `total`."""
    s = sum(weights)
    parts = [q(total * w / s) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _annual(ctx, staff, year, firms, profile, old_town, with_rd, district):
    rng = ctx.rng
    growth = Decimal({2018: "0.90", 2019: "0.95", 2020: "1.00"}[year])
    rng.sample(
        firms, len(firms)
    )  # was the R&D firms' draw (now `_rd_plan`): kept so later draws stay the same
    rd_firms = [o for o in firms if o.name in with_rd]
    rd_values = dict(
        zip(
            [o.pk for o in rd_firms],
            _spread(RD_TOTAL[year], [profile[o.pk]["size"] for o in rd_firms]),
            strict=True,
        )
    )
    industrial = [o for o in firms if profile[o.pk]["industrial"]]
    outputs = {o.pk: q(profile[o.pk]["size"] * 42000 * growth) for o in industrial}
    ht = {
        o.pk: q(
            outputs[o.pk] * profile[o.pk]["ht_ratio"] * Decimal({2018: "0.96", 2019: "1", 2020: "1.08"}[year])
        )
        for o in industrial
    }
    if year < 2020:  # the 2020 annual row is the R&D estimate only; output comes from monthly rows
        items = [{"pk": pk, "industrial_output": outputs[pk], "hightech_output": ht[pk]} for pk in outputs]
        _fit_share(items, HIGHTECH_SHARE[year])
        ht = {i["pk"]: i["hightech_output"] for i in items}
    status, source, reported = (
        (FactStatus.FINAL, FactSource.BUREAU, dt.date(year + 1, 6, 30))
        if year < 2020
        else (FactStatus.ESTIMATE, FactSource.STAFF_IMPORT, dt.date(2020, 11, 20))
    )
    early = set(list(rd_values)[:8]) if year == 2020 else set()
    for org in firms:
        p = profile[org.pk]
        rd = rd_values.get(org.pk, Decimal(0))
        revenue = q(max(rd / p["rd_ratio"], p["size"] * 30000 * growth * p["revenue_scale"]))
        values = {
            "rd_internal": rd,
            "rd_hnte": q(rd * Decimal("0.93")),
            "rd_super_deduction": q(rd * Decimal("0.81")),
            "has_rd_projects": org.pk in rd_values,
            "rd_project_count": rng.randint(1, 9) if org.pk in rd_values else None,
            "operating_revenue": revenue,
            "sales_revenue": q(revenue * Decimal("0.96")),
            "hightech_income": q(revenue * Decimal("0.96") * p["ht_ratio"]),
            "above_size": p["industrial"],
            "staff": p["staff"],
            "st_staff": max(1, p["staff"] * rng.randint(8, 35) // 100),
            "net_assets": q(revenue * Decimal("0.55")),
            "total_assets": q(revenue * Decimal("1.30")),
            "total_costs": q(revenue * Decimal("0.88")),
        }
        if year < 2020 and org.pk in outputs:
            values.update(industrial_output=outputs[org.pk], hightech_output=ht[org.pk])
        if year == 2020 and org.pk in early:
            # a first estimate a week before the list the seed reply uses: the revision adds a version, so
            # figures as of 2020-11-12…19 show it (数据未齐: a few firms of the year's list) and keep doing so
            services.fact_submit(
                actor=staff,
                organisation=org,
                period=Period(year),
                values={k: values[k] for k in ("rd_internal", "has_rd_projects", "rd_project_count")}
                | {"rd_internal": q(rd * Decimal("0.9"))},
                status=status,
                source=source,
                town=_town(org, year, old_town),
                reported_on=EARLY_ESTIMATES_ON,
            )
        services.fact_submit(
            actor=staff,
            organisation=org,
            period=Period(year),
            values=values,
            status=status,
            source=source,
            town=_town(org, year, old_town),
            reported_on=reported,
        )
    return rd_values


def _fit_share(items: list[dict], share: Decimal) -> None:
    """Scale the high-tech output of `items` so Σhigh-tech ÷ Σoutput is `share`, then settle the cents.

    The data are a demo's inputs; this keeps their shape (who is more high-tech than whom) while
    making the district total match what the seed reply reports.
    """
    want = q(sum(i["industrial_output"] for i in items) * share)
    have = sum(i["hightech_output"] for i in items)
    for i in items:
        i["hightech_output"] = min(i["industrial_output"], q(i["hightech_output"] * want / have))
    delta = want - sum(i["hightech_output"] for i in items)
    for i in sorted(items, key=lambda i: i["industrial_output"], reverse=True):
        room = i["industrial_output"] - i["hightech_output"] if delta > 0 else i["hightech_output"]
        step = min(abs(delta), room)
        i["hightech_output"] += step if delta > 0 else -step
        delta -= step if delta > 0 else -step
        if delta == 0:
            break


def _monthly(ctx, staff, year, firms, profile, old_town, annual_rd):
    """Monthly 快报 (当月). A firm's monthly R&D follows the season and adds up over twelve months to its annual
    figure (zero without R&D), so the 应统尽统 radar's check of the estimate against the months holds."""
    rng = ctx.rng
    months = range(1, 13) if year < 2020 else range(1, LAST_MONTH_2020 + 1)
    growth = Decimal({2018: "0.90", 2019: "0.95", 2020: "1.00"}[year])
    season = {
        m: Decimal(str(s))
        for m, s in zip(
            range(1, 13), (0.70, 0.62, 0.95, 1.0, 1.02, 1.08, 0.98, 1.0, 1.05, 1.04, 1.12, 1.24), strict=True
        )
    }
    year_season = sum(season.values())
    late = {o.pk for o in firms if not (profile[o.pk]["industrial"] or profile[o.pk]["small"])}
    late = set(sorted(late)[:5]) | {o.pk for o in firms if o.name == "淄博金宇钢构有限公司"}
    monthly = {}
    for m in months:
        for org in firms:
            if year == 2020 and m == LAST_MONTH_2020 and org.pk in late:
                continue  # not reported yet: shows up on the calendar and gets a reminder
            p = profile[org.pk]
            base = p["size"] * growth * season[m]
            values = {
                "rd_internal": q(annual_rd.get(org.pk, Decimal(0)) * season[m] / year_season),
                "has_rd_projects": False,
                "operating_revenue": q(base * 2500 * p["revenue_scale"]),
                "above_size": p["industrial"],
                "staff": p["staff"],
            }
            if p["industrial"]:
                out = q(base * 3500)
                drift = Decimal(m) * Decimal("0.006") if year == 2020 else Decimal(0)
                values["industrial_output"] = out
                values["hightech_output"] = q(out * min(Decimal("0.95"), p["ht_ratio"] + drift))
            monthly[(m, org.pk)] = values
    # Fit each year's cumulative share (2020: 1—10月) to the figure the demo reproduces.
    _fit_share([v for v in monthly.values() if "industrial_output" in v], HIGHTECH_SHARE[year])
    for (m, org_pk), values in sorted(monthly.items()):
        org = next(o for o in firms if o.pk == org_pk)
        services.fact_submit(
            actor=staff,
            organisation=org,
            period=Period(year, month=m),
            values=values,
            status=FactStatus.PRELIMINARY,
            source=FactSource.ENTERPRISE if org.name == "淄博方达电子有限公司" else FactSource.STAFF_IMPORT,
            town=_town(org, year, old_town),
            reported_on=dt.date(year + (m == 12), m % 12 + 1, 15),
        )
    del rng


def _regions(staff, district):
    city = district.parent
    for year in (2018, 2019, 2020):
        status = FactStatus.FINAL if year < 2020 else FactStatus.ESTIMATE
        reported = dt.date(year + 1, 3, 20) if year < 2020 else dt.date(2020, 11, 10)
        services.region_fact_set(
            actor=staff,
            region=district,
            period=Period(year),
            gdp=DISTRICT_GDP[year],
            status=status,
            source="周村区统计局" if year < 2020 else "周村区统计局（预计）",
            reported_on=reported,
        )
        services.region_fact_set(
            actor=staff,
            region=city,
            period=Period(year),
            gdp=CITY_GDP[year],
            rd_intensity_published=CITY_RD_INTENSITY[year],
            status=FactStatus.FINAL if year < 2020 else FactStatus.PRELIMINARY,
            source="淄博市统计公报" if year < 2020 else "淄博市科技局通报（全市平均水平）",
            reported_on=reported,
        )
    for code, (gdp, intensity) in OTHER_DISTRICTS.items():
        region = Region.objects.get(code=code)
        services.region_fact_set(
            actor=staff,
            region=region,
            period=Period(2020),
            gdp=gdp,
            rd_intensity_published=intensity,
            status=FactStatus.PRELIMINARY,
            source="淄博市科技局通报",
            reported_on=dt.date(2020, 11, 10),
        )


def build_district(ctx) -> None:
    """A further demo district (core.demo_districts): annual R&D and output facts for 2019 (年报) and
    2020 (预计), the district's GDP, and its targets, so the city comparison computes its figures."""
    from kechuang.accounts.models import User
    from kechuang.core.demo_districts import district_firms

    plan, rng = ctx.plan, ctx.rng
    staff = User.objects.get(username=f"{plan.prefix}_staff")
    firms = district_firms(ctx)
    size = {o.pk: Decimal(str(round(rng.lognormvariate(0, 0.9), 3))) + Decimal("0.2") for o in firms}
    industrial = {
        o.pk for o in firms if (o.industry and o.industry.code in ("C", "D")) and rng.random() < 0.8
    }
    ht_ratio = {o.pk: Decimal(str(round(rng.uniform(0.2, 0.85), 3))) for o in firms}
    for year in sorted(plan.rd_total):
        rd_firms = sorted(rng.sample(firms, plan.rd_firms[year]), key=lambda o: o.pk)
        rd = dict(
            zip(
                [o.pk for o in rd_firms],
                _spread(plan.rd_total[year], [size[o.pk] for o in rd_firms]),
                strict=True,
            )
        )
        items = [
            {
                "pk": o.pk,
                "industrial_output": q(size[o.pk] * 61000),
                "hightech_output": q(size[o.pk] * 61000 * ht_ratio[o.pk]),
            }
            for o in firms
            if o.pk in industrial
        ]
        _fit_share(items, plan.hightech_share[year])
        output = {i["pk"]: i for i in items}
        final = year < 2020
        for org in firms:
            spent = rd.get(org.pk, Decimal(0))
            revenue = q(max(spent / Decimal("0.035"), size[org.pk] * 45000))
            values = {
                "rd_internal": spent,
                "rd_hnte": q(spent * Decimal("0.92")),
                "has_rd_projects": org.pk in rd,
                "rd_project_count": rng.randint(1, 12) if org.pk in rd else None,
                "operating_revenue": revenue,
                "sales_revenue": q(revenue * Decimal("0.96")),
                "above_size": org.pk in industrial,
                "staff": rng.randint(30, 900),
            }
            if org.pk in output:
                values.update(
                    industrial_output=output[org.pk]["industrial_output"],
                    hightech_output=output[org.pk]["hightech_output"],
                )
            services.fact_submit(
                actor=staff,
                organisation=org,
                period=Period(year),
                values=values,
                status=FactStatus.FINAL if final else FactStatus.ESTIMATE,
                source=FactSource.BUREAU if final else FactSource.STAFF_IMPORT,
                town=org.region,
                reported_on=dt.date(year + 1, 6, 30) if final else dt.date(2020, 11, 20),
            )
        published = OTHER_DISTRICTS.get(plan.code, (None, None))[1] if not final else None
        services.region_fact_set(
            actor=staff,
            region=ctx.district,
            period=Period(year),
            gdp=plan.gdp[year],
            rd_intensity_published=published,
            status=FactStatus.FINAL if final else FactStatus.PRELIMINARY,
            source=f"{ctx.district.name}统计局" + ("" if final else "（预计）"),
            reported_on=dt.date(year + 1, 3, 20) if final else dt.date(2020, 11, 10),
        )
    services.target_set(
        actor=staff,
        region=ctx.district,
        year=2020,
        indicator="rd_total",
        value=q(plan.rd_total[2020] * Decimal("1.05")),
        note=f"{ctx.district.name}科技局2020年度目标",
    )
