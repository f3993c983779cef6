"""The demo expert pool of 30 (universities, institutes, finance experts)."""

from __future__ import annotations

from kechuang.core import services as core_services
from kechuang.core.demo import DemoContext, _person_name
from kechuang.core.models import Organisation
from kechuang.programmes import services
from kechuang.programmes.demo.common import _Demo
from kechuang.programmes.models import Expert


def _expert_pool(ctx: DemoContext, demo: _Demo) -> list[Expert]:
    employers = [
        o for o in ctx.orgs.values() if o.kind in (Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE)
    ]
    employers.sort(key=lambda o: o.name)
    experts = [
        services.expert_create(
            actor=demo.staff,
            person=ctx.people["陈立新"],
            category=Expert.Category.TECHNICAL,
            region=ctx.district,
            fields=["1", "4", "8"],
            title="教授",
        )
    ]
    for i in range(1, 30):
        finance = i % 5 == 0
        person = core_services.person_create(
            actor=ctx.system,
            name=_person_name(ctx.rng),
            phone=ctx.phone(),
            organisation=employers[i % len(employers)],
            title="高级会计师" if finance else ctx.rng.choice(["教授", "研究员", "正高级工程师", "副教授"]),
        )
        fields = [] if finance else sorted({str(i % 8 + 1), str((i + 3) % 8 + 1), str((i + 5) % 8 + 1)})
        experts.append(
            services.expert_create(
                actor=demo.staff,
                person=person,
                category=Expert.Category.FINANCE if finance else Expert.Category.TECHNICAL,
                region=ctx.district,
                fields=fields,
            )
        )
    return experts
