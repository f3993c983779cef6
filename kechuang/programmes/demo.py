"""周村区's programmes in 2020 (seed reply): HNTE batch 1 (16 firms applied, 14 in 公示) and batch 2, city
HNTE cultivation-pool intake (金宇钢构, 隆之智), 校城融合 first batch (21 projects approved, 9 with partners
outside the city), 省级新型研发机构 recommendation (恒利石油工程技术研究所), 淄博英才计划, 省引智项目
(恒利纺织, 澳周石油装备), 科技成果奖 nominations, an expert pool of 30, and the HNTE policy training
attended online by 52 firms. Everything goes through the real services with fixed dates and seeds."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kechuang.accounts.roles import Role
from kechuang.core import services as core_services
from kechuang.core.demo import DEMO_PASSWORD, DemoContext, _person_name
from kechuang.core.models import Organisation
from kechuang.programmes import services
from kechuang.programmes.models import Expert

HNTE_FORM = [
    {"key": "revenue", "label": "近一年销售收入（元）", "type": "money", "required": True},
    {"key": "rd_expense", "label": "近三年研发费用合计（元）", "type": "money", "required": True},
    {"key": "staff", "label": "职工总数", "type": "number", "required": True},
    {"key": "st_staff", "label": "科技人员数", "type": "number", "required": True},
    {
        "key": "ip",
        "label": "知识产权",
        "type": "table",
        "required": True,
        "columns": [
            {"key": "name", "label": "名称"},
            {"key": "kind", "label": "类别"},
            {"key": "number", "label": "编号"},
        ],
    },
    {"key": "audit_report", "label": "专项审计报告", "type": "attachment", "required": True},
    {"key": "summary", "label": "企业创新能力简述", "type": "text"},
]
HNTE_SHEET = [
    {"code": "ip", "label": "知识产权", "max": 30},
    {"code": "transfer", "label": "科技成果转化能力", "max": 30},
    {"code": "org", "label": "研究开发组织管理水平", "max": 20},
    {"code": "growth", "label": "企业成长性", "max": 20},
]
PROJECT_FORM = [
    {"key": "partner", "label": "合作高校院所", "type": "text", "required": True},
    {"key": "budget", "label": "项目总投资（元）", "type": "money", "required": True},
    {"key": "start", "label": "开始日期", "type": "date", "required": True},
    {"key": "goals", "label": "主要目标", "type": "text", "required": True},
]
PROJECT_SHEET = [
    {"code": "innovation", "label": "创新性", "max": 40},
    {"code": "feasibility", "label": "可行性", "max": 30},
    {"code": "benefit", "label": "预期效益", "max": 30},
]
SIMPLE_FORM = [{"key": "summary", "label": "申报简介", "type": "text", "required": True}]
HNTE_RULES = {"group_size": 5, "min_technical_share": 0.6, "min_finance": 1, "field_match": True}
PROJECT_RULES = {"group_size": 5, "min_technical_share": 0.6, "min_finance": 1, "field_match": False}

SEED_HNTE = [
    "山东广晟生物科技有限公司",
    "山东华安新材料有限公司",
    "淄博嘉岳新材料有限公司",
    "淄博鲁铭高温材料科技有限公司",
]


def _at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, 0)))


class _Demo:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.staff = ctx.users["staff"]
        self.staff2 = ctx.users.get("staff2", self.staff)
        self.firm_users: dict[int, object] = {}
        for user in ctx.users.values():
            if user.role == Role.ENTERPRISE and user.organisation_id:
                self.firm_users[user.organisation_id] = user

    def firm_user(self, org: Organisation):
        from kechuang.accounts import services as account_services

        if org.pk not in self.firm_users:
            self.firm_users[org.pk] = account_services.user_create(
                actor=self.ctx.system,
                username=f"qy{org.credit_code[-8:].lower()}",
                password=DEMO_PASSWORD,
                role=Role.ENTERPRISE,
                display_name=f"{org.contact_name or _person_name(self.ctx.rng)}（{org.name[:6]}）",
                organisation=org,
                validate=False,
            )
        return self.firm_users[org.pk]

    def programme(self, *, type_code, type_name, applicant, outcome, label, key="default", **fields):
        ptype = services.programme_type_create(
            actor=self.staff,
            code=type_code,
            name=type_name,
            applicant_kind=applicant,
            outcome_kind=outcome,
            transition_key=key,
            decision_label=label,
        )
        return services.programme_create(actor=self.staff, type=ptype, region=self.ctx.district, **fields)

    def call(self, programme, name, opens, closes, **fields):
        return services.call_create(
            actor=self.staff,
            programme=programme,
            name=name,
            opens_at=_at(opens),
            closes_at=_at(closes, 17),
            region=self.ctx.district,
            **fields,
        )

    def apply(self, call, org, title, data, *, day, field_code="", person=None):
        user = self.firm_user(org)
        app = services.application_create(
            actor=user,
            call=call,
            organisation=org,
            person=person,
            title=title,
            field_code=field_code,
            now=_at(day),
        )
        app = services.application_save_draft(
            actor=user, application=app, data=data, expected_version=app.version
        )
        services.application_transition(actor=user, application=app, to="submitted", now=_at(day, 15))
        return app

    def review(self, app, *, day, scale: float):
        services.review_draw(actor=self.staff, application=app, seed=f"demo-{app.pk}", now=_at(day))
        sheet = app.call.programme.scoring_sheet
        for assignment in app.assignments.select_related("expert__person"):
            user = assignment.expert.person.accounts.first() or self.expert_user(assignment.expert)
            points = {
                c["code"]: round(c["max"] * min(1.0, scale + self.ctx.rng.uniform(-0.08, 0.08)), 1)
                for c in sheet
            }
            services.score_submit(
                actor=user, application=app, points=points, comment="材料齐全，符合要求。", now=_at(day, 16)
            )

    def expert_user(self, expert: Expert):
        from kechuang.accounts import services as account_services

        return account_services.user_create(
            actor=self.ctx.system,
            username=f"zj{expert.pk:03d}",
            password=DEMO_PASSWORD,
            role=Role.EXPERT,
            display_name=expert.person.name,
            person=expert.person,
            validate=False,
        )


def build(ctx: DemoContext) -> None:
    demo = _Demo(ctx)
    enterprises = sorted(
        (o for o in ctx.orgs.values() if o.kind == Organisation.Kind.ENTERPRISE and o.region_id),
        key=lambda o: o.name,
    )
    experts = _expert_pool(ctx, demo)
    _hnte(ctx, demo, enterprises)
    _school_city(ctx, demo, enterprises)
    _small_calls(ctx, demo)
    _training(ctx, demo, enterprises)
    del experts


def _expert_pool(ctx: DemoContext, demo: _Demo) -> list[Expert]:
    employers = [
        o for o in ctx.orgs.values() if o.kind in (Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE)
    ]
    employers.sort(key=lambda o: o.name)
    experts = [
        services.expert_create(
            actor=demo.staff,
            person=ctx.people["陈立新"],
            category=Expert.Category.TECHNICAL,
            region=ctx.district,
            fields=["1", "4", "8"],
            title="教授",
        )
    ]
    for i in range(1, 30):
        finance = i % 5 == 0
        person = core_services.person_create(
            actor=ctx.system,
            name=_person_name(ctx.rng),
            phone=ctx.phone(),
            organisation=employers[i % len(employers)],
            title="高级会计师" if finance else ctx.rng.choice(["教授", "研究员", "正高级工程师", "副教授"]),
        )
        fields = [] if finance else sorted({str(i % 8 + 1), str((i + 3) % 8 + 1), str((i + 5) % 8 + 1)})
        experts.append(
            services.expert_create(
                actor=demo.staff,
                person=person,
                category=Expert.Category.FINANCE if finance else Expert.Category.TECHNICAL,
                region=ctx.district,
                fields=fields,
            )
        )
    return experts


def _hnte(ctx, demo, enterprises):
    programme = demo.programme(
        type_code="hnte",
        type_name="高新技术企业认定",
        applicant="enterprise",
        outcome="qualification",
        label="认定",
        code="hnte-2020",
        name="高新技术企业认定",
        form_schema=HNTE_FORM,
        scoring_sheet=HNTE_SHEET,
        review_rules=HNTE_RULES,
        publicity_days=10,
        eligibility_check="hnte",
        level="national",
    )
    batch1 = demo.call(
        programme,
        "2020年第一批",
        "2020-04-10",
        "2020-06-30",
        recommending_unit="淄博市周村区科学技术局",
        notice="根据《高新技术企业认定管理办法》（国科发火〔2016〕32号），组织开展2020年度第一批高新技术企业认定申报工作。",
    )
    demo.call(
        programme,
        "2020年第二批",
        "2020-11-02",
        "2020-12-31",
        recommending_unit="淄博市周村区科学技术局",
        notice="组织开展2020年度第二批高新技术企业认定申报工作。",
    )
    seed_firms = [ctx.orgs[name] for name in SEED_HNTE]
    applicants = (
        seed_firms
        + [
            o
            for o in enterprises
            if o not in seed_firms
            and o.name not in ("淄博金宇钢构有限公司", "山东隆之智信息科技有限公司", "淄博方达电子有限公司")
        ][:12]
    )
    apps = []
    for n, org in enumerate(applicants):
        revenue = ctx.rng.randint(1500, 18000) * 10000
        data = {
            "revenue": f"{revenue}.00",
            "rd_expense": f"{int(revenue * ctx.rng.uniform(0.045, 0.08))}.00",
            "staff": str(ctx.rng.randint(40, 400)),
            "st_staff": str(ctx.rng.randint(8, 60)),
            "ip": [
                {"name": f"一种{org.name[2:6]}相关装置", "kind": "发明专利", "number": f"ZL2019{n:04d}1234.5"}
            ],
            "audit_report": [f"demo-audit-{n}"],
            "summary": f"{org.name}长期坚持自主研发，建有市级企业技术中心。",
        }
        apps.append(
            demo.apply(
                batch1,
                org,
                f"{org.name}高新技术企业认定申报",
                data,
                day=f"2020-05-{10 + n:02d}",
                field_code=str(n % 8 + 1),
            )
        )
    # One application was returned for correction and resubmitted (a missing audit page).
    services.application_check(
        actor=demo.staff,
        application=apps[3],
        result="return",
        reason="专项审计报告缺少研发费用明细表，请补充后重新提交。",
    )
    user = demo.firm_user(apps[3].organisation)
    services.application_save_draft(
        actor=user,
        application=apps[3],
        data={**apps[3].data, "summary": apps[3].data["summary"] + "已补充研发费用明细。"},
        expected_version=apps[3].version,
    )
    services.application_transition(actor=user, application=apps[3], to="submitted", now=_at("2020-06-08"))
    for n, app in enumerate(apps):
        services.application_check(actor=demo.staff, application=app, result="accept")
        demo.review(app, day="2020-07-15", scale=0.55 if n in (14, 15) else 0.82)
    proposed = [a for n, a in enumerate(apps) if n not in (14, 15)]
    for app in apps[14:]:
        services.application_transition(
            actor=demo.staff, application=app, to="not_approved", reason="评审得分未达到71分。"
        )
    period = services.publicity_open(
        actor=demo.staff, call=batch1, applications=proposed, starts_on=dt.date(2020, 11, 23)
    )
    objection = services.objection_submit(
        publicity=period,
        application=proposed[5],
        name="王建华",
        contact="13905331234",
        reason="该企业申报的知识产权是否为自主研发，请核实。",
        now=_at("2020-11-24", 10),
    )
    services.objection_answer(
        actor=demo.staff,
        objection=objection,
        answer="经核查专利证书及研发记录，该专利为企业自主研发取得，异议不成立。",
    )


def _school_city(ctx, demo, enterprises):
    programme = demo.programme(
        type_code="school_city",
        type_name="校城融合发展项目",
        applicant="enterprise",
        outcome="project",
        label="立项",
        code="school-city-2020",
        name="区校城融合发展项目",
        form_schema=PROJECT_FORM,
        scoring_sheet=PROJECT_SHEET,
        review_rules=PROJECT_RULES,
        publicity_days=5,
    )
    call = demo.call(
        programme,
        "2020年首批",
        "2020-05-06",
        "2020-06-15",
        quota=21,
        notice="支持企业与高校院所开展产学研合作，立项区首批校城融合发展项目。",
    )
    partners = sorted(
        (
            o
            for o in ctx.orgs.values()
            if o.kind in (Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE)
        ),
        key=lambda o: (not o.in_city, o.name),
    )
    out_of_city = [p for p in partners if not p.in_city]
    in_city = [p for p in partners if p.in_city]
    firms = enterprises[::-1][:24]
    apps = []
    for n, org in enumerate(firms):
        partner = out_of_city[n % len(out_of_city)] if n < 9 else in_city[n % len(in_city)]
        data = {
            "partner": partner.name,
            "budget": f"{ctx.rng.randint(50, 400) * 10000}.00",
            "start": "2020-07-01",
            "goals": f"与{partner.name}联合攻关关键工艺，形成新产品1项。",
        }
        apps.append(
            demo.apply(call, org, f"{org.name[2:8]}与{partner.name}产学研合作项目", data, day="2020-06-01")
        )
    for n, app in enumerate(apps):
        services.application_check(actor=demo.staff2, application=app, result="accept")
        demo.review(app, day="2020-07-06", scale=0.85 if n < 21 else 0.5)
    approved = apps[:21]
    for app in apps[21:]:
        services.application_transition(
            actor=demo.staff2, application=app, to="not_approved", reason="评审排名未进入立项范围。"
        )
    services.publicity_open(
        actor=demo.staff2, call=call, applications=approved, starts_on=dt.date(2020, 8, 3)
    )
    for app in approved:
        services.application_decide(actor=demo.staff2, application=app, approve=True, now=_at("2020-08-20"))


def _small_calls(ctx, demo):
    # City HNTE cultivation pool: the district recommends; the city runs the intake.
    pool = demo.programme(
        type_code="city_hnte_pool_intake",
        type_name="市级高企培育库入库",
        applicant="enterprise",
        outcome="recommendation",
        label="推荐入库",
        key="no_review",
        code="city-hnte-pool-2020",
        name="市级高新技术企业培育库入库",
        level="city",
        form_schema=SIMPLE_FORM,
        publicity_days=5,
        eligibility_check="hnte",
    )
    pool_call = demo.call(
        pool, "2020年", "2020-05-20", "2020-06-20", level="city", recommending_unit="淄博市周村区科学技术局"
    )
    for name in ("淄博金宇钢构有限公司", "山东隆之智信息科技有限公司"):
        app = demo.apply(
            pool_call,
            ctx.orgs[name],
            f"{name}入库申请",
            {"summary": "申请纳入市级高新技术企业培育库。"},
            day="2020-06-02",
        )
        services.application_check(actor=demo.staff, application=app, result="accept")
    tech_sme = demo.programme(
        type_code="tech_sme_help",
        type_name="科技型中小企业评价辅导",
        applicant="enterprise",
        outcome="recommendation",
        label="辅导入库",
        key="no_review",
        code="tech-sme-2020",
        name="科技型中小企业评价入库辅导",
        level="national",
        form_schema=SIMPLE_FORM,
        publicity_days=5,
        eligibility_check="tech_sme",
    )
    demo.call(
        tech_sme, "2020年", "2020-03-01", "2020-12-31", notice="辅导企业完成科技型中小企业评价信息填报。"
    )

    rd = demo.programme(
        type_code="new_rd_institution",
        type_name="省级新型研发机构",
        applicant="institute",
        outcome="platform",
        label="推荐",
        key="no_review",
        code="new-rd-2020",
        name="省级新型研发机构推荐",
        level="province",
        form_schema=SIMPLE_FORM,
        publicity_days=5,
    )
    rd_call = demo.call(
        rd, "2020年", "2020-06-01", "2020-07-10", level="province", recommending_unit="淄博市周村区科学技术局"
    )
    app = demo.apply(
        rd_call,
        ctx.orgs["淄博恒利石油工程技术研究所有限公司"],
        "恒利石油工程技术研究所申报省级新型研发机构",
        {"summary": "聚焦石油工程技术研发与成果转化，具备独立法人和稳定研发团队。"},
        day="2020-06-20",
    )
    services.application_check(actor=demo.staff2, application=app, result="accept")
    services.publicity_open(
        actor=demo.staff2, call=rd_call, applications=[app], starts_on=dt.date(2020, 7, 13)
    )
    services.application_decide(
        actor=demo.staff2, application=app, approve=True, now=_at("2020-07-27"), reason="推荐上报省科技厅。"
    )

    talent = demo.programme(
        type_code="talent_yingcai",
        type_name="淄博英才计划",
        applicant="person",
        outcome="talent_award",
        label="入选",
        key="no_review",
        code="yingcai-2020",
        name="淄博英才计划（创业大赛）",
        level="city",
        form_schema=SIMPLE_FORM,
        publicity_days=5,
    )
    talent_call = demo.call(talent, "2020年", "2020-07-01", "2020-09-30", level="city")
    bi = core_services.person_create(
        actor=ctx.system, name="毕文岳", organisation=ctx.orgs["淄博嘉岳新材料有限公司"], title="总经理"
    )
    app = demo.apply(
        talent_call,
        ctx.orgs["淄博嘉岳新材料有限公司"],
        "毕文岳：创业企业类别",
        {"summary": "“齐心共创·赢在鲁中”创业大赛创业企业类获奖。"},
        day="2020-09-01",
        person=bi,
    )
    services.application_check(actor=demo.staff, application=app, result="accept")
    services.publicity_open(
        actor=demo.staff, call=talent_call, applications=[app], starts_on=dt.date(2020, 10, 12)
    )
    services.application_decide(actor=demo.staff, application=app, approve=True, now=_at("2020-10-26"))

    foreign = demo.programme(
        type_code="foreign_expert",
        type_name="省引智项目",
        applicant="enterprise",
        outcome="recommendation",
        label="推荐",
        key="no_review",
        code="yinzhi-2020",
        name="山东省引进外国智力项目",
        level="province",
        form_schema=SIMPLE_FORM,
        publicity_days=5,
    )
    foreign_call = demo.call(foreign, "2020年", "2020-03-15", "2020-04-30", level="province")
    foreign_apps = []
    for name in ("淄博恒利纺织有限公司", "山东澳周石油装备有限公司"):
        app = demo.apply(
            foreign_call,
            ctx.orgs[name],
            f"{name[2:6]}外国专家引进项目",
            {"summary": "引进外国专家开展关键技术攻关。"},
            day="2020-04-15",
        )
        services.application_check(actor=demo.staff, application=app, result="accept")
        foreign_apps.append(app)
    services.publicity_open(
        actor=demo.staff, call=foreign_call, applications=foreign_apps, starts_on=dt.date(2020, 5, 6)
    )
    services.decide_batch(actor=demo.staff, applications=foreign_apps, approve=True, now=_at("2020-05-20"))

    award = demo.programme(
        type_code="achievement_award",
        type_name="科技成果奖推荐",
        applicant="enterprise",
        outcome="achievement",
        label="推荐",
        key="no_review",
        code="achievement-2020",
        name="科学技术成果奖推荐",
        level="city",
        form_schema=SIMPLE_FORM,
        publicity_days=5,
    )
    award_call = demo.call(award, "2020年", "2020-08-01", "2020-12-15", level="city")
    for name in ("山东广晟生物科技有限公司", "山东大染坊丝绸集团有限公司"):
        demo.apply(
            award_call,
            ctx.orgs[name],
            f"{name[2:6]}科技成果",
            {"summary": "项目成果已实现产业化应用。"},
            day="2020-09-10",
        )


def _training(ctx, demo, enterprises):
    training = services.training_create(
        actor=demo.staff,
        title="2020年高新技术企业认定政策线上培训",
        topic="高企认定",
        held_on=dt.date(2020, 4, 22),
        mode="online",
        place="腾讯会议",
        region=ctx.district,
    )
    invited = enterprises[:60]
    services.training_invite(actor=demo.staff, training=training, organisations=invited)
    for org in invited[:56]:
        services.training_register(actor=demo.staff, training=training, organisation=org)
    services.training_mark_attendance(
        actor=demo.staff, training=training, organisation_ids=[o.pk for o in invited[:52]]
    )
