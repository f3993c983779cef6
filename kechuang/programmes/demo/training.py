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
