"""校城融合 first batch: 21 projects approved, 9 with partners outside the city."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.core.models import Organisation
from kechuang.programmes import services
from kechuang.programmes.demo.common import _at

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


PROJECT_RULES = {"group_size": 5, "min_technical_share": 0.6, "min_finance": 1, "field_match": False}


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
        actor=demo.staff2,
        call=call,
        applications=approved,
        starts_on=dt.date(2020, 8, 3),
        now=_at("2020-08-03"),
    )
    for app in approved:
        services.application_decide(
            actor=demo.staff2,
            application=app,
            approve=True,
            amount=min(Decimal(app.data["budget"]) / 10, Decimal("200000")).quantize(Decimal("0.01")),
            conditions="项目实施期两年，每半年报送一次进展，2021年7月底前接受中期检查。",
            now=_at("2020-08-20"),
        )
