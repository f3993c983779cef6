"""Pure identifier rules: 统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999).

No Django imports: the same functions validate forms, imports, the API and the JSON CLI.
Every check returns an explanation in Chinese so a user learns *what* is wrong, not only that it is.
"""

from __future__ import annotations

import datetime as dt
import operator
import unicodedata
from dataclasses import dataclass

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters; no I O Z S V
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CODE_CHARS)}
_CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_CREDIT_SET = frozenset(CREDIT_CODE_CHARS)

# 登记管理部门 (char 1) and 机构类别 (char 2) per GB 32100-2015 and its later allocations.
REGISTRATION_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

_FULLWIDTH = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "})


def normalise(raw: str | None) -> str:
    """Trim, turn full-width characters into half-width ones and upper-case."""
    if raw is None:
        return ""
    if type(raw) is str and _CREDIT_SET.issuperset(raw):
        return raw  # ASCII digits and capitals only: nothing below would change it
    text = unicodedata.normalize("NFKC", str(raw)).translate(_FULLWIDTH)
    return "".join(text.split()).upper()


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    value: str  # the normalised input
    message: str  # Chinese explanation; empty when ok
    code: str = ""  # machine-readable reason

    def __bool__(self) -> bool:
        return self.ok


def credit_code_check_char(first17: str) -> str:
    if len(first17) == 17:  # as the strict zip below, without a Python frame per character
        total = sum(map(operator.mul, map(_CREDIT_VALUE.__getitem__, first17), _CREDIT_WEIGHTS))
    else:
        total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


# `_org_value` of the characters a code may hold, looked up instead of computed (other characters still go
# through the function, so `make_credit_code` gives what it always gave for any body).
_ORG_VALUE = {c: _org_value(c) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_CHECK = {10: "X", 11: "0"}


def org_code_check_char(first8: str) -> str:
    get = _ORG_VALUE.get
    total = 0
    for ch, w in zip(first8, _ORG_WEIGHTS, strict=True):
        v = get(ch)
        total += (_org_value(ch) if v is None else v) * w
    c = 11 - total % 11
    return _ORG_CHECK.get(c) or str(c)


def check_credit_code(raw: str | None) -> CheckResult:
    # An 18-character string of code characters only is already what `normalise` would make of it (ASCII
    # digits and capitals: NFKC, the full-width table, whitespace removal and upper() leave it unchanged).
    code = raw if type(raw) is str and len(raw) == 18 and _CREDIT_SET.issuperset(raw) else normalise(raw)
    if not code:
        return CheckResult(False, code, "统一社会信用代码不能为空。", "empty")
    if len(code) != 18:
        return CheckResult(False, code, f"统一社会信用代码应为18位，实际为{len(code)}位。", "length")
    bad = sorted({c for c in code if c not in _CREDIT_VALUE})
    if bad:
        return CheckResult(
            False,
            code,
            f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用 I、O、Z、S、V）。",
            "charset",
        )
    authority = REGISTRATION_AUTHORITIES.get(code[0])
    if authority is None:
        return CheckResult(False, code, f"第1位登记管理部门代码“{code[0]}”不存在。", "authority")
    if code[1] not in authority[1]:
        return CheckResult(
            False, code, f"第2位机构类别代码“{code[1]}”不属于登记管理部门“{authority[0]}”。", "entity_type"
        )
    if not code[2:8].isdigit():
        return CheckResult(False, code, "第3—8位登记管理机关行政区划码应为6位数字。", "division")
    org = code[8:17]
    if any(c not in "0123456789ABCDEFGHJKLMNPQRTUWXY" for c in org[:8]):
        return CheckResult(False, code, "第9—17位组织机构代码本体含有不允许的字符。", "org_code")
    expected_org = org_code_check_char(org[:8])
    if org[8] != expected_org:
        return CheckResult(
            False, code, f"第17位组织机构代码校验码应为“{expected_org}”，实际为“{org[8]}”。", "org_check"
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return CheckResult(False, code, f"第18位校验码应为“{expected}”，实际为“{code[17]}”。", "check_char")
    return CheckResult(True, code, "")


def describe_credit_code(code: str) -> dict[str, str]:
    """Authority, entity type and division of a valid code, for display."""
    authority, kinds = REGISTRATION_AUTHORITIES[code[0]]
    return {"authority": authority, "entity_type": kinds.get(code[1], ""), "division": code[2:8]}


def make_credit_code(authority: str, entity_type: str, division: str, org_body: str) -> str:
    """Build a valid code from its parts (the 8-character organisation body without check char).

    Used by the demo data and tests to produce realistic, checksum-valid codes.
    """
    org = org_body + org_code_check_char(org_body)
    first17 = f"{authority}{entity_type}{division}{org}"
    return first17 + credit_code_check_char(first17)


# --- 居民身份证号码 ---------------------------------------------------------------------------------------
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def check_id_number(raw: str | None, *, today: dt.date) -> CheckResult:
    number = normalise(raw)
    if not number:
        return CheckResult(False, number, "身份证号码不能为空。", "empty")
    if len(number) != 18:
        return CheckResult(False, number, f"身份证号码应为18位，实际为{len(number)}位。", "length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return CheckResult(False, number, "身份证号码前17位应为数字，最后一位为数字或X。", "charset")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return CheckResult(
            False, number, f"身份证号码中的出生日期“{number[6:14]}”不是有效日期。", "birth_date"
        )
    if birth > today or birth.year < 1900:
        return CheckResult(False, number, f"身份证号码中的出生日期“{number[6:14]}”不合理。", "birth_date")
    expected = id_check_char(number[:17])
    if number[17] != expected:
        return CheckResult(
            False, number, f"身份证号码第18位校验码应为“{expected}”，实际为“{number[17]}”。", "check_char"
        )
    return CheckResult(True, number, "")


def id_number_gender(number: str) -> str:
    return "male" if int(number[16]) % 2 else "female"


def id_number_birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def mask_id_number(number: str | None) -> str:
    """3703**********0016: keep the first 4 and last 4 characters."""
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:] if len(number) > 8 else "*" * len(number)


def mask_phone(phone: str | None) -> str:
    """138****1234."""
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


# --- region paths --------------------------------------------------------------------------------------
def outermost_paths(paths, *, keep_order: bool = False) -> list[str]:
    """The region paths not below another of them: the bureaus that must each own a copy of a piece of
    configuration several regions use (used by the migrations that gave shared configuration an owner).
    Sorted, or with `keep_order` in the order each first appears (the first user keeps the original)."""
    paths = list(dict.fromkeys(paths))
    outer = {p for p in paths if not any(p != q and p.startswith(q) for q in paths)}
    if keep_order:
        firsts: dict[str, int] = {}
        for n, path in enumerate(paths):
            owner = next(o for o in outer if path.startswith(o))
            firsts.setdefault(owner, n)
        return sorted(outer, key=firsts.__getitem__)
    return sorted(outer)
