"""Refusal messages read naturally (issue 25)."""

from decimal import Decimal

from kechuang.core.workflow import Workflow, chain
from kechuang.vouchers import rules


def test_the_share_reads_as_a_plain_percentage():
    message = rules.check_share(
        amount=Decimal("60000"),
        contract_amount=Decimal("100000"),
        share_percent=Decimal("50.00"),
        already=Decimal(0),
    )
    assert "×50%=" in message and "E+" not in message
    assert rules.percent(Decimal("12.50")) == "12.5%"


def test_a_same_state_transition_says_so():
    message = Workflow(chain(("a", "b")), {"a": "公示中", "b": "已结束"}).problem("a", "a")
    assert message.startswith("已经是“公示中”状态") and "变为“公示中”" not in message


def test_absurd_amounts_get_a_message_not_an_error():
    assert "过大" in rules.check_positive(Decimal("1e30"))
    assert "大于0" in rules.check_positive(Decimal("-5"))
