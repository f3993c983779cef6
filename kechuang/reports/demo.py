"""The demo district's own work-summary template (the seed reply's style) and one generated draft for 2020."""

from __future__ import annotations

from kechuang.core.demo import DEMO_TODAY, DemoContext
from kechuang.core.indicators import Period, Scope
from kechuang.reports.seed import ensure_seed_style_template
from kechuang.reports.services import draft_generate


def build(ctx: DemoContext) -> None:
    template = ensure_seed_style_template(ctx.district)
    draft_generate(
        actor=ctx.users["staff"],
        template=template,
        scope=Scope(ctx.district, Period(DEMO_TODAY.year), DEMO_TODAY),
    )
