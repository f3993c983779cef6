"""高新技术企业 batches 1 and 2 and the city HNTE cultivation-pool intake, as in the seed reply."""

from __future__ import annotations

import datetime as dt

from kechuang.programmes import services
from kechuang.programmes.demo.common import _at

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
    {
        "key": "tech_field",
        "label": "技术领域（国家重点支持的高新技术领域）",
        "type": "choice",
        "choices": ["1", "2", "3", "4", "5", "6", "7", "8"],
        "required": True,
        "route": "field_code",
    },
    {
        "key": "audit_report",
        "label": "专项审计报告",
        "type": "attachment",
        "required": True,
        "accept": ["pdf"],
        "max_mb": 20,
    },
    {"key": "summary", "label": "企业创新能力简述", "type": "text"},
]
HNTE_SHEET = [
    {"code": "ip", "label": "知识产权", "max": 30},
    {"code": "transfer", "label": "科技成果转化能力", "max": 30},
    {"code": "org", "label": "研究开发组织管理水平", "max": 20},
    {"code": "growth", "label": "企业成长性", "max": 20},
]


HNTE_RULES = {"group_size": 5, "min_technical_share": 0.6, "min_finance": 1, "field_match": True}


SEED_HNTE = [
    "山东广晟生物科技有限公司",
    "山东华安新材料有限公司",
    "淄博嘉岳新材料有限公司",
    "淄博鲁铭高温材料科技有限公司",
]


def _audit_report(ctx, demo, org) -> str:
    """A stored (small) PDF as the firm's 专项审计报告, so the officer, the experts and the firm open a real file."""
    from kechuang.core import services as core_services

    attachment = core_services.attachment_store(
        actor=demo.firm_user(org),
        data=f"%PDF-1.4\n% {org.name} 近三年研究开发费用专项审计报告\n".encode(),
        original_name=f"{org.name}专项审计报告.pdf",
        kind="audit_report",
        organisation=org,
        allowed={"application/pdf"},
    )
    return str(attachment.uid)


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
            "tech_field": str(n % 8 + 1),
            "audit_report": [_audit_report(ctx, demo, org)],
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
        actor=demo.staff,
        call=batch1,
        applications=proposed,
        starts_on=dt.date(2020, 11, 23),
        now=_at("2020-11-23"),
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
