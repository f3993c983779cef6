"""周村区's innovation carriers in 2020 (seed section 二): 4 municipal 创新创业共同体, the provincial
新型研发机构 application of 恒利石油工程技术研究所, the 院士工作站 being set up at 恒利导热油 with a
Ukrainian academician, 10 创新战略联盟 joined by district firms, the incubation chain with 方达1977众创空间's
national filing, 3 泰山系列人才工作室 founded at the 8月28日 event and 4 引智平台 in the city's pool."""

from __future__ import annotations

import datetime as dt

from kechuang.core.demo import DemoContext
from kechuang.core.models import DictItem, Organisation
from kechuang.platforms import services
from kechuang.platforms.models import Platform

D = dt.date.fromisoformat


def _org(ctx: DemoContext, name: str) -> Organisation:
    return ctx.orgs.get(name) or Organisation.objects.get(name=name)


def build(ctx: DemoContext) -> None:
    staff = ctx.users.get("staff2") or ctx.system
    district, city = ctx.district, ctx.district.parent
    industry = {i.name: i for i in DictItem.objects.filter(dict_type__code="key_industry")}
    enterprises = sorted(
        (o for o in ctx.orgs.values() if o.kind == Organisation.Kind.ENTERPRISE and o.region_id),
        key=lambda o: o.name,
    )

    def recognised(name, kind, level, operator, on, doc, *, region=district, ind=None, partners=(), note=""):
        return services.platform_create(
            actor=staff,
            name=name,
            kind=kind,
            level=level,
            operator=operator,
            region=region,
            industry=industry.get(ind) if ind else None,
            status="recognised",
            recognised_on=D(on),
            recognition_document=doc,
            partners=list(partners),
            partner_note=note,
            is_published=True,
        )

    # 4 municipal 创新创业共同体, each with member firms and institutes.
    uni = _org(ctx, "山东理工大学")
    for i, (ind, lead) in enumerate(
        [
            ("新材料", "山东华安新材料有限公司"),
            ("高端装备制造", "山东澳周石油装备有限公司"),
            ("医养健康", "山东广晟生物科技有限公司"),
            ("氢能源", "淄博恒利石油工程技术研究所有限公司"),
        ]
    ):
        p = recognised(
            f"周村区{ind}创新创业共同体",
            "community",
            "municipal",
            _org(ctx, lead),
            f"2020-0{6 + i % 2}-1{i}",
            f"淄科字〔2020〕{41 + i}号",
            ind=ind,
            partners=[uni],
        )
        services.member_add(
            actor=staff, platform=p, organisation=_org(ctx, lead), joined_on=p.recognised_on, role="lead"
        )
        services.member_add(actor=staff, platform=p, organisation=uni, joined_on=p.recognised_on)
        for firm in [f for f in enterprises[14 + 3 * i : 17 + 3 * i] if f.pk != p.operator_id]:
            services.member_add(actor=staff, platform=p, organisation=firm, joined_on=p.recognised_on)

    # 新型研发机构: the provincial application (programmes' outcome handler may have registered it already).
    rd_operator = _org(ctx, "淄博恒利石油工程技术研究所有限公司")
    if not Platform.objects.filter(operator=rd_operator, kind="new_rd").exists():
        services.platform_create(
            actor=staff,
            name="恒利石油工程技术研究所申报省级新型研发机构",
            kind="new_rd",
            level="provincial",
            operator=rd_operator,
            region=district,
            description="2020年组织申报省级新型研发机构。",
            registered_on=D("2020-06-30"),
        )

    # 院士工作站 under construction with the Ukrainian academician's institute.
    ukraine = Organisation.objects.filter(kind=Organisation.Kind.FOREIGN, name__startswith="乌克兰").first()
    station = services.platform_create(
        actor=staff,
        name="淄博恒利导热油院士工作站",
        kind="academician",
        level="municipal",
        operator=_org(ctx, "淄博恒利导热油有限公司"),
        region=district,
        industry=industry["新材料"],
        partners=[ukraine] if ukraine else [],
        partner_note="合作院士：乌克兰国家科学院院士（导热介质与传热材料）",
        description="推动恒利导热油与乌克兰院士合作，组建院士工作站。",
        registered_on=D("2020-07-01"),
    )
    services.platform_transition(
        actor=staff, platform=station, to="building", on=D("2020-09-15"), note="签订合作协议，启动建设"
    )

    # 10 创新战略联盟 (city level) joined by district firms such as 方达电子 and 华安新材料.
    alliances = [
        "大数据",
        "信息技术",
        "新材料",
        "高端装备",
        "生物医药",
        "氢能",
        "纺织丝绸",
        "耐火材料",
        "石油装备",
        "智能制造",
    ]
    joiners = [_org(ctx, "淄博方达电子有限公司"), _org(ctx, "山东华安新材料有限公司")] + enterprises[30:40]
    for i, topic in enumerate(alliances):
        p = recognised(
            f"淄博市{topic}产业技术创新战略联盟",
            "alliance",
            "municipal",
            uni if i % 2 else _org(ctx, "淄博职业学院"),
            f"2019-{i % 9 + 1:02d}-20",
            f"淄科字〔2019〕{60 + i}号",
            region=city,
        )
        for firm in {joiners[i % 2], joiners[2 + i]}:
            services.member_add(
                actor=staff, platform=p, organisation=firm, joined_on=D(f"2020-{i % 9 + 2:02d}-15")
            )

    # Incubation chain 众创空间 → 孵化器 → 加速器 → 科技园区, with yearly evaluation data.
    fangda = _org(ctx, "淄博方达1977文化创意产业园有限公司")
    maker = recognised(
        "方达1977众创空间", "maker_space", "national", fangda, "2020-05-18", "国科火字〔2020〕93号"
    )
    incubator = recognised(
        "周村区科技企业孵化器", "incubator", "municipal", fangda, "2017-09-01", "淄科字〔2017〕88号"
    )
    accelerator = recognised(
        "周村区科技企业加速器", "accelerator", "district", fangda, "2019-03-01", "周科字〔2019〕5号"
    )
    recognised("周村区科技园区", "park", "district", fangda, "2018-06-01", "周政字〔2018〕31号")
    for p, data in [
        (incubator, {"area": "18000", "incubated": 46, "graduated": 5, "jobs": 620}),
        (accelerator, {"area": "26000", "incubated": 12, "graduated": 2, "jobs": 410}),
    ]:
        services.evaluation_record(
            actor=staff, platform=p, year=2019, data=data, grade="good", on=D("2020-03-31")
        )
    del maker
    # A space that lost its status: it stops counting from its revocation date.
    old = recognised(
        "周村区丝路创客空间", "maker_space", "municipal", enterprises[20], "2016-08-01", "淄科字〔2016〕30号"
    )
    services.platform_transition(
        actor=staff,
        platform=old,
        to="revoked",
        on=D("2020-07-01"),
        document="淄科字〔2020〕52号",
        note="考核不合格，撤销备案",
    )

    # 3 泰山系列人才工作室 founded during the 科技赋能新周村 event.
    for name in ["淄博嘉岳新材料有限公司", "淄博鲁铭高温材料科技有限公司", "淄博恒利导热油有限公司"]:
        recognised(
            f"{name[2:6]}泰山系列人才工作室",
            "taishan_studio",
            "district",
            _org(ctx, name),
            "2020-08-28",
            "周科字〔2020〕21号",
        )

    # 4 引智平台 in the city's pool; plus the bodies founded at the event.
    for name in [
        "淄博玉兔纺织有限公司",
        "淄博恒利纺织有限公司",
        "山东澳周石油装备有限公司",
        "淄博恒利导热油有限公司",
    ]:
        recognised(
            f"{name[2:6]}引智平台",
            "foreign_talent",
            "municipal",
            _org(ctx, name),
            "2020-10-20",
            "淄科外〔2020〕7号",
        )
    recognised(
        "周村区科创企业联盟",
        "alliance",
        "district",
        _org(ctx, "淄博方达电子有限公司"),
        "2020-08-29",
        "周科字〔2020〕22号",
    )
    services.platform_create(
        actor=staff,
        name="山东氢能基础产业研究院",
        kind="new_rd",
        level="district",
        operator=_org(ctx, "淄博恒利石油工程技术研究所有限公司"),
        region=district,
        industry=industry["氢能源"],
        description="2020年8月29日“科技赋能新周村”活动期间成立。",
        registered_on=D("2020-08-29"),
    )
    # Engineering centres at municipal level; 金宇钢构's was raised to provincial in 2020 (so it counts as
    # 市级 for 2019 and 省级 from the upgrade: the level history in StatusChange).
    centres = [
        recognised(
            f"淄博市{name[2:6]}工程技术研究中心",
            "engineering",
            "municipal",
            _org(ctx, name),
            on,
            "淄科字〔2019〕101号",
        )
        for name, on in [("淄博金宇钢构有限公司", "2018-11-10"), ("山东隆之智信息科技有限公司", "2019-12-05")]
    ]
    services.platform_set_level(
        actor=staff,
        platform=centres[0],
        level="provincial",
        on=D("2020-10-12"),
        document="鲁科字〔2020〕117号",
    )
