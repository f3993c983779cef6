"""周村区 talent work in 2020 (seed section 三): expertise and availability for the shared expert pool
plus the 15 experts from 中科院 institutes, 北航 and 中国石油大学 who came to the 科技赋能新周村 event;
毕文岳 (嘉岳新材料) and 张梅 (鲁铭高温) contest awards and 英才计划, the three recommended to the provincial
contest, 11 foreign-expert demands, 3 foreign-expert projects in the city's pool, 横山勉's 齐鲁友谊奖
nomination and the 2 provincial 引智 projects (恒利纺织, 澳周石油装备)."""

from __future__ import annotations

from kechuang.core import services as core_services
from kechuang.core.demo import DemoContext
from kechuang.core.models import DictItem, Organisation, Person
from kechuang.programmes import services as programme_services
from kechuang.programmes.models import Application, Expert
from kechuang.talent import services
from kechuang.talent.models import TalentAward

NEW_INSTITUTES = [
    ("中国科学院金属研究所", "210100"),
    ("中国科学院过程工程研究所", "110000"),
    ("中国科学院上海硅酸盐研究所", "310000"),
]
# The 15 experts of the 8月28-29日 event: (name, employer, title, fields, expertise).
EVENT_EXPERTS = [
    ("王海涛", "中国科学院大连化学物理研究所", "研究员", ["6"], "氢燃料电池催化剂、质子交换膜与制氢储氢技术"),
    (
        "李明远",
        "中国科学院大连化学物理研究所",
        "研究员",
        ["4", "6"],
        "工业催化与精细化工合成，导热油与有机热载体热稳定性",
    ),
    ("赵春雷", "中国科学院青岛生物能源与过程研究所", "研究员", ["2"], "微生物发酵工程、酶制剂与功能性寡糖"),
    ("孙晓燕", "中国科学院青岛生物能源与过程研究所", "副研究员", ["6", "7"], "生物质能源与储能材料"),
    ("周立群", "北京航空航天大学", "教授", ["8"], "智能制造、工业机器人与焊接自动化"),
    ("吴建华", "北京航空航天大学", "教授", ["1"], "机器视觉检测、大数据分析与工业互联网平台"),
    ("郑国栋", "北京航空航天大学", "教授", ["4"], "高温结构陶瓷与热防护材料"),
    ("陈志刚", "中国石油大学（华东）", "教授", ["8"], "石油钻采装备、井下工具与注水工艺"),
    ("刘芳", "中国石油大学（华东）", "教授", ["7"], "油田化学品与含油废水处理"),
    ("杨帆", "齐鲁工业大学（山东省科学院）", "教授", ["4"], "丝绸印染、纺织品功能整理与染料废水处理"),
    ("黄振宇", "齐鲁工业大学（山东省科学院）", "研究员", ["2"], "食品加工保鲜与食品安全检测"),
    ("何伟", "中国科学院金属研究所", "研究员", ["4"], "钢结构材料、焊接工艺与腐蚀防护"),
    ("许丽", "中国科学院金属研究所", "研究员", ["4"], "高温合金与耐火材料抗热震性能"),
    ("高建国", "中国科学院过程工程研究所", "研究员", ["7"], "工业废水膜分离与固体废弃物资源化"),
    ("马晓东", "中国科学院上海硅酸盐研究所", "研究员", ["4", "1"], "功率半导体封装材料与电子陶瓷"),
]
DEMANDS = [
    ("淄博玉兔纺织有限公司", "引进日本纺织工艺专家提升混纺纱线品质", "纺织工艺", 12),
    ("淄博恒利导热油有限公司", "引进乌克兰导热介质专家开展院士工作站合作", "导热介质", 24),
    ("淄博恒利纺织有限公司", "引进德国纺织机械专家改造染整生产线", "纺织机械", 6),
    ("山东澳周石油装备有限公司", "引进俄罗斯石油装备专家研制井下工具", "石油装备", 12),
    ("淄博方达电子有限公司", "引进功率器件封装工艺专家", "电子封装", 6),
    ("山东华安新材料有限公司", "引进聚氨酯材料配方专家", "高分子材料", 6),
    ("淄博嘉岳新材料有限公司", "引进石墨烯应用专家", "石墨烯", 12),
    ("淄博鲁铭高温材料科技有限公司", "引进耐火材料专家", "耐火材料", 6),
    ("山东广晟生物科技有限公司", "引进酶工程专家", "生物工程", 12),
    ("山东大染坊丝绸集团有限公司", "引进意大利丝绸设计专家", "丝绸设计", 3),
    ("淄博金宇钢构有限公司", "引进钢结构焊接机器人专家", "焊接自动化", 6),
]


def _org(ctx, name):
    return ctx.orgs.get(name) or Organisation.objects.get(name=name)


def _person(ctx, name, **fields):
    found = Person.objects.filter(
        name=name, **{k: v for k, v in fields.items() if k == "organisation"}
    ).first()
    return found or core_services.person_create(actor=ctx.system, name=name, phone=ctx.phone(), **fields)


