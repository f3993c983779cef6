"""周村区's programmes in 2020 (seed reply): HNTE batch 1 (16 firms applied, 14 in 公示) and batch 2, city
HNTE cultivation-pool intake (金宇钢构, 隆之智), 校城融合 first batch (21 projects approved, 9 with partners
outside the city), 省级新型研发机构 recommendation (恒利石油工程技术研究所), 淄博英才计划, 省引智项目
(恒利纺织, 澳周石油装备), 科技成果奖 nominations, an expert pool of 30 (a batch-2 round at the demo date with a declined, replaced expert and a 代录
score; an invited expert without a login), the HNTE policy training
attended online by 52 firms, and rounds in every other state (`rounds`: drafts, 形式审查, an upheld 公示
objection, a call not yet open). Everything goes through the real services with fixed dates and seeds."""

from __future__ import annotations

from kechuang.core.demo import DemoContext
from kechuang.core.models import Organisation
from kechuang.programmes.demo.common import _Demo
from kechuang.programmes.demo.experts import _expert_pool
from kechuang.programmes.demo.hnte import _hnte
from kechuang.programmes.demo.panel import _panel_round
from kechuang.programmes.demo.rounds import _round_states
from kechuang.programmes.demo.school_city import _school_city
from kechuang.programmes.demo.small_calls import _small_calls
from kechuang.programmes.demo.training import _planned_training, _training

__all__ = ["build"]


def build(ctx: DemoContext) -> None:
    demo = _Demo(ctx)
    enterprises = sorted(
        (o for o in ctx.orgs.values() if o.kind == Organisation.Kind.ENTERPRISE and o.region_id),
        key=lambda o: o.name,
    )
    experts = _expert_pool(ctx, demo)
    _hnte(ctx, demo, enterprises)
    _panel_round(ctx, demo, enterprises, experts)
    _school_city(ctx, demo, enterprises)
    _small_calls(ctx, demo)
    _training(ctx, demo, enterprises)
    _planned_training(ctx, demo, enterprises)
    _round_states(ctx, demo, enterprises)  # last: the random draws above stay as they were
    del experts
