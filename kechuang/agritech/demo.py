"""周村区's agritech part of the demo (as of 2020-11-30): villages under the 10 towns/streets, 15 key
villages flagged for 2020 and all covered, commissioners (incl. the `tepaiyuan` account 马春生),
pairings with published 亮牌 cards, a year of service logs, the 四级梯度 chain and a provincial 农科驿站."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.agritech import services
from kechuang.agritech.models import Commissioner, Pairing, ServiceLog, ServiceProvider, Station, VillageFlag
from kechuang.core import services as core_services
from kechuang.core.models import Organisation, Region

YEAR = 2020
AS_OF = dt.date(2020, 11, 30)
RURAL = ["370306100", "370306101", "370306102", "370306103", "370306104"]  # the five towns (镇)

VILLAGE_HEADS = "王李张刘孙赵马陈宋郑韩周吴徐高杜贾彭崔田房聂邢胡秦苏"
VILLAGE_FORMS = ["家村", "家庄村", "家营村", "官庄村", "家坞村"]
VILLAGE_PLACES = ["东", "西", "南", "北", "前", "后", "大", "小"]
VILLAGE_WORDS = ["河", "岭", "桥", "店", "泉", "坡", "旺", "湖", "峪", "园"]

COMMISSIONERS = [
    # name, organisation, title, source, level, expertise
    ("马春生", "淄博职业学院", "高级农艺师", "university", "provincial", "果树栽培、设施蔬菜"),
    ("刘玉芹", "山东理工大学", "副教授", "university", "provincial", "农产品加工、食品安全"),
    ("孙德华", "山东省农业科学院", "研究员", "institute", "national", "小麦育种、玉米栽培"),
    ("张秀兰", "山东省农业科学院", "副研究员", "institute", "provincial", "畜禽养殖、疫病防控"),
    ("王志强", "淄博市农业科学研究院", "农艺师", "institute", "municipal", "食用菌栽培"),
    ("李红梅", "周村区农业技术推广站", "高级农艺师", "extension", "district", "土壤肥料、测土配方施肥"),
    ("赵建国", "周村区农业技术推广站", "农艺师", "extension", "district", "植物保护、绿色防控"),
    ("陈海燕", "淄博职业学院", "讲师", "university", "municipal", "农村电商、品牌营销"),
    ("高立新", "淄博市农业科学研究院", "研究员", "institute", "municipal", "中药材种植"),
    ("周春生", "周村区农业技术推广站", "农技员", "extension", "district", "蔬菜育苗、水肥一体化"),
]
NEW_ORGS = [
    ("山东省农业科学院", Organisation.Kind.INSTITUTE, "1", "370100", "370000"),
    ("淄博市农业科学研究院", Organisation.Kind.INSTITUTE, "1", "370300", "370300"),
    ("周村区农业技术推广站", Organisation.Kind.GOVERNMENT, "1", "370306", "370306"),
]
COOPERATIVES = [
    ("淄博萌水丰源果蔬种植专业合作社", "370306103"),
    ("淄博王村绿康蔬菜专业合作社", "370306102"),
    ("淄博南郊金穗粮食种植专业合作社", "370306101"),
    ("淄博商家康源食用菌专业合作社", "370306104"),
    ("淄博北郊鲁丰农机专业合作社", "370306100"),
]
AGRI_FIRMS = [("淄博周村润田农业科技有限公司", "370306103"), ("淄博齐丰生态农业有限公司", "370306104")]
TECHNOLOGIES = [
    "水肥一体化",
    "测土配方施肥",
    "病虫害绿色防控",
    "果树高光效树形改造",
    "设施蔬菜嫁接育苗",
    "秸秆还田",
    "食用菌菌棒工厂化生产",
    "无人机飞防",
    "农产品冷链保鲜",
    "大蒜脱毒种苗",
]
CONTENTS = [
    "现场指导果园春季修剪与花前复剪，讲解高光效树形培养要点",
    "举办设施蔬菜病虫害绿色防控培训，发放技术明白纸",
    "入户查看小麦苗情，指导春季肥水管理和化学除草",
    "指导合作社建立生产记录台账，讲解农产品质量安全追溯",
    "开展测土配方施肥技术讲座，采集土壤样品送检",
    "指导食用菌出菇期温湿度管理，解决菌棒污染问题",
    "对接电商平台，帮助村集体策划农产品线上销售",
    "田间地头开展玉米“一防双减”技术示范",
]


def build(ctx) -> None:
    staff = ctx.users["staff_agri"]
    district = ctx.district
    towns = {t.code: t for t in ctx.towns}

    # Villages, loaded through the same CSV path as a bureau's own file.
    lines = ["code,name,level,parent_code"]
    for town in ctx.towns:
        street = town.code[-3] == "0"
        names: list[str] = []
        while len(names) < ctx.rng.randint(8, 12):
            if street:
                name = f"{ctx.rng.choice(VILLAGE_PLACES)}{ctx.rng.choice(VILLAGE_WORDS)}社区"
            elif ctx.rng.random() < 0.6:
                name = f"{ctx.rng.choice(VILLAGE_HEADS)}{ctx.rng.choice(VILLAGE_FORMS)}"
            else:
                name = f"{ctx.rng.choice(VILLAGE_PLACES)}{ctx.rng.choice(VILLAGE_WORDS)}村"
            if name not in names:
                names.append(name)
        for i, name in enumerate(names, start=1):
            lines.append(f"{town.code}{200 + i:03d},{name},5,{town.code}")
    services.villages_import(actor=staff, text="\n".join(lines) + "\n")
    villages_by_town = {
        code: list(Region.objects.filter(parent=towns[code], name__endswith="村").order_by("code"))
        for code in RURAL
    }

    # 15 省扶贫工作重点村 for 2020: three in each of the five towns.
    key = []
    for code in RURAL:
        for village in ctx.rng.sample(villages_by_town[code], 3):
            services.village_flag_set(
                actor=staff,
                village=village,
                year=YEAR,
                flag=VillageFlag.Flag.KEY_POVERTY,
                source="鲁扶贫办〔2020〕",
            )
            services.village_flag_set(actor=staff, village=village, year=2019, flag=VillageFlag.Flag.POVERTY)
            key.append(village)

    for name, kind, authority, division, region_code in NEW_ORGS:
        ctx.orgs[name] = core_services.organisation_create(
            actor=ctx.system,
            name=name,
            kind=kind,
            credit_code=ctx.credit_code(
                authority=authority,
                entity="2" if kind == Organisation.Kind.INSTITUTE else "1",
                division=division,
            ),
            region=Region.objects.get(code=region_code),
        )
    coops = []
    for name, town in COOPERATIVES:
        ctx.orgs[name] = core_services.organisation_create(
            actor=ctx.system,
            name=name,
            kind=Organisation.Kind.COOPERATIVE,
            credit_code=ctx.credit_code(entity="3"),
            region=towns[town],
            address=f"淄博市周村区{towns[town].name}",
        )
        coops.append(ctx.orgs[name])
    firms = []
    for name, town in AGRI_FIRMS:
        ctx.orgs[name] = core_services.organisation_create(
            actor=ctx.system,
            name=name,
            kind=Organisation.Kind.ENTERPRISE,
            credit_code=ctx.credit_code(),
            region=towns[town],
            address=f"淄博市周村区{towns[town].name}",
        )
        firms.append(ctx.orgs[name])

    # Commissioners: 马春生 is the demo account `tepaiyuan`; a team and a legal entity as well.
    commissioners = []
    for name, org, title, source, level, expertise in COMMISSIONERS:
        person = ctx.people.get(name) or core_services.person_create(
            actor=ctx.system,
            name=name,
            id_number=ctx.id_number("370306"),
            phone=ctx.phone(),
            organisation=ctx.orgs[org],
            title=title,
            region=district,
        )
        ctx.people[name] = person
        commissioners.append(
            services.commissioner_create(
                actor=staff,
                kind=Commissioner.Kind.INDIVIDUAL,
                name=name,
                person=person,
                organisation=ctx.orgs[org],
                source=source,
                level=level,
                expertise=expertise,
                term_start=dt.date(2019, 1, 1),
                term_end=dt.date(2021, 12, 31),
                region=district,
            )
        )
    team = services.commissioner_create(
        actor=staff,
        kind=Commissioner.Kind.TEAM,
        name="山东理工大学果蔬产业服务团队",
        person=ctx.people["刘玉芹"],
        members=[ctx.people["刘玉芹"], ctx.people["陈海燕"]],
        organisation=ctx.orgs["山东理工大学"],
        source="university",
        level="provincial",
        expertise="果蔬采后处理、冷链物流",
        term_start=dt.date(2020, 1, 1),
        term_end=dt.date(2022, 12, 31),
        region=district,
    )
    entity = services.commissioner_create(
        actor=staff,
        kind=Commissioner.Kind.ENTITY,
        name="淄博周村润田农业科技有限公司",
        person=ctx.people["周春生"],
        organisation=firms[0],
        source="enterprise",
        level="district",
        expertise="设施农业、种苗繁育",
        term_start=dt.date(2020, 1, 1),
        term_end=dt.date(2022, 12, 31),
        region=district,
    )

    # Pairings: every key village by 2020-04, plus co-operatives and a firm; one ended early elsewhere.
    fields = [
        "果树栽培",
        "设施蔬菜",
        "粮食作物",
        "畜禽养殖",
        "食用菌",
        "土肥",
        "植保",
        "农村电商",
        "中药材",
        "蔬菜育苗",
    ]
    pairings = []
    order = [0, 0] + list(range(1, 10)) + [1, 2, 3, 5]
    for i, village in enumerate(key):
        c = commissioners[order[i]]
        p = _pair(
            ctx, staff, c, village=village, field=fields[order[i]], accepted=dt.date(2020, 3 + i % 2, 5 + i)
        )
        pairings.append(p)
    for c, org in [
        (team, coops[0]),
        (commissioners[4], coops[3]),
        (commissioners[2], coops[2]),
        (entity, coops[1]),
    ]:
        pairings.append(
            _pair(ctx, staff, c, organisation=org, field=c.expertise_list[0], accepted=dt.date(2020, 4, 20))
        )
    pairings.append(
        _pair(ctx, staff, commissioners[6], organisation=firms[1], field="植保", accepted=dt.date(2020, 5, 8))
    )
    non_key = next(v for v in villages_by_town["370306100"] if v not in key)
    early = _pair(
        ctx,
        staff,
        commissioners[7],
        village=non_key,
        field="农村电商",
        accepted=dt.date(2020, 3, 1),
        publish=False,
    )
    services.pairing_transition(
        actor=staff,
        pairing=early,
        to_status=Pairing.Status.TERMINATED,
        note="特派员工作调动",
        on=dt.date(2020, 6, 30),
    )

    # A year of service logs: two to four visits a month from acceptance to the as-of date.
    for p in pairings:
        day = p.accepted_on + dt.timedelta(days=ctx.rng.randint(1, 6))
        busy = ctx.rng.choice([3, 5, 7, 10, 14])
        while day <= AS_OF:
            log = services.log_create(
                actor=staff,
                pairing=p,
                date=day,
                place=f"{p.target_name}{ctx.rng.choice(['村委会', '田间', '大棚', '合作社基地'])}",
                content=ctx.rng.choice(CONTENTS),
                people_trained=ctx.rng.choice([0, 0, 5, 12, 20, 35]),
                technologies=ctx.rng.choice(TECHNOLOGIES),
            )
            if ctx.rng.random() < 0.7:
                services.log_rate(actor=staff, log=log, rating=ctx.rng.choice([3, 4, 4, 5, 5, 5]), comment="")
            day += dt.timedelta(days=busy + ctx.rng.randint(0, 5))
    services.cutoffs_set(
        actor=staff,
        region=district,
        year=YEAR,
        excellent_days=30,
        excellent_rating=Decimal("4.5"),
        pass_days=15,
        pass_rating=Decimal("3.0"),
    )

    # The 四级梯度联动 chain and the provincial 农科驿站 with its supervision.
    station = services.station_create(
        actor=staff,
        name="萌水镇省级农科驿站",
        level=Station.Level.PROVINCIAL,
        operator=coops[0],
        town=towns["370306103"],
        status=Station.Status.OPERATING,
        established_on=dt.date(2018, 6, 1),
    )
    services.station_create(
        actor=staff,
        name="王村镇区级农科驿站",
        level=Station.Level.DISTRICT,
        operator=coops[1],
        town=towns["370306102"],
        status=Station.Status.OPERATING,
        established_on=dt.date(2019, 4, 1),
    )
    province = services.provider_create(
        actor=staff,
        name="山东省农业科学院专家服务团",
        level=ServiceProvider.Level.PROVINCE,
        region=Region.objects.get(code="370000"),
        organisation=ctx.orgs["山东省农业科学院"],
        commissioners=[commissioners[2], commissioners[3]],
    )
    services.provider_create(
        actor=staff,
        name="淄博市农业科学研究院",
        level=ServiceProvider.Level.CITY,
        region=district.parent,
        organisation=ctx.orgs["淄博市农业科学研究院"],
        commissioners=[commissioners[4], commissioners[8]],
    )
    services.provider_create(
        actor=staff,
        name="周村区农业技术推广站",
        level=ServiceProvider.Level.DISTRICT,
        region=district,
        organisation=ctx.orgs["周村区农业技术推广站"],
        commissioners=[commissioners[5], commissioners[6], commissioners[9]],
    )
    for code in RURAL:
        services.provider_create(
            actor=staff,
            name=f"{towns[code].name}农业综合服务站",
            level=ServiceProvider.Level.TOWN,
            region=towns[code],
            station=station if code == "370306103" else None,
            commissioners=[commissioners[0], commissioners[7], commissioners[9]],
        )
    for when, inspector, findings, rectification, fixed in [
        (dt.date(2020, 4, 16), "张丽华", "服务台账记录完整，示范基地运行正常。", "", None),
        (
            dt.date(2020, 7, 22),
            "张丽华",
            "技术培训记录缺少参训人员签到表。",
            "补齐二季度培训签到材料，建立签到制度。",
            dt.date(2020, 8, 10),
        ),
        (
            dt.date(2020, 10, 28),
            "刘志强",
            "驿站专家值班公示牌信息未更新。",
            "更新值班公示牌及联系方式。",
            None,
        ),
    ]:
        visit = services.supervision_record(
            actor=staff,
            station=station,
            date=when,
            inspector=inspector,
            findings=findings,
            rectification=rectification,
        )
        if fixed:
            services.supervision_rectified(actor=staff, visit=visit, on=fixed)

    req = services.request_create(
        actor=staff,
        requester="王秀英",
        village=key[0],
        subject="苹果树腐烂病防治",
        detail="今年春季发现多株苹果树主干流胶、树皮腐烂，想请专家到园查看。",
    )
    services.request_answer(
        actor=staff,
        request=req,
        commissioner=commissioners[0],
        answer="已于次日到园查看，刮除病斑后涂抹甲硫·萘乙酸，秋季加强树干涂白。",
    )
    req = services.request_create(
        actor=staff,
        requester="北郊镇李家村委会",
        village=key[1],
        subject="大棚土壤盐渍化改良",
        detail="多年连作的蔬菜大棚土壤板结、返盐，产量下降。",
    )
    services.request_escalate(actor=staff, request=req, reason="需要土壤检测与改良方案，镇级无检测条件")
    services.request_create(
        actor=staff,
        requester="张建军",
        village=key[5],
        subject="小麦品种选择",
        detail="想了解适合本村旱地种植的节水小麦品种。",
    )
    del province
    _on_the_phone(ctx)


def _on_the_phone(ctx) -> None:
    """马春生 (`tepaiyuan`) publishes a service phone on his 亮牌卡; his latest logs carry the place's coordinates
    and the two before them were confirmed by the served village through the signed link (issue 24)."""
    user = ctx.users.get("tepaiyuan")
    if user is None:
        return
    commissioner = Commissioner.objects.filter(person=user.person).first()
    services.commissioner_publish_phone(actor=user, commissioner=commissioner, phone="0533-6418825")
    logs = list(ServiceLog.objects.filter(pairing__commissioner=commissioner).order_by("-date", "-pk")[:4])
    for n, log in enumerate(logs):
        log = services.log_update(
            actor=user,
            log=log,
            expected_version=log.version,
            latitude=Decimal("36.8031") + Decimal(n) / 1000,
            longitude=Decimal("117.8712") - Decimal(n) / 1000,
        )
        if n >= 2:
            services.log_confirm(
                actor=None, token=services.confirm_token(log), name=f"{log.pairing.target_name}负责人"
            )


def _pair(ctx, staff, commissioner, *, village=None, organisation=None, field, accepted, publish=True):
    kind = (
        Pairing.TargetKind.VILLAGE
        if village
        else (
            Pairing.TargetKind.COOPERATIVE
            if organisation.kind == Organisation.Kind.COOPERATIVE
            else Pairing.TargetKind.ENTERPRISE
        )
    )
    p = services.pairing_propose(
        actor=staff,
        commissioner=commissioner,
        target_kind=kind,
        village=village,
        organisation=organisation,
        proposed_by=ctx.rng.choice([Pairing.Side.COMMISSIONER, Pairing.Side.SERVED]),
        field=field,
        tasks=f"围绕{field}开展技术指导、培训和新技术引进示范，每月到点服务不少于2次。",
        targets="培训农民不少于100人次，引进推广新技术2项以上，带动增收。",
        term_start=dt.date(2020, 1, 1),
        term_end=dt.date(2021, 12, 31),
    )
    p = services.pairing_transition(
        actor=staff, pairing=p, to_status=Pairing.Status.ACTIVE, note="双向选择确认", on=accepted
    )
    if publish:
        services.pairing_set_card(actor=staff, pairing=p, published=True)
    return p
