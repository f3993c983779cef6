"""Pure consistency rules for one enterprise's periodic figures (no Django imports).

`check_fact(values)` returns {field: [Chinese message, ...]}; empty means consistent. Missing values are
not checked against each other (a firm fills only the parts of the form that apply to it).
"""

from __future__ import annotations

from decimal import Decimal

NON_NEGATIVE = (
    "rd_internal",
    "rd_hnte",
    "rd_super_deduction",
    "rd_project_count",
    "operating_revenue",
    "sales_revenue",
    "hightech_income",
    "industrial_output",
    "hightech_output",
    "staff",
    "st_staff",
    "total_assets",
    "total_costs",
)

LABELS = {
    "rd_internal": "R&D经费内部支出",
    "rd_hnte": "研发费用（高企口径）",
    "rd_super_deduction": "研发费用加计扣除额",
    "rd_project_count": "研发项目数",
    "operating_revenue": "营业收入",
    "sales_revenue": "销售收入",
    "hightech_income": "高新技术产品（服务）收入",
    "industrial_output": "工业总产值",
    "hightech_output": "高新技术产业产值",
    "staff": "从业人员",
    "st_staff": "科技人员",
    "net_assets": "净资产",
    "total_assets": "资产总额",
    "total_costs": "成本费用总额",
}

# (smaller, larger): the smaller may not exceed the larger when both are given.
NOT_ABOVE = (
    ("hightech_output", "industrial_output"),
    ("hightech_income", "sales_revenue"),
    ("sales_revenue", "operating_revenue"),
    ("rd_internal", "total_costs"),
    ("rd_hnte", "total_costs"),
    ("st_staff", "staff"),
)


def check_fact(values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    get = values.get
    for name in NON_NEGATIVE:
        value = get(name)
        if value is not None and value < 0:
            add(name, f"{LABELS[name]}不能为负数。")
    for small, large in NOT_ABOVE:
        a, b = get(small), get(large)
        if a is not None and b is not None and a > b:
            add(small, f"{LABELS[small]}（{_fmt(a)}）不能大于{LABELS[large]}（{_fmt(b)}）。")
    if values.get("has_rd_projects") and not values.get("rd_project_count"):
        add("rd_project_count", "已勾选“有研发项目”，请填写研发项目数（至少 1 个）。")
    if not values.get("has_rd_projects") and values.get("rd_project_count"):
        add("has_rd_projects", "填写了研发项目数，请勾选“有研发项目”。")
    na, ta = values.get("net_assets"), values.get("total_assets")
    if na is not None and ta is not None and na > ta:
        add("net_assets", f"净资产（{_fmt(na)}）不能大于资产总额（{_fmt(ta)}）。")
    return errors


def _fmt(value) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)
