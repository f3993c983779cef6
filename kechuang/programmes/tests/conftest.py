import datetime as dt

import pytest
from django.utils import timezone

from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory, PersonFactory, UserFactory
from kechuang.programmes import services
from kechuang.programmes.models import Expert

NOW = timezone.make_aware(dt.datetime(2020, 5, 10, 10, 0))

FORM = [
    {"key": "revenue", "label": "上年度销售收入（元）", "type": "money", "required": True},
    {"key": "field", "label": "技术领域", "type": "choice", "choices": ["A01", "B02"], "required": True},
    {"key": "ip", "label": "知识产权证明", "type": "attachment", "required": True},
    {"key": "summary", "label": "简介", "type": "text"},
]
SHEET = [
    {"code": "ip", "label": "知识产权", "max": 30},
    {"code": "transfer", "label": "科技成果转化能力", "max": 30},
    {"code": "org", "label": "研究开发组织管理水平", "max": 20},
    {"code": "growth", "label": "企业成长性", "max": 20},
]
RULES = {"group_size": 5, "min_technical_share": 0.6, "min_finance": 1, "field_match": True}
COMPLETE = {"revenue": "24000000.00", "field": "A01", "ip": ["uid-1"], "summary": "电子元件"}


@pytest.fixture
def programme(db, district):
    actor = UserFactory(staff=True)
    ptype = services.programme_type_create(
        actor=actor, code="hnte_t", name="高企认定", applicant_kind="enterprise", outcome_kind="qualification"
    )
    return services.programme_create(
        actor=actor,
        type=ptype,
        code="hnte-cert",
        name="高新技术企业认定",
        region=district,
        form_schema=FORM,
        scoring_sheet=SHEET,
        review_rules=RULES,
        publicity_days=10,
    )


@pytest.fixture
def call(programme, district, staff):
    return services.call_create(
        actor=staff,
        programme=programme,
        name="2020年第一批",
        opens_at=NOW - dt.timedelta(days=10),
        closes_at=timezone.now() + dt.timedelta(days=30),  # open both at NOW and on the real clock
        region=district,
    )


@pytest.fixture
def application(call, enterprise_user):
    app = services.application_create(
        actor=enterprise_user,
        call=call,
        organisation=enterprise_user.organisation,
        title="高企认定申报",
        field_code="A01",
        now=NOW,
    )
    return services.application_save_draft(
        actor=enterprise_user, application=app, data=COMPLETE, expected_version=1
    )


@pytest.fixture
def expert_pool(db, district):
    """8 technical experts in field A01 and 2 finance experts, each with an account."""
    staff = UserFactory(staff=True)
    experts = []
    for i in range(10):
        person = PersonFactory(organisation=OrganisationFactory())
        category = Expert.Category.TECHNICAL if i < 8 else Expert.Category.FINANCE
        experts.append(
            services.expert_create(
                actor=staff, person=person, category=category, region=district, fields=["A01"]
            )
        )
        UserFactory(expert=True, person=person)
    return experts


def expert_user(expert):
    return expert.person.accounts.get()


@pytest.fixture
def accepted(application, enterprise_user, staff):
    services.application_transition(actor=enterprise_user, application=application, to="submitted", now=NOW)
    services.application_check(actor=staff, application=application, result="accept")
    return application


__all__ = ["NOW", "Region"]