def build(ctx: DemoContext) -> None:
    staff = ctx.users.get("staff2") or ctx.system
    names = dict(DictItem.objects.filter(dict_type__code="hnte_field").values_list("code", "name"))

    # Expertise for the pool built by programmes (kept in talent's one-to-one profile).
    for e in Expert.objects.select_related("person").order_by("pk"):
        if e.category == Expert.Category.FINANCE:
            text = "项目财务审计、研发费用归集与预算评审"
        else:
            text = "、".join(names.get(c, c) for c in e.fields) + "方向的技术研发与成果转化"
        services.profile_update(actor=staff, expert=e, expertise=text, availability="available")

    for name, division in NEW_INSTITUTES:
        if name not in ctx.orgs:
            ctx.orgs[name] = core_services.organisation_create(
                actor=ctx.system,
                name=name,
                credit_code=ctx.credit_code(authority="1", entity="2", division=division),
                kind=Organisation.Kind.INSTITUTE,
                in_city=False,
            )
    for name, employer, title, fields, expertise in EVENT_EXPERTS:
        org = _org(ctx, employer)
        person = core_services.person_create(
            actor=ctx.system, name=name, phone=ctx.phone(), organisation=org, title=title
        )
        e = programme_services.expert_create(
            actor=staff,
            person=person,
            category=Expert.Category.TECHNICAL,
            region=ctx.district,
            fields=fields,
            title=title,
        )
        services.profile_update(actor=staff, expert=e, expertise=expertise, availability="available")
        ctx.people[name] = person

    _awards(ctx, staff)
    _foreign(ctx, staff)


def _awards(ctx, staff):
    jiayue, luming = _org(ctx, "淄博嘉岳新材料有限公司"), _org(ctx, "淄博鲁铭高温材料科技有限公司")
    bi = _person(ctx, "毕文岳", organisation=jiayue, title="总经理")
    zhang = _person(ctx, "张梅", organisation=luming, title="合作专家")
    liu = _person(ctx, "刘敬科", region=ctx.district, title="创业者")
    contest = "“齐心共创·赢在鲁中”创业大赛"
    services.award_record(
        actor=staff,
        person=bi,
        organisation=jiayue,
        programme_name=contest,
        year=2020,
        category="创业企业类",
        rank="优胜奖",
    )
    if not TalentAward.objects.filter(person=bi, programme_name__contains="英才").exists():
        services.award_record(
            actor=staff,
            person=bi,
            organisation=jiayue,
            programme_name="淄博英才计划",
            year=2020,
            result="selected",
        )
    services.award_record(
        actor=staff,
        person=zhang,
        organisation=luming,
        programme_name=contest,
        year=2020,
        category="创业项目类",
        rank="优胜奖",
    )
    services.award_record(
        actor=staff,
        person=zhang,
        organisation=luming,
        programme_name="淄博英才计划",
        year=2020,
        result="pending",
        note="待明年项目落地后入选",
    )
    for person, org in [(bi, jiayue), (zhang, luming), (liu, None)]:
        services.award_record(
            actor=staff,
            person=person,
            organisation=org,
            programme_name="山东省第三届创业大赛",
            level="provincial",
            year=2020,
            result="recommended",
        )


def _foreign(ctx, staff):
    ukraine = Organisation.objects.filter(kind=Organisation.Kind.FOREIGN, name__startswith="乌克兰").first()
    experts = {}
    for name, nationality, field, code, employer in [
        ("横山勉", "日本", "纺织工艺", "4", _org(ctx, "淄博玉兔纺织有限公司")),
        ("谢尔盖·科瓦连科", "乌克兰", "导热介质与传热材料", "4", ukraine),
        ("汉斯·穆勒", "德国", "纺织机械", "8", None),
        ("伊万·彼得罗夫", "俄罗斯", "石油装备", "8", None),
    ]:
        person = core_services.person_create(
            actor=ctx.system, name=name, nationality=nationality, organisation=employer
        )
        experts[name] = services.foreign_expert_register(
            actor=staff, person=person, field=field, field_code=code, employer=employer, region=ctx.district
        )
    matched = {
        "淄博玉兔纺织有限公司": "横山勉",
        "淄博恒利导热油有限公司": "谢尔盖·科瓦连科",
        "淄博恒利纺织有限公司": "汉斯·穆勒",
    }
    for i, (firm, need, field, months) in enumerate(DEMANDS):
        d = services.demand_submit(
            actor=staff,
            organisation=_org(ctx, firm),
            need=need,
            field=field,
            duration_months=months,
            year=2020,
        )
        if firm in matched:
            services.demand_transition(actor=staff, demand=d, to="matched", expert=experts[matched[firm]])
        elif i % 3 == 0:
            services.demand_transition(actor=staff, demand=d, to="matching")

    for firm, title, expert in [
        ("淄博玉兔纺织有限公司", "日本专家混纺纱线工艺提升项目", "横山勉"),
        ("淄博恒利导热油有限公司", "乌克兰院士导热介质联合研发项目", "谢尔盖·科瓦连科"),
        ("淄博恒利纺织有限公司", "德国专家染整装备改造项目", "汉斯·穆勒"),
    ]:
        services.project_record(
            actor=staff,
            title=title,
            organisation=_org(ctx, firm),
            level="municipal",
            year=2020,
            status="pooled",
            expert=experts[expert],
        )
    for firm, expert in [
        ("淄博恒利纺织有限公司", "汉斯·穆勒"),
        ("山东澳周石油装备有限公司", "伊万·彼得罗夫"),
    ]:
        org = _org(ctx, firm)
        application = Application.objects.filter(
            organisation=org, call__programme__type__code="foreign_expert"
        ).first()
        services.project_record(
            actor=staff,
            title=f"{firm[2:6]}省引进外国智力项目",
            organisation=org,
            level="provincial",
            year=2020,
            status="applied",
            expert=experts[expert],
            application=application,
        )
    nomination = services.nomination_create(
        actor=staff,
        person=experts["横山勉"].person,
        organisation=_org(ctx, "淄博玉兔纺织有限公司"),
        award="齐鲁友谊奖",
        year=2020,
        region=ctx.district,
        note="长期在玉兔公司指导纺织工艺改进，培养技术骨干。",
    )
    services.nomination_transition(actor=staff, nomination=nomination, to="recommended")
