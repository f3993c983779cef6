"""A statistics period as staff write it in a file or an API call: 2020, 2020Q3, 2020-10, and the exports'
labels 2020年, 2020年第3季度, 2020年10月 (the statistics, regional-figure and target imports, the API)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from kechuang.core.indicators import Period

CN_PERIOD = (
    (re.compile(r"^(\d{4})年?$"), "{0}"),
    (re.compile(r"^(\d{4})年(?:第)?([1-4一二三四])季度?$"), "{0}Q{1}"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(?:份)?$"), "{0}-{1:0>2}"),
)
CN_DIGITS = str.maketrans("一二三四", "1234")


def _period_text(text) -> str:
    """The period as `Period.parse` reads it: also 2020年, 2020年第3季度, 2020年10月 (the exports' labels)."""
    text = re.sub(r"\s+", "", str(text)).translate(CN_DIGITS)
    for pattern, form in CN_PERIOD:
        match = pattern.match(text)
        if match:
            return form.format(*match.groups())
    return text


def canonical(key: str, value):
    """A file-level or row value in comparable form: a period as `Period` writes it (2020年 → 2020)."""
    return str(parse_period(value)) if key == "period" else value


def parse_period(text) -> Period:
    try:
        period = Period.parse(_period_text(text))
    except (ValueError, TypeError):
        raise ValidationError({"period": "统计期格式应为 2020、2020Q3 或 2020-10。"}) from None
    if (
        not 2000 <= period.year <= 2100
        or (period.month and not 1 <= period.month <= 12)
        or (period.quarter and not 1 <= period.quarter <= 4)
    ):
        raise ValidationError({"period": "统计期超出范围（年份 2000—2100，季度 1—4，月份 1—12）。"})
    return period
