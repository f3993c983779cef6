"""Issue 27: a ratio beside a band edge is shown with the digit that decides it (`core.numbers.precise_among`
through the rules' `_pct`): never "5.00% ≥ 5.00% 不符合" nor "5.00%，得30分" for a value just under 5%."""

from decimal import Decimal as D

from kechuang.enterprises.rules import evaluate_hnte, evaluate_tech_sme
from kechuang.enterprises.tests.test_rules_hnte import firm, three_years
from kechuang.enterprises.tests.test_rules_tech_sme import sme


def test_a_ratio_just_below_its_band_never_reads_as_the_band():
    """Issue 27: 4.99993% used to be shown as "5.00% ≥ 5.00% 不符合"; the value keeps the deciding digit."""
    c = evaluate_hnte(firm(years=three_years((5000, 5000, 5000), ("250", "250", "249.99")))).criterion(
        "hnte.rd_ratio"
    )
    assert c.passed is False and c.value == "4.9999%" and c.threshold == "≥ 5.00%"
    assert "= 4.9999%" in c.explanation and c.data["ratio_percent"] == "4.9999"


def test_a_ratio_just_below_a_score_band_keeps_the_deciding_digit():
    """Issue 27: a ratio just under 5% read "5.00%，得30分" (the 40-point band starts at 5%)."""
    ev = evaluate_tech_sme(sme(rd_expense=D("499.9"), sales_revenue=D(10000), total_costs=D(1000000)))
    text = " ".join(c.explanation for c in ev.criteria)
    assert "= 4.999%，得30分" in text
