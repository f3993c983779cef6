"""Eligibility engine: 高新技术企业 (HNTE) and 科技型中小企业 (tech-SME) rules as pure functions.

Encodes DOMAIN.md §1 (国科发火〔2016〕32号 art. 11, 工作指引 国科发火〔2016〕195号) and §2 (国科发政〔2017〕115号,
国科火字〔2022〕67号). No Django imports: the same code serves the self-assessment page, district screening,
reports, the API and the ``kechuang eligibility FILE.json`` command.

Conventions
- Money is ``Decimal`` in 万元; ratios are compared exactly (no rounding before comparison), shown rounded to
  two decimals in percent.
- Every result is an :class:`Evaluation` with one :class:`Criterion` per rule: ``passed`` True/False, or None
  when the data needed is missing; ``data`` holds the machine-readable numbers (Decimals as strings);
  ``explanation`` says in Chinese which numbers were used.
- Score bands that the rules give as a range (e.g. 7–8) and expert-judged items that are not yet assessed are
  reported as a range ``points_min``–``points_max``; the firm is eligible only when every gating criterion
  passes and the *minimum* score reaches the pass mark. When only the maximum does, ``eligible`` is None
  ("取决于专家评分").
- ``missing`` lists the input fields that are absent, as paths (``years[2020].rd_expense``);
  :func:`missing_label` turns a path into Chinese.

Layout: ``common`` (types, formatting, decisions), ``hnte`` (gating conditions and the evaluation),
``hnte_score`` (the 100-point innovation score), ``tech_sme``, ``inputs`` (parsing JSON/API dicts). Everything
public is re-exported here, so ``from kechuang.enterprises.rules import evaluate_hnte`` keeps working.
"""

from kechuang.enterprises.rules.common import (
    Criterion,
    Evaluation,
    HnteInput,
    IntellectualProperty,
    TechSmeInput,
    YearFinancials,
    missing_label,
)
from kechuang.enterprises.rules.hnte import (
    DEFAULT_HNTE_PASS_MARK,
    HNTE_DOMESTIC_RD_RATIO,
    HNTE_HIGH_TECH_INCOME_RATIO,
    HNTE_MIN_REGISTERED_DAYS,
    HNTE_SALES_BAND_HIGH,
    HNTE_SALES_BAND_LOW,
    HNTE_STAFF_RATIO,
    evaluate_hnte,
    hnte_rd_ratio_threshold,
)
from kechuang.enterprises.rules.hnte_score import (
    growth_points,
    growth_rate,
    ip_quantity_points,
    transfer_points,
)
from kechuang.enterprises.rules.inputs import InputError, hnte_input_from_dict, tech_sme_input_from_dict
from kechuang.enterprises.rules.tech_sme import (
    DIRECT_GROUNDS,
    TECH_SME_MAX_ASSETS,
    TECH_SME_MAX_SALES,
    TECH_SME_MAX_STAFF,
    TECH_SME_PASS_SCORE,
    evaluate_tech_sme,
    tech_sme_ip_points,
    tech_sme_rd_costs_points,
    tech_sme_rd_sales_points,
    tech_sme_staff_points,
)

__all__ = [
    "DEFAULT_HNTE_PASS_MARK",
    "DIRECT_GROUNDS",
    "HNTE_DOMESTIC_RD_RATIO",
    "HNTE_HIGH_TECH_INCOME_RATIO",
    "HNTE_MIN_REGISTERED_DAYS",
    "HNTE_SALES_BAND_HIGH",
    "HNTE_SALES_BAND_LOW",
    "HNTE_STAFF_RATIO",
    "TECH_SME_MAX_ASSETS",
    "TECH_SME_MAX_SALES",
    "TECH_SME_MAX_STAFF",
    "TECH_SME_PASS_SCORE",
    "Criterion",
    "Evaluation",
    "HnteInput",
    "InputError",
    "IntellectualProperty",
    "TechSmeInput",
    "YearFinancials",
    "evaluate_hnte",
    "evaluate_tech_sme",
    "growth_points",
    "growth_rate",
    "hnte_input_from_dict",
    "hnte_rd_ratio_threshold",
    "ip_quantity_points",
    "missing_label",
    "tech_sme_input_from_dict",
    "tech_sme_ip_points",
    "tech_sme_rd_costs_points",
    "tech_sme_rd_sales_points",
    "tech_sme_staff_points",
    "transfer_points",
]
