"""校城融合 in 2020 (seed section 四): 21 first-batch 校城融合 projects (9 with partners outside the city,
written by the programmes outcome handler or here), the 8月28-29日 “科技赋能新周村” event with its agenda,
15 experts matched with firms through the matchmaker, one-to-one consultations, 8 signed 产学研 agreements
and 11 expected transfers (2 landed by 2020-11-30), firms' technology needs and institutes' offers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.cooperation import selectors, services
from kechuang.cooperation.models import CooperationProject
from kechuang.core.demo import DemoContext
from kechuang.core.models import Organisation
from kechuang.programmes.models import Expert
from kechuang.talent.demo import EVENT_EXPERTS

D = dt.date.fromisoformat

NEEDS = [
    (
        "淄博方达电子有限公司",
        "功率器件封装失效率高",
        "功率半导体模块封装后可靠性测试失效率高，需要封装材料与工艺改进",
        "1",
    ),
    ("淄博恒利导热油有限公司", "导热油高温结焦", "导热油在高温下结焦、热稳定性差，需要改进合成配方", "4"),
    ("淄博鲁铭高温材料科技有限公司", "窑炉耐火材料寿命短", "高温窑炉内衬耐火材料抗热震性能差，寿命短", "4"),
    ("山东广晟生物科技有限公司", "寡糖发酵收率低", "功能性寡糖发酵收率低，希望优化菌种与酶制剂", "2"),
    ("山东大染坊丝绸集团有限公司", "真丝印染色牢度", "真丝面料印染色牢度不够，印染废水处理成本高", "4"),
    ("淄博金宇钢构有限公司", "钢构件焊接变形", "大型钢结构构件焊接变形大，希望引入焊接机器人", "8"),
    ("山东澳周石油装备有限公司", "井下注水工具研制", "研制井下智能分层注水工具，提高油田作业效率", "8"),
    (
        "山东隆之智信息科技有限公司",
        "表面缺陷视觉检测",
        "用机器视觉替代人工检测产品表面缺陷，建设工业互联网平台",
        "1",
    ),
    (
        "淄博恒利石油工程技术研究所有限公司",
        "车用氢燃料电池",
        "开发车用氢燃料电池电堆，需要催化剂与质子交换膜技术支持",
        "6",
    ),
    ("淄博恒利纺织有限公司", "印染废水回用", "印染废水COD高，希望采用膜分离工艺处理并回用", "7"),
    ("山东华安新材料有限公司", "钢材腐蚀防护", "产品配套钢结构件腐蚀严重，需要腐蚀防护技术", "4"),
    ("淄博嘉岳新材料有限公司", "储能材料开发", "开发生物质基储能材料", "6"),
]
OFFERS = [
    (
        "中国科学院大连化学物理研究所",
        "低铂燃料电池催化剂制备技术",
        "低铂载量氢燃料电池催化剂，成本降低30%",
        "6",
        "pilot",
    ),
    (
        "中国科学院青岛生物能源与过程研究所",
        "高产寡糖工程菌株",
        "功能性寡糖发酵工程菌株与酶制剂配方",
        "2",
        "industrial",
    ),
    ("北京航空航天大学", "焊缝视觉跟踪系统", "基于机器视觉的焊缝跟踪与焊接机器人控制", "8", "pilot"),
    ("中国石油大学（华东）", "智能分层注水工具", "井下智能分层注水与测调一体化工具", "8", "industrial"),
    (
        "齐鲁工业大学（山东省科学院）",
        "真丝低温染色技术",
        "真丝面料低温染色与固色，提高色牢度",
        "4",
        "industrial",
    ),
    (
        "中国科学院过程工程研究所",
        "印染废水膜法回用成套技术",
        "膜分离与高级氧化组合处理印染废水",
        "7",
        "industrial",
    ),
    ("中国科学院金属研究所", "钢结构长效防腐涂层", "钢结构腐蚀防护纳米复合涂层", "4", "pilot"),
    ("中国科学院上海硅酸盐研究所", "功率模块陶瓷基板", "高导热氮化硅陶瓷基板用于功率器件封装", "4", "lab"),
]


def _org(ctx, name):
    return ctx.orgs.get(name) or Organisation.objects.get(name=name)


def build(ctx: DemoContext) -> None:
    staff = ctx.users.get("staff2") or ctx.system
    city = ctx.district.parent
    _projects(ctx, staff)
    offers = [
        services.offered_publish(
            actor=staff,
            institute=_org(ctx, inst),
            title=t,
            description=d,
            field_code=f,
            maturity=m,
            region=city,
        )
        for inst, t, d, f, m in OFFERS
    ]
    event = services.event_create(
        actor=staff,
        name="“科技赋能新周村”系列活动",
        starts_on=D("2020-08-28"),
        ends_on=D("2020-08-29"),
        region=ctx.district,
        place="周村区",
        summary="全国科技活动周期间举办，邀请中科院各专业研究所、北京航空航天大学、中国石油大学等高校院所专家与企业精准对接。",
    )
    for day, kind, title in [
        ("2020-08-28", "visit", "专家到企业一线考察对接"),
        ("2020-08-28", "exchange", "“科技创新、产业升级”研企交流会"),
        ("2020-08-29", "consultation", "“科技助力企业”一对一科技问诊"),
        ("2020-08-29", "forum", "“政产学研金服用、科技赋能新周村”创新论坛"),
        (
            "2020-08-29",
            "ceremony",
            "发放校城融合项目扶持资金与“周村科技创新券”，为“周村区科技先锋”颁奖，泰山系列人才工作室揭牌",
        ),
    ]:
        services.event_add_activity(actor=staff, event=event, day=D(day), kind=kind, title=title)

    event_names = [name for name, *_ in EVENT_EXPERTS]
    experts = {
        e.person.name: e
        for e in Expert.objects.filter(person__name__in=event_names).select_related("person", "employer")
    }
    services.event_attend(actor=staff, event=event, experts=list(experts.values()))
    event_ids = {e.pk for e in experts.values()}

    agreements, contacts = [], []
    for i, (firm, title, description, field) in enumerate(NEEDS):
        need = services.need_post(
            actor=staff,
            organisation=_org(ctx, firm),
            title=title,
            description=description,
            field_code=field,
            is_published=True,
        )
        # At the event the bureau paired each need with the best-ranked attending expert.
        best = next((m for m in selectors.match_experts(need, limit=100) if m.key in event_ids), None)
        if best is None:
            continue
        expert = Expert.objects.select_related("person", "employer").get(pk=best.key)
        day = D("2020-08-28") if i % 2 == 0 else D("2020-08-29")
        contact = services.contact_record(actor=staff, need=need, expert=expert, event=event, on=day)
        services.consultation_record(
            actor=staff,
            event=event,
            expert=expert,
            organisation=need.organisation,
            held_on=day,
            topic=title,
            advice=f"建议与{expert.employer.name}联合攻关：{best.reasons[0] if best.reasons else ''}",
        )
        offer = next(iter(selectors.match_offered(need, limit=1)), None)
        if offer is not None and i % 3 == 0:
            services.contact_record(
                actor=staff,
                need=need,
                offered=next(o for o in offers if o.pk == offer.key),
                event=event,
                on=day,
            )
        if len(agreements) < 8:
            services.contact_outcome(
                actor=staff, contact=contact, to="agreed", outcome="签订产学研合作协议", on=day
            )
            agreements.append(
                services.agreement_sign(
                    actor=staff,
                    subject=f"{title}产学研合作协议",
                    firm=need.organisation,
                    partner=expert.employer,
                    signed_on=day,
                    amount=Decimal(50000 * (i % 4 + 2)),
                    event=event,
                    contact=contact,
                )
            )
        else:
            services.contact_outcome(
                actor=staff, contact=contact, to="contacted", outcome="继续跟踪对接", on=day
            )
        contacts.append(contact)
    services.event_attend(actor=staff, event=event, firms=[c.need.organisation for c in contacts])

    transfers = []
    for i, offer in enumerate(offers[:8]):
        firm = agreements[i % len(agreements)].firm if agreements else _org(ctx, "淄博方达电子有限公司")
        transfers.append(
            services.transfer_expect(
                actor=staff,
                title=offer.title,
                firm=firm,
                offered=offer,
                event=event,
                agreement=agreements[i] if i < len(agreements) else None,
                expected_by=D(f"2021-0{i % 6 + 1}-28"),
            )
        )
    for title, firm in [
        ("高性能聚氨酯弹性体中试", "山东华安新材料有限公司"),
        ("石墨烯导热膜产业化", "淄博嘉岳新材料有限公司"),
        ("高温窑炉节能改造技术", "淄博鲁铭高温材料科技有限公司"),
    ]:
        transfers.append(
            services.transfer_expect(
                actor=staff, title=title, firm=_org(ctx, firm), event=event, expected_by=D("2021-06-30")
            )
        )
    services.transfer_transition(
        actor=staff, transfer=transfers[1], to="landed", on=D("2020-10-26"), note="菌株已在企业投产"
    )
    services.transfer_transition(
        actor=staff, transfer=transfers[4], to="landed", on=D("2020-11-18"), note="低温染色生产线投用"
    )
    services.transfer_transition(actor=staff, transfer=transfers[3], to="in_progress", note="完成中试")
    services.event_set_outcomes(
        actor=staff,
        event=event,
        outcomes=(
            f"签订各类产学研合作协议{len(agreements)}个；{len(experts)}名专家与企业精准对接；"
            f"预期{len(transfers)}项科技成果落地转化；成立山东氢能基础产业研究院和周村区科创企业联盟。"
        ),
    )
    # 方达电子 (the demo 企业用户 qiye) also has a need still open, editable by the firm.
    services.need_post(
        actor=staff,
        organisation=_org(ctx, "淄博方达电子有限公司"),
        title="车规级芯片测试能力建设",
        description="需要建设车规级电子元器件可靠性测试能力",
        field_code="1",
    )


def _projects(ctx, staff):
    """21 first-batch 校城融合 projects, 9 with partners outside the city, unless programmes' decisions
    have already written them through the outcome handler."""
    if CooperationProject.objects.filter(year=2020).exists():
        return
    partners = sorted(
        (o for o in ctx.orgs.values() if o.kind in ("university", "institute") and o.credit_code),
        key=lambda o: o.name,
    )
    out_city = [p for p in partners if not p.in_city]
    in_city = [p for p in partners if p.in_city]
    firms = sorted(
        (o for o in ctx.orgs.values() if o.kind == "enterprise" and o.region_id), key=lambda o: o.name
    )
    for n in range(21):
        partner = out_city[n % len(out_city)] if n < 9 else in_city[n % len(in_city)]
        firm = firms[n]
        services.project_record(
            actor=staff,
            title=f"{firm.name[2:8]}与{partner.name}产学研合作项目",
            organisation=firm,
            partner=partner,
            year=2020,
            amount=Decimal(100000),
        )
