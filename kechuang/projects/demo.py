"""周村区 plan projects as of 2020-11-30: 15 key projects in the reserve, national/provincial/municipal/
district projects of 2018–2020 (the 21 district 校城融合 projects of 2020 come from the programmes decision
through the outcome handler, 9 with out-of-city partners), a finished 2019下半年 campaign and the
2020下半年 campaign in progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.core.demo import DemoContext
from kechuang.core.models import DictItem, Organisation
from kechuang.projects import demo_firms, services
from kechuang.projects.models import Project, SupervisionCampaign

PLANS = [
    ("national", "国家重点研发计划课题", 2, "fiscal_national", 2018),
    ("province", "山东省重点研发计划", 5, "fiscal_province", 2019),
    ("city", "淄博市重点研发计划", 8, "fiscal_city", 2018),
    ("district", "周村区科技计划", 8, "fiscal_district", 2019),
]
TOPICS = [
    "高温陶瓷材料制备",
    "导热油安全监测",
    "智能丝绸织造",
    "氢能储运装备",
    "石油钻采装备升级",
    "生物发酵工艺",
    "电子元器件可靠性",
    "钢结构装配式建筑",
    "新型耐火材料",
    "工业互联网平台",
]
RESERVE = [
    "氢燃料电池双极板中试",
    "耐高温陶瓷纤维产业化",
    "丝绸文化数字化平台",
    "导热油余热回收系统",
    "特种钢结构智能焊接",
    "医养健康智能监护设备",
    "高端石油装备再制造",
    "生物基新材料",
    "电子级化学品提纯",
    "纺织印染废水回用",
    "工业机器人集成应用",
    "新能源汽车轻量化部件",
    "功能性纺织新材料",
    "智慧农业物联网",
    "先进陶瓷3D打印",
]


def build(ctx: DemoContext) -> None:
    staff = ctx.users["staff"]
    firms = [o for o in ctx.orgs.values() if o.kind == Organisation.Kind.ENTERPRISE]
    fields = list(DictItem.objects.filter(dict_type__code="hnte_field", parent__isnull=True)[:8]) or [None]
    rng = ctx.rng
    for n, title in enumerate(RESERVE):
        services.reserve_create(
            actor=staff,
            region=ctx.district,
            title=title,
            organisation=firms[n % len(firms)],
            field=fields[n % len(fields)],
            expected_investment=Decimal(rng.randint(50, 300) * 100000),
            maturity=["concept", "feasibility", "ready"][n % 3],
            owner=staff,
            source="need" if n % 2 else "planning",
            year=2020,
            status=["idea", "planned", "applied"][n % 3],
            target_text=["省重点研发计划", "市重点研发计划", "区科技计划"][n % 3],
        )
    for n in range(3):
        services.reserve_create(
            actor=staff,
            region=ctx.district,
            title=f"2019年储备项目{n + 1}",
            organisation=firms[-n - 1],
            expected_investment=Decimal("1000000"),
            year=2019,
            status="dropped",
            owner=staff,
        )
    projects = []
    for level, plan, count, fund, first_year in PLANS:
        for i in range(count):
            year = first_year + i % (2021 - first_year)
            start = dt.date(year, rng.choice([3, 5, 7]), 1)
            p = services.project_register(
                actor=staff,
                region=ctx.district,
                name=f"{TOPICS[(i + len(projects)) % len(TOPICS)]}关键技术研究",
                level=level,
                plan_name=plan,
                undertaking_unit=firms[(i * 3 + len(projects)) % len(firms)],
                starts_on=start,
                ends_on=start.replace(year=year + 2) - dt.timedelta(days=1),
                field=fields[i % len(fields)],
                owner=staff,
                **{
                    fund: Decimal(rng.randint(10, 80) * 10000),
                    "self_raised": Decimal(rng.randint(50, 300) * 10000),
                },
            )
            projects.append(p)
    school_city = list(Project.objects.filter(school_city=True, year=2020))
    partners = sorted(
        (
            o
            for o in ctx.orgs.values()
            if o.kind in (Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE)
        ),
        key=lambda o: o.in_city,
    )
    for n in range(len(school_city), 21):  # only when the programmes part did not produce them
        partner = partners[n % 4] if n < 9 else partners[-1 - n % 2]
        school_city.append(
            services.project_register(
                actor=staff,
                region=ctx.district,
                name=f"校城融合发展项目{n + 1}",
                level="district",
                plan_name="区校城融合发展项目",
                school_city=True,
                undertaking_unit=firms[-n - 1],
                partners=[partner],
                starts_on=dt.date(2020, 7, 1),
                ends_on=dt.date(2022, 6, 30),
                fiscal_district=Decimal("100000"),
                self_raised=Decimal("900000"),
            )
        )
    for p in projects + school_city:
        services.project_transition(actor=staff, project=p, to="in_progress", reason="任务书已签订")
        for k, months in enumerate((6, 12, 18)):
            due = p.starts_on + dt.timedelta(days=30 * months)
            services.milestone_add(
                actor=staff,
                project=p,
                title=f"第{k + 1}阶段目标",
                due_on=due,
                deliverable=["方案与样品", "中试验证报告", "产品定型"][k],
                target=["完成设计评审", "关键指标达标率≥90%", "实现销售"][k],
            )
        if p.fiscal_total and p.starts_on <= dt.date(2020, 9, 1):
            services.disbursement_create(
                actor=staff,
                project=p,
                amount=(p.fiscal_total / 2).quantize(Decimal("0.01")),
                paid_on=p.starts_on + dt.timedelta(days=20),
                note="首期拨付",
            )
    for p in projects:
        p.refresh_from_db()
        if p.ends_on < dt.date(2020, 6, 30):
            services.project_transition(
                actor=staff,
                project=p,
                to=rng.choice(["accepted", "concluded"]),
                reason="验收/结题",
                on=p.ends_on + dt.timedelta(days=45),
            )
    done = services.campaign_open(
        actor=staff,
        region=ctx.district,
        name="2019年下半年项目督查",
        period_start=dt.date(2019, 7, 1),
        period_end=dt.date(2019, 12, 31),
    )
    _inspect(staff, done, done.items.all())
    services.campaign_close(actor=staff, campaign=done)
    now = services.campaign_open(
        actor=staff,
        region=ctx.district,
        name="2020年下半年项目督查",
        period_start=dt.date(2020, 7, 1),
        period_end=dt.date(2020, 12, 31),
    )
    items = list(now.items.order_by("pk"))
    _inspect(staff, now, items[: len(items) * 2 // 3])
    # The rest are assigned and still to inspect: they are on the inspector's 我的待办 (待督查的项目).
    rest = items[len(items) * 2 // 3 :]
    services.campaign_assign(actor=staff, campaign=now, item_ids=[i.pk for i in rest], inspector=staff)
    services.warn_overdue(as_of=dt.date(2020, 11, 30))
    from kechuang.notifications import digest

    digest.send_daily(dt.date(2020, 11, 30))  # the day's digest of overdue items (issue 24.2)
    demo_firms.build(ctx, staff)  # 验收 applied for, rectification evidence (issue 24)
    assert SupervisionCampaign.objects.filter(status="open").count() == 1


def _inspect(staff, campaign, items):
    items = list(items)
    services.campaign_assign(actor=staff, campaign=campaign, item_ids=[i.pk for i in items], inspector=staff)
    for n, item in enumerate(items):
        item.refresh_from_db()
        services.item_inspect(
            actor=staff,
            item=item,
            progress="behind" if n % 7 == 3 else "on_track",
            funds_spent=item.funds_in_place,
            problems="阶段目标滞后" if n % 7 == 3 else "",
        )
        if n % 7 == 3:
            services.finding_add(
                actor=staff,
                item=item,
                problem="第1阶段目标未按期完成",
                demand="制定赶进度计划并报送",
                deadline=campaign.period_end + dt.timedelta(days=30),
            )
