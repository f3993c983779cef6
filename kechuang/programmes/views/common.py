"""Shared by the programme pages: the status shorthand and showing a refusal as messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError

from kechuang.programmes.models import Application

S = Application.Status


def _fail(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)
