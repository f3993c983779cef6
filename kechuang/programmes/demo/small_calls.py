"""The smaller calls: 省级新型研发机构, 淄博英才计划, 省引智项目, 科技成果奖 nominations."""

from __future__ import annotations

import datetime as dt

from kechuang.core import services as core_services
from kechuang.programmes import services
from kechuang.programmes.demo.common import _at

SIMPLE_FORM = [{"key": "summary", "label": "申报简介", "type": "text", "required": True}]


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
        actor=demo.staff2,
        call=rd_call,
        applications=[app],
        starts_on=dt.date(2020, 7, 13),
        now=_at("2020-07-13"),
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
        actor=demo.staff,
        call=talent_call,
        applications=[app],
        starts_on=dt.date(2020, 10, 12),
        now=_at("2020-10-12"),
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
        actor=demo.staff,
        call=foreign_call,
        applications=foreign_apps,
        starts_on=dt.date(2020, 5, 6),
        now=_at("2020-05-06"),
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
