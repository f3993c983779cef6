"""Shared by the programme demo parts: fixed timestamps and `_Demo`, which drives applications through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kechuang.core.demo import DEMO_PASSWORD, DemoContext, _person_name
from kechuang.core.models import Organisation
from kechuang.core.permissions import is_firm_user
from kechuang.core.roles import Role
from kechuang.programmes import services
from kechuang.programmes.models import Expert


def _at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, 0)))


class _Demo:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.staff = ctx.users["staff"]
        self.staff2 = ctx.users.get("staff2", self.staff)
        self.firm_users: dict[int, object] = {}
        for user in ctx.users.values():
            if is_firm_user(user) and user.organisation_id:
                self.firm_users[user.organisation_id] = user

    def firm_user(self, org: Organisation):
        from kechuang.accounts import services as account_services

        if org.pk not in self.firm_users:
            self.firm_users[org.pk] = account_services.user_create(
                actor=self.ctx.system,
                username=f"qy{org.credit_code[-8:].lower()}",
                password=DEMO_PASSWORD,
                role=Role.ENTERPRISE,
                display_name=f"{org.contact_name or _person_name(self.ctx.rng)}（{org.name[:6]}）",
                organisation=org,
                validate=False,
            )
        return self.firm_users[org.pk]

    def programme(self, *, type_code, type_name, applicant, outcome, label, key="default", **fields):
        ptype = services.programme_type_create(
            actor=self.staff,
            code=type_code,
            name=type_name,
            applicant_kind=applicant,
            outcome_kind=outcome,
            transition_key=key,
            decision_label=label,
        )
        return services.programme_create(actor=self.staff, type=ptype, region=self.ctx.district, **fields)

    def call(self, programme, name, opens, closes, **fields):
        return services.call_create(
            actor=self.staff,
            programme=programme,
            name=name,
            opens_at=_at(opens),
            closes_at=_at(closes, 17),
            region=self.ctx.district,
            **fields,
        )

    def apply(self, call, org, title, data, *, day, field_code="", person=None):
        user = self.firm_user(org)
        app = services.application_create(
            actor=user,
            call=call,
            organisation=org,
            person=person,
            title=title,
            field_code=field_code,
            now=_at(day),
        )
        app = services.application_save_draft(
            actor=user, application=app, data=data, expected_version=app.version
        )
        services.application_transition(actor=user, application=app, to="submitted", now=_at(day, 15))
        return app

    def review(self, app, *, day, scale: float):
        services.review_draw(actor=self.staff, application=app, seed=f"demo-{app.pk}", now=_at(day))
        sheet = app.call.programme.scoring_sheet
        for assignment in app.assignments.select_related("expert__person"):
            user = assignment.expert.person.accounts.first() or self.expert_user(assignment.expert)
            points = {
                c["code"]: round(c["max"] * min(1.0, scale + self.ctx.rng.uniform(-0.08, 0.08)), 1)
                for c in sheet
            }
            services.score_submit(
                actor=user, application=app, points=points, comment="材料齐全，符合要求。", now=_at(day, 16)
            )

    def expert_user(self, expert: Expert):
        from kechuang.accounts import services as account_services

        return account_services.user_create(
            actor=self.ctx.system,
            username=f"zj{expert.pk:03d}",
            password=DEMO_PASSWORD,
            role=Role.EXPERT,
            display_name=expert.person.name,
            person=expert.person,
            validate=False,
        )
