import datetime as dt
import importlib
import itertools
from decimal import Decimal

import pytest

from kechuang.core import services as core_services
from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.enterprises.tests.factories import QualificationFactory, kind
from kechuang.vouchers import services

D = Decimal
ISSUE_DAY = dt.date(2020, 5, 6)
_keys = itertools.count(1)


def new_key() -> str:
    return f"test-key-{next(_keys)}"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _qualification_kinds(request):
    """Transactional tests flush the migration-seeded qualification kinds; put them back."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from django.apps import apps as global_apps

        from kechuang.enterprises.models import QualificationKind

        if not QualificationKind.objects.exists():
            seed = importlib.import_module(
                "kechuang.enterprises.migrations.0002_seed_qualification_kinds"
            ).seed
            seed(global_apps, None)


@pytest.fixture
def staff2(db):
    return UserFactory(staff=True)


@pytest.fixture
def programme(db, staff):
    return make_programme(staff)


def make_programme(staff, *, budget="1000000", cap="200000", share="50", validity=365, publicity=0):
    return services.programme_create(
        actor=staff,
        name="周村科技创新券",
        year=2020,
        region=Region.objects.get(code="370306"),
        share_percent=D(share),
        cap_per_firm=D(cap),
        budget=D(budget),
        validity_days=validity,
        publicity_days=publicity,
        eligible_kinds=[kind("tech_sme"), kind("hnte")],
        services=(("检验检测", "检测"), ("技术开发", "研发")),
    )


def eligible_firm(**kwargs):
    firm = OrganisationFactory(**kwargs)
    QualificationFactory(organisation=firm, tech_sme=True, valid_from=dt.date(2020, 1, 1))
    return firm


def approved_provider(staff, programme, **org_kwargs):
    org = OrganisationFactory(**org_kwargs)
    provider = services.provider_register(
        actor=staff, organisation=org, services=programme.service_items.all()
    )
    return services.provider_vet(actor=staff, provider=provider, approve=True, on=dt.date(2020, 3, 1))


def issued_voucher(staff, programme, firm=None, amount="100000"):
    firm = firm or eligible_firm()
    voucher = services.voucher_claim(
        actor=staff, programme=programme, organisation=firm, amount=D(amount), on=ISSUE_DAY
    )
    return services.voucher_issue(actor=staff, voucher=voucher, on=ISSUE_DAY)


def delivered_voucher(staff, programme, firm=None, amount="100000", contract="200000", provider=None):
    voucher = issued_voucher(staff, programme, firm, amount)
    provider = provider or approved_provider(staff, programme)
    services.voucher_contract(
        actor=staff,
        voucher=voucher,
        provider=provider,
        contract_amount=D(contract),
        signed_on=dt.date(2020, 6, 1),
        service_item=programme.service_items.first(),
    )
    return services.voucher_deliver(actor=staff, voucher=voucher, delivered_on=dt.date(2020, 8, 1))


def files(actor, org):
    def one(name):
        return core_services.attachment_store(
            actor=actor,
            data=b"%PDF-1.4 evidence " + name.encode(),
            original_name=f"{name}.pdf",
            organisation=org,
        )

    return {
        "contract_file": one("合同"),
        "invoice_file": one("发票"),
        "payment_file": one("付款凭证"),
        "output_file": one("成果"),
    }


def submit(actor, voucher, amount, key=None, evidence=None, on=dt.date(2020, 8, 10)):
    return services.redemption_submit(
        actor=actor,
        voucher=voucher,
        amount=D(amount),
        idempotency_key=key or new_key(),
        on=on,
        **(evidence or files(actor, voucher.organisation)),
    )


def pay(staff, staff2, redemption, on=dt.date(2020, 9, 1)):
    services.redemption_review(actor=staff2, redemption=redemption, approve=True, on=on)
    services.redemption_request_payout(actor=staff, redemption=redemption)
    return services.redemption_pay(actor=staff2, redemption=redemption, on=on)
