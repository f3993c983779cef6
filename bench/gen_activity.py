"""Programme applications, projects with milestones, and vouchers whose ledger reconciles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bench.gen_base import AS_OF, _log


class Activity:
    """Mixed into `bench.generate.Generator` (uses its rng, scale, regions and firm rows)."""

    def programmes(self):
        from kechuang.core.bulk import insert_rows as insert
        from kechuang.core.models import DictItem, Person, Region
        from kechuang.programmes.models import Application, Call, Programme, ProgrammeType
        from kechuang.projects.models import Milestone, Project

        rng = self.rng
        # the top of the region tree: a programme type there serves every district's programmes
        province = Region.objects.filter(parent__isnull=True).order_by("path").first()
        ptype, _ = ProgrammeType.objects.get_or_create(
            code="bench_plan",
            region=province,
            defaults={
                "name": "科技计划项目",
                "applicant_kind": "enterprise",
                "outcome_kind": "project",
                "transition_key": "default",
                "decision_label": "立项",
            },
        )
        opens = dt.datetime(2020, 3, 1, 1, tzinfo=dt.UTC)
        calls = {}
        for d in self.districts:
            programme = Programme.objects.create(
                type=ptype, code=f"bench-{d.code}", name=f"{d.name}科技计划", region=d
            )
            calls[d.pk] = Call.objects.create(
                programme=programme,
                name="2020年第一批",
                opens_at=opens,
                closes_at=opens + dt.timedelta(days=30),
                region=d,
            )
        statuses = ["draft", "submitted", "accepted", "approved", "rejected"]
        n_apps = min(self.n(50_000), len(self.firm_rows))
        chosen = rng.sample(self.firm_rows, n_apps)
        submitted_at = dt.datetime(2020, 3, 20, 2, tzinfo=dt.UTC)
        apps = []
        for i, (pk, district, _town, _above) in enumerate(chosen):
            apps.append(
                Application(
                    call=calls[district.pk],
                    organisation_id=pk,
                    title=f"智能制造关键技术研发{i}",
                    status=rng.choice(statuses),
                    data={"summary": "项目简介"},
                    submitted_at=submitted_at,
                    created_by=self.district_staff[district.pk],
                )
            )
        created_apps = []
        for k in range(0, len(apps), 5000):
            created_apps.extend(Application.objects.bulk_create(apps[k : k + 5000]))
        for a in created_apps[:: max(1, len(created_apps) // 2000)]:
            self.audit_rows.append(
                (
                    submitted_at,
                    a.created_by_id,
                    "bench",
                    "application.submit",
                    "programmes.application",
                    str(a.pk),
                    a.title,
                    {"status": a.status},
                )
            )
        _log(f"applications: {len(created_apps)}", self.t0)

        fields = list(DictItem.objects.filter(dict_type__code="hnte_field").values_list("pk", flat=True)) or [
            None
        ]
        leader = (
            Person.objects.create(name="李四")
            if not Person.objects.filter(name="李四").exists()
            else Person.objects.filter(name="李四").first()
        )
        n_projects = min(self.n(20_000), len(created_apps))
        projects = []
        for i, app in enumerate(created_apps[:n_projects]):
            district = next(d for d in [self._district_of[app.organisation_id]])
            money = Decimal(rng.randint(10, 200)) * 10_000
            projects.append(
                Project(
                    region=district,
                    number=f"BENCH-{district.code}-{i:06d}",
                    name=f"{app.title}项目",
                    level="district",
                    undertaking_unit_id=app.organisation_id,
                    leader=leader,
                    field_id=rng.choice(fields),
                    year=2020,
                    starts_on=dt.date(2020, 5, 1),
                    ends_on=dt.date(2022, 4, 30),
                    status=rng.choice(["approved", "ongoing", "ongoing", "accepted"]),
                    fiscal_district=money,
                    fiscal_remaining=money,
                    owner=self.district_staff[district.pk],
                )
            )
        created = []
        for k in range(0, len(projects), 5000):
            created.extend(Project.objects.bulk_create(projects[k : k + 5000]))
        milestones = []
        for p in created:
            for seq in (1, 2, 3):
                due = dt.date(2020 + seq - 1, 10, 31)
                met = due < AS_OF and rng.random() < 0.7
                milestones.append(
                    (
                        p.pk,
                        seq,
                        f"第{seq}阶段目标",
                        due,
                        "样机",
                        "完成测试",
                        "met" if met else "open",
                        due if met else None,
                    )
                )
        insert(
            Milestone,
            ["project_id", "seq", "title", "due_on", "deliverable", "target", "status", "met_on"],
            milestones,
        )
        _log(f"projects: {len(created)}, milestones: {len(milestones)}", self.t0)

    def vouchers(self):
        """Issued vouchers whose ledger entries, pools and allowances reconcile (`ledger_check()` stays ok)."""
        from kechuang.core.bulk import insert_rows as insert
        from kechuang.vouchers.models import FirmAllowance, LedgerEntry, Voucher, VoucherProgramme

        rng = self.rng
        n_entries = self.n(100_000)
        n_cities = len(self.cities)
        programmes = {}
        per_prog = n_entries // n_cities + 1
        budget = Decimal(per_prog) * 50_000
        for city in self.cities:
            programmes[city.pk] = VoucherProgramme.objects.create(
                name="创新券",
                year=2020,
                region=city,
                share_percent=Decimal(50),
                cap_per_firm=Decimal(200_000),
                budget=budget,
                pool_remaining=budget,
            )
        entries = [
            (
                "budget",
                budget,
                "treasury",
                f"pool:{p.pk}",
                dt.date(2020, 1, 2),
                p.pk,
                None,
                None,
                f"bench-budget-{p.pk}",
                "年度预算入池",
                None,
            )
            for p in programmes.values()
        ]
        firms = rng.sample(self.firm_rows, min(len(self.firm_rows), n_entries - len(entries)))
        vouchers, spent, allowances = [], {p: Decimal(0) for p in programmes}, {}
        for i, (pk, district, _town, _above) in enumerate(firms):
            city_pk = district.parent_id
            amount = Decimal(rng.randint(1, 10) * 5000)
            spent[city_pk] += amount
            allowances[(city_pk, pk)] = allowances.get((city_pk, pk), Decimal(0)) + amount
            vouchers.append(
                Voucher(
                    programme=programmes[city_pk],
                    organisation_id=pk,
                    number=f"KJQB{i:08d}",
                    status="issued",
                    requested_amount=amount,
                    amount=amount,
                    remaining=amount,
                    claimed_on=dt.date(2020, 4, 1),
                    claimed_by=self.district_staff[district.pk],
                    issued_on=dt.date(2020, 4, 10),
                    valid_until=dt.date(2021, 4, 9),
                    issued_by=self.district_staff[district.pk],
                )
            )
        created = []
        for k in range(0, len(vouchers), 5000):
            created.extend(Voucher.objects.bulk_create(vouchers[k : k + 5000]))
        for v in created:
            entries.append(
                (
                    "issue",
                    v.amount,
                    f"pool:{v.programme_id}",
                    f"voucher:{v.pk}",
                    dt.date(2020, 4, 10),
                    v.programme_id,
                    v.pk,
                    v.organisation_id,
                    None,
                    f"发放创新券 {v.number}",
                    v.issued_by_id,
                )
            )
        now = dt.datetime(2020, 11, 30, tzinfo=dt.UTC)
        insert(
            LedgerEntry,
            [
                "kind",
                "amount",
                "source",
                "target",
                "booked_on",
                "programme_id",
                "voucher_id",
                "organisation_id",
                "idempotency_key",
                "memo",
                "actor_id",
                "created_at",
            ],
            [(*e, now) for e in entries],
        )
        FirmAllowance.objects.bulk_create(
            [
                FirmAllowance(programme_id=programmes[c].pk, organisation_id=o, used=u)
                for (c, o), u in allowances.items()
            ],
            batch_size=5000,
        )
        for city_pk, p in programmes.items():
            VoucherProgramme.objects.filter(pk=p.pk).update(pool_remaining=budget - spent[city_pk])
        _log(f"vouchers: {len(created)}, ledger entries: {len(entries)}", self.t0)

    # --- audit ------------------------------------------------------------------------------------
