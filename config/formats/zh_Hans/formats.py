"""Simplified Chinese formats, with ISO dates first among the input formats.

Django's zh_Hans puts "%Y/%m/%d" first, and a form widget renders its initial value with the first input
format; `<input type="date">` accepts only "2020-08-28" and shows an empty field for "2020/08/28", so every
edit form lost its stored dates. Everything else is Django's zh_Hans (display stays "2020年8月28日").
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403 - extend Django's locale module
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DJANGO_DATE
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DJANGO_DATETIME

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _DJANGO_DATE if f != "%Y-%m-%d")]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    *(f for f in _DJANGO_DATETIME if f != "%Y-%m-%d %H:%M"),
]
