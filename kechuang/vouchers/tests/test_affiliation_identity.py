"""Issue 25: the voucher conflict check compares identities, and the text it compares (the legal
representative) is master data a firm cannot edit."""

import json

import pytest
from django.core.exceptions import ValidationError

from kechuang.accounts import services as account_services
from kechuang.core.tests.factories import UserFactory
from kechuang.vouchers import rules, services
from kechuang.vouchers.tests.conftest import ISSUE_DAY, D, approved_provider, eligible_firm, issued_voucher

pytestmark = pytest.mark.django_db


def test_same_organisation_is_refused_even_without_a_credit_code():
    problem = rules.check_affiliation(
        firm_id=7,
        provider_id=7,
        firm_code=None,
        provider_code=None,
        firm_legal_rep="",
        provider_legal_rep="",
    )
    assert problem and "同一单位" in problem


def test_legal_representatives_are_compared_ignoring_spaces_and_width():
    kwargs = {"firm_id": 1, "provider_id": 2, "firm_code": "A", "provider_code": "B"}
    assert rules.check_affiliation(**kwargs, firm_legal_rep="张 三", provider_legal_rep="张三")
    assert rules.check_affiliation(**kwargs, firm_legal_rep="张三\u3000", provider_legal_rep="张三")
    assert rules.check_affiliation(**kwargs, firm_legal_rep="", provider_legal_rep="") is None


def test_a_firm_cannot_clear_its_legal_representative_to_pass_the_check(client, staff, programme):
    firm = eligible_firm(legal_representative="张三")
    owner = UserFactory(enterprise=True, organisation=firm)
    voucher = issued_voucher(staff, programme, firm)
    provider = approved_provider(staff, programme, legal_representative="张三")
    _token, key = account_services.api_token_create(actor=owner, user=owner, name="t")
    for path in (f"/api/core/organisations/{firm.pk}", f"/api/core/organisations/{firm.pk}/contact"):
        client.patch(
            path,
            data=json.dumps({"version": firm.version, "legal_representative": "李四"}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
    firm.refresh_from_db()
    assert firm.legal_representative == "张三"
    with pytest.raises(ValidationError, match="法定代表人相同"):
        services.voucher_contract(
            actor=owner, voucher=voucher, provider=provider, contract_amount=D("1000"), signed_on=ISSUE_DAY
        )
