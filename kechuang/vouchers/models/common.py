"""Money fields of the voucher models: Decimal 元 with 2 places (DESIGN.md convention 5)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money(verbose: str, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, **kwargs)
