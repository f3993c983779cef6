from decimal import Decimal

import pytest

from kechuang.agritech import rules

CUT = rules.Cutoffs(
    excellent_days=30, excellent_rating=Decimal("4.5"), pass_days=15, pass_rating=Decimal("3.0")
)


@pytest.mark.parametrize(
    ("days", "rating", "expected"),
    [
        (30, Decimal("4.5"), "优秀"),  # both lower bounds inclusive
        (29, Decimal("5.0"), "合格"),  # one day short of 优秀
        (30, Decimal("4.49"), "合格"),  # rating just below 优秀
        (15, Decimal("3.0"), "合格"),
        (14, Decimal("5.0"), "不合格"),
        (15, Decimal("2.99"), "不合格"),
        (40, None, "合格"),  # no rating: never 优秀, judged on days
        (14, None, "不合格"),
    ],
)
def test_grade_at_the_cut_offs(days, rating, expected):
    assert rules.grade(days, rating, CUT).grade == expected


def test_grade_explains_why_it_failed():
    assert "少于15天" in rules.grade(3, Decimal("5"), CUT).explanation
    assert "低于3.0分" in rules.grade(20, Decimal("2.5"), CUT).explanation


def test_cut_offs_are_configurable():
    strict = rules.Cutoffs(
        excellent_days=60, excellent_rating=Decimal("4.8"), pass_days=40, pass_rating=Decimal("4")
    )
    assert rules.grade(30, Decimal("4.6"), strict).grade == "不合格"
    assert rules.grade(30, Decimal("4.6"), CUT).grade == "优秀"


def test_proposer_cannot_accept_own_proposal():
    assert rules.check_transition(
        "proposed", "active", side="commissioner", proposed_by="commissioner", is_staff=False
    )
    assert not rules.check_transition(
        "proposed", "active", side="commissioner", proposed_by="served", is_staff=False
    )


def test_ended_pairing_cannot_be_reactivated():
    assert "不能从" in rules.check_transition("ended", "active", side="", proposed_by="served", is_staff=True)
