"""A contract signed or a service delivered on a day still to come unlocks nothing (issue 25)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from kechuang.vouchers import rules, services
from kechuang.vouchers.tests.conftest import approved_provider, issued_voucher

pytestmark = pytest.mark.django_db

TODAY = dt.date(2020, 11, 30)


@pytest.fixture
def business_day(settings):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": TODAY}


def test_rule():
    assert rules.check_not_future(on=TODAY, today=TODAY, what="合同签订日期") is None
    message = rules.check_not_future(on=TODAY + dt.timedelta(days=1), today=TODAY, what="合同签订日期")
    assert message == "合同签订日期（2020年12月01日）不能晚于今天（2020年11月30日）。"


def test_future_contract_and_delivery_are_refused(staff, programme, business_day):
    voucher = issued_voucher(staff, programme)
    provider = approved_provider(staff, programme)
    contract = {
        "actor": staff,
        "voucher": voucher,
        "provider": provider,
        "contract_amount": D("200000"),
        "service_item": programme.service_items.first(),
    }
    with pytest.raises(ValidationError, match="合同签订日期（2020年12月10日）不能晚于今天"):
        services.voucher_contract(**contract, signed_on=dt.date(2020, 12, 10))
    voucher.refresh_from_db()
    assert voucher.status == voucher.Status.ISSUED and voucher.contract_signed_on is None

    services.voucher_contract(**contract, signed_on=dt.date(2020, 11, 1))
    with pytest.raises(ValidationError, match="服务完成日期（2021年01月05日）不能晚于今天"):
        services.voucher_deliver(actor=staff, voucher=voucher, delivered_on=dt.date(2021, 1, 5))
    voucher.refresh_from_db()
    assert voucher.status == voucher.Status.CONTRACTED  # so no redemption can be requested on it
    services.voucher_deliver(actor=staff, voucher=voucher, delivered_on=TODAY)
    voucher.refresh_from_db()
    assert voucher.status == voucher.Status.DELIVERED
