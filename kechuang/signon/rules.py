"""Pure rules of unified sign-on: which Kechuang identity the claims of a sign-on name (no Django imports).

A firm is named by its 统一社会信用代码, an official by a staff number; a display name is never used to find an
account. Every refusal explains itself in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kechuang.core.rules import check_credit_code, normalise

FIRM = "firm"
OFFICIAL = "official"
STAFF_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")


class Refused(Exception):
    """A sign-on that names no account Kechuang may open; the message is shown to the person."""


@dataclass(frozen=True)
class Claimed:
    kind: str  # FIRM or OFFICIAL
    key: str  # normalised credit code or staff number
    name: str  # shown on the account, never matched


def one_value(value) -> str:
    """A claim's single value: CAS attributes may be lists; two different values are refused."""
    if isinstance(value, list | tuple):
        values = {str(v).strip() for v in value if v is not None and str(v).strip()}
        if len(values) > 1:
            raise Refused("统一身份认证返回了多个不同的值，无法确定您的单位或工号。请联系科技局系统管理员。")
        return values.pop() if values else ""
    return "" if value is None else str(value).strip()


def clean_staff_number(raw: str) -> str:
    number = (raw or "").strip()
    if number and not STAFF_NUMBER.match(number):
        raise Refused(f"工号“{number}”无效：只能包含字母、数字、点、短横线和下划线，最长 32 位。")
    return number


def read_claims(
    claims: Mapping, *, credit_code_claim: str, staff_number_claim: str, name_claim: str
) -> Claimed:
    """The identity the claims name: a firm when the credit-code claim is present (a legal-person login), else
    an official when the staff-number claim is; otherwise refused."""
    name = one_value(claims.get(name_claim))[:40]
    credit = one_value(claims.get(credit_code_claim))
    if credit:
        code = normalise(credit)
        result = check_credit_code(code)
        if not result:
            raise Refused(f"统一身份认证提供的统一社会信用代码“{credit}”无效：{result.message}")
        return Claimed(FIRM, code, name)
    staff = clean_staff_number(one_value(claims.get(staff_number_claim)))
    if staff:
        return Claimed(OFFICIAL, staff, name)
    raise Refused(
        "统一身份认证没有提供统一社会信用代码或工号，无法确定您在科创中的账户。请联系科技局系统管理员。"
    )
