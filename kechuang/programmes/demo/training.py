"""The HNTE policy training attended online by 52 firms."""

from __future__ import annotations

import datetime as dt

from kechuang.programmes import services


def _training(ctx, demo, enterprises):
    training = services.training_create(
        actor=demo.staff,
        title="2020年高新技术企业认定政策线上培训",
        topic="高企认定",
        held_on=dt.date(2020, 4, 22),
        mode="online",
        place="腾讯会议",
        region=ctx.district,
    )
    invited = enterprises[:60]
    services.training_invite(actor=demo.staff, training=training, organisations=invited)
    for org in invited[:56]:
        services.training_register(actor=demo.staff, training=training, organisation=org)
    services.training_mark_attendance(
        actor=demo.staff, training=training, organisation_ids=[o.pk for o in invited[:52]]
    )


def _planned_training(ctx, demo, enterprises):
    """A briefing planned after the demo date: firms invited, some registered; 方达电子 (qiye) has not yet,
    so it is on its 我的待办 (待报名的培训)."""
    training = services.training_create(
        actor=demo.staff,
        title="研发费用加计扣除政策宣讲会",
        topic="研发费用加计扣除",
        held_on=dt.date(2020, 12, 10),
        mode="offline",
        place="周村区科技局三楼会议室",
        region=ctx.district,
    )
    invited = list(enterprises[:24])
    qiye = ctx.users.get("qiye")
    if qiye is not None and qiye.organisation_id not in {o.pk for o in invited}:
        invited.append(qiye.organisation)
    services.training_invite(actor=demo.staff, training=training, organisations=invited)
    for org in invited[:9]:
        if qiye is None or org.pk != qiye.organisation_id:
            services.training_register(actor=demo.staff, training=training, organisation=org)
