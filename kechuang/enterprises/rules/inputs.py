"""Parsing plain dicts (JSON, API payloads) into rule inputs, with Chinese errors naming firm and field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from kechuang.enterprises.rules.common import HnteInput, IntellectualProperty, TechSmeInput, YearFinancials
from kechuang.enterprises.rules.tech_sme import DIRECT_GROUNDS


class InputError(ValueError):
    """Bad input: ``firm`` and ``field`` say where, ``message`` says what, all in Chinese."""

    def __init__(self, firm: str, field_path: str, message: str):
        self.firm, self.field, self.message = firm, field_path, message
        super().__init__(f"企业“{firm}”的字段 {field_path}：{message}")


class _Reader:
    def __init__(self, firm: str, obj: Mapping, prefix: str = ""):
        self.firm, self.obj, self.prefix = firm, obj, prefix

    def fail(self, key: str, message: str):
        raise InputError(self.firm, f"{self.prefix}{key}", message)

    def check_keys(self, allowed: set[str]) -> None:
        extra = sorted(set(self.obj) - allowed)
        if extra:
            self.fail(extra[0], f"不认识的字段（可用字段：{'、'.join(sorted(allowed))}）")

    def decimal(self, key: str, required: bool = False) -> Decimal | None:
        raw = self.obj.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.fail(key, "必填")
            return None
        if isinstance(raw, bool):
            self.fail(key, f"应为金额（万元），收到 {raw!r}")
        if isinstance(raw, int | float | str):
            text = (
                raw.strip().replace(",", "")
                if isinstance(raw, str)
                else repr(raw)
                if isinstance(raw, float)
                else str(raw)
            )
            try:
                value = Decimal(text)
            except InvalidOperation:
                self.fail(key, f"应为金额（万元），收到 {raw!r}")
            if not value.is_finite():
                self.fail(key, f"应为有限数值，收到 {raw!r}")
            return value
        self.fail(key, f"应为金额（万元，数字或字符串），收到 {type(raw).__name__}")

    def integer(self, key: str, *, lo: int = 0, hi: int | None = None, required: bool = False) -> int | None:
        raw = self.obj.get(key)
        if raw is None:
            if required:
                self.fail(key, "必填")
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            self.fail(key, f"应为整数，收到 {raw!r}")
        try:
            value = int(raw.strip()) if isinstance(raw, str) else raw
        except ValueError:
            self.fail(key, f"应为整数，收到 {raw!r}")
        if value < lo or (hi is not None and value > hi):
            self.fail(key, f"应在 {lo}–{hi if hi is not None else '∞'} 之间，收到 {value}")
        return value

    def boolean(self, key: str, default: bool | None) -> bool | None:
        raw = self.obj.get(key, default)
        if raw is None or isinstance(raw, bool):
            return raw
        self.fail(key, f"应为 true 或 false，收到 {raw!r}")

    def date(self, key: str, required: bool = False) -> dt.date | None:
        raw = self.obj.get(key)
        if raw is None or raw == "":
            if required:
                self.fail(key, "必填（ISO 日期，如 2020-11-30）")
            return None
        if not isinstance(raw, str):
            self.fail(key, f"应为 ISO 日期字符串（如 2020-11-30），收到 {raw!r}")
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            self.fail(key, f"应为 ISO 日期（如 2020-11-30），收到 {raw!r}")

    def string(self, key: str) -> str | None:
        raw = self.obj.get(key)
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.fail(key, f"应为字符串，收到 {raw!r}")
        return raw.strip() or None

    def sub(self, key: str) -> _Reader:
        raw = self.obj.get(key, {})
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            self.fail(key, "应为对象")
        return _Reader(self.firm, raw, f"{self.prefix}{key}.")


def _firm_name(obj: Any, index: int, kind: str) -> str:
    if not isinstance(obj, Mapping):
        raise InputError(f"{kind}第{index + 1}条", "", "应为对象（JSON object）")
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{kind}第{index + 1}条", "name", "企业名称必填")
    return name.strip()


_IP_KEYS = {"class1", "class2", "own_rd", "led_standard", "technical_advancement", "core_support"}
_YEAR_KEYS = {
    "year",
    "sales_revenue",
    "total_revenue",
    "high_tech_income",
    "rd_expense",
    "rd_expense_domestic",
    "net_assets",
    "total_assets",
    "total_costs",
    "staff_total",
    "sci_tech_staff",
}


def _ip_from(r: _Reader) -> IntellectualProperty:
    r.check_keys(_IP_KEYS)
    return IntellectualProperty(
        class1=r.integer("class1") or 0,
        class2=r.integer("class2") or 0,
        own_rd=r.boolean("own_rd", True),
        led_standard=r.boolean("led_standard", False),
        technical_advancement=r.integer("technical_advancement", hi=8),
        core_support=r.integer("core_support", hi=8),
    )


def hnte_input_from_dict(obj: Any, index: int = 0) -> HnteInput:
    """Build :class:`HnteInput` from a JSON-like dict; raises :class:`InputError` naming firm and field."""
    firm = _firm_name(obj, index, "高企")
    r = _Reader(firm, obj)
    r.check_keys(
        {
            "name",
            "registered_on",
            "application_date",
            "has_core_ip",
            "field_code",
            "years",
            "ip",
            "conversions_by_year",
            "rd_organisation_score",
            "major_violation",
        }
    )
    raw_years = obj.get("years", [])
    if not isinstance(raw_years, list):
        r.fail("years", "应为数组（最多三个会计年度，由早到晚）")
    if len(raw_years) > 3:
        r.fail("years", f"最多三个会计年度，收到 {len(raw_years)} 个")
    years = []
    for i, y in enumerate(raw_years):
        if not isinstance(y, Mapping):
            r.fail(f"years[{i}]", "应为对象")
        yr = _Reader(firm, y, f"years[{i}].")
        yr.check_keys(_YEAR_KEYS)
        years.append(
            YearFinancials(
                year=yr.integer("year", lo=1900, hi=2999, required=True),
                **{
                    k: yr.decimal(k)
                    for k in (
                        "sales_revenue",
                        "total_revenue",
                        "high_tech_income",
                        "rd_expense",
                        "rd_expense_domestic",
                        "net_assets",
                        "total_assets",
                        "total_costs",
                    )
                },
                staff_total=yr.integer("staff_total"),
                sci_tech_staff=yr.integer("sci_tech_staff"),
            )
        )
    for i in range(1, len(years)):
        if years[i].year <= years[i - 1].year:
            r.fail(f"years[{i}].year", "会计年度应由早到晚排列且不重复")
    conv = obj.get("conversions_by_year", [])
    if not isinstance(conv, list) or len(conv) > 3:
        r.fail("conversions_by_year", "应为最多三个整数的数组（每个经营年度的成果转化数）")
    conv_reader = _Reader(firm, {f"[{i}]": v for i, v in enumerate(conv)}, "conversions_by_year")
    conversions = tuple(conv_reader.integer(f"[{i}]", required=True) for i in range(len(conv)))
    application_date = r.date("application_date", required=True)
    return HnteInput(
        name=firm,
        registered_on=r.date("registered_on"),
        application_date=application_date,
        has_core_ip=r.boolean("has_core_ip", None),
        field_code=r.string("field_code"),
        years=tuple(years),
        ip=_ip_from(r.sub("ip")),
        conversions_by_year=conversions,
        rd_organisation_score=r.integer("rd_organisation_score", hi=20),
        major_violation=r.boolean("major_violation", False),
    )


def tech_sme_input_from_dict(obj: Any, index: int = 0) -> TechSmeInput:
    """Build :class:`TechSmeInput` from a JSON-like dict; raises :class:`InputError` naming firm and field."""
    firm = _firm_name(obj, index, "科技型中小企业")
    r = _Reader(firm, obj)
    r.check_keys(
        {
            "name",
            "resident",
            "staff_total",
            "sci_tech_staff",
            "sales_revenue",
            "total_assets",
            "rd_expense",
            "total_costs",
            "ip",
            "restricted_products",
            "violations",
            "direct_grounds",
        }
    )
    grounds = obj.get("direct_grounds", [])
    if not isinstance(grounds, list) or not all(isinstance(g, str) for g in grounds):
        r.fail("direct_grounds", f"应为字符串数组，可选值：{'、'.join(DIRECT_GROUNDS)}")
    unknown = [g for g in grounds if g not in DIRECT_GROUNDS]
    if unknown:
        r.fail("direct_grounds", f"未知的直接认定条件 {unknown[0]!r}，可选值：{'、'.join(DIRECT_GROUNDS)}")
    resident = r.boolean("resident", None)
    if resident is None:
        r.fail("resident", "必填（true 或 false）")
    return TechSmeInput(
        name=firm,
        resident=resident,
        staff_total=r.integer("staff_total"),
        sci_tech_staff=r.integer("sci_tech_staff"),
        sales_revenue=r.decimal("sales_revenue"),
        total_assets=r.decimal("total_assets"),
        rd_expense=r.decimal("rd_expense"),
        total_costs=r.decimal("total_costs"),
        ip=_ip_from(r.sub("ip")),
        restricted_products=r.boolean("restricted_products", False),
        violations=r.boolean("violations", False),
        direct_grounds=frozenset(grounds),
    )
