"""Deterministic province-scale data for the benchmarks, written through the real models on bulk paths.

    python bench/generate.py [--scale full|medium|small|tiny|<factor>] [--seed 2026] [--verify]

Scale 1.0 (full) is a province: 16 cities, 130 districts, 200k firms with profiles, three years of
EnterpriseYear and qualifications; three years of annual statistics for every firm plus monthly 快报 rows
for the 规上 firms (≈ 2M EnterpriseFact rows); 50k programme applications, 20k projects with three milestones
each, 100k voucher ledger entries that reconcile with their vouchers and allowances, and 1M hash-chained
audit events. Regions are the same at every scale; the rest scales linearly.

Parent tables (organisations, applications, projects, vouchers) go through `bulk_create` in batches so their
ids come back; the big leaf tables go through `fastinsert.insert` (COPY on PostgreSQL, executemany on
SQLite). The audit events form a valid chain: each hash is computed exactly as `core.audit.record` does,
continuing from the newest existing event, inserted in chain order, and the head is anchored at the end
(`--verify` walks the whole chain with `audit.verify()` afterwards).

The database is DATABASE_URL (default: var/bench/bench.sqlite3); it is migrated first and must not hold
earlier bench data (`--fresh` deletes the SQLite file, or drops and recreates the PostgreSQL database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SCALES = {"full": 1.0, "medium": 0.1, "small": 0.01, "tiny": 0.002}
CITIES = [
    ("370100", "济南市"),
    ("370200", "青岛市"),
    ("370300", "淄博市"),
    ("370400", "枣庄市"),
    ("370500", "东营市"),
    ("370600", "烟台市"),
    ("370700", "潍坊市"),
    ("370800", "济宁市"),
    ("370900", "泰安市"),
    ("371000", "威海市"),
    ("371100", "日照市"),
    ("371300", "临沂市"),
    ("371400", "德州市"),
    ("371500", "聊城市"),
    ("371600", "滨州市"),
    ("371700", "菏泽市"),
]
DISTRICTS = 130
TOWNS_PER_DISTRICT = 6
YEARS = (2018, 2019, 2020)
AS_OF = dt.date(2020, 11, 30)
SYLLABLES = [
    "华",
    "鑫",
    "源",
    "泰",
    "宏",
    "达",
    "新",
    "恒",
    "金",
    "瑞",
    "博",
    "盛",
    "天",
    "海",
    "创",
    "科",
    "通",
    "信",
    "德",
    "隆",
    "安",
    "兴",
    "昌",
    "永",
    "嘉",
    "润",
    "丰",
    "宇",
    "光",
    "明",
]
TRADES = [
    "电子",
    "机械",
    "新材料",
    "生物",
    "化工",
    "软件",
    "陶瓷",
    "纺织",
    "环保",
    "医药",
    "汽车配件",
    "食品",
]


def _log(msg: str, start: float) -> None:
    print(f"  {msg} ({time.perf_counter() - start:.1f} s)", flush=True)


class Generator:
    def __init__(self, scale: float, seed: int):
        self.scale = scale
        self.rng = random.Random(seed)
        self.t0 = time.perf_counter()
        self.audit_rows: list[
            tuple
        ] = []  # (occurred_at, actor_id, actor_label, action, type, id, repr, changes)

    def n(self, full: int) -> int:
        return max(1, round(full * self.scale))

    # --- regions and users -------------------------------------------------------------------------
    def regions(self):
        from kechuang.core.models import Region

        province = Region.objects.get(code="370000")
        existing = {r.code: r for r in Region.objects.all()}
        per_city = [
            DISTRICTS // len(CITIES) + (1 if i < DISTRICTS % len(CITIES) else 0) for i in range(len(CITIES))
        ]
        self.cities, self.districts, self.towns = [], [], {}
        for (code, name), count in zip(CITIES, per_city, strict=True):
            city = existing.get(code) or Region.objects.create(
                code=code, name=name, level=2, parent=province, path=f"{province.path}{code}/"
            )
            self.cities.append(city)
            have = sorted(
                (r for r in existing.values() if r.level == 3 and r.parent_id == city.pk),
                key=lambda r: r.code,
            )
            new = []
            k = 1
            while len(have) + len(new) < count:
                dcode = f"{code[:4]}{80 + k:02d}"
                k += 1
                if dcode in existing:
                    continue
                new.append(
                    Region(
                        code=dcode,
                        name=f"{name[:-1]}第{k - 1}区",
                        level=3,
                        parent=city,
                        path=f"{city.path}{dcode}/",
                    )
                )
            Region.objects.bulk_create(new)
            self.districts.extend(have[:count] + new)
        towns = []
        for d in self.districts:
            have = [r for r in existing.values() if r.level == 4 and r.parent_id == d.pk]
            self.towns[d.pk] = have
            for k in range(len(have), TOWNS_PER_DISTRICT):
                tcode = f"{d.code}{900 + k:03d}"
                towns.append(
                    Region(
                        code=tcode, name=f"{d.name}第{k + 1}街道", level=4, parent=d, path=f"{d.path}{tcode}/"
                    )
                )
        for t in Region.objects.bulk_create(towns):
            self.towns[t.parent_id].append(t)
        self.province = province
        _log(
            f"regions: {len(self.cities)} cities, {len(self.districts)} districts, "
            f"{sum(len(v) for v in self.towns.values())} towns",
            self.t0,
        )

    def users(self):
        from kechuang.accounts.models import User
        from kechuang.accounts.roles import Role

        def make(username, role, region, org=None):
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={"role": role, "region": region, "organisation": org, "display_name": username},
            )
            return user

        self.province_staff = make("bench_province", Role.STAFF, self.province)
        self.city_staff = {c.pk: make(f"bench_city_{c.code}", Role.STAFF, c) for c in self.cities}
        self.district_staff = {d.pk: make(f"bench_staff_{d.code}", Role.STAFF, d) for d in self.districts}
        make("bench_leader", Role.LEADER, self.province)
        _log(f"users: {User.objects.count()}", self.t0)

    # --- firms ---------------------------------------------------------------------------------------
    def firms(self):
        from kechuang.core.models import DictItem, Organisation
        from kechuang.core.rules import make_credit_code

        rng = self.rng
        total = self.n(200_000)
        # 周村区 (the demo district) gets a district-sized share so the district benchmarks look like a district.
        weights = [3.0 if d.code == "370306" else 1.0 for d in self.districts]
        industries = list(
            DictItem.objects.filter(dict_type__code="industry").values_list("pk", flat=True)
        ) or [None]
        self.firm_rows = []  # (pk, district, town_pk, above_size)
        batch: list[Organisation] = []
        meta: list[tuple] = []
        districts = rng.choices(self.districts, weights=weights, k=total)
        for i, district in enumerate(districts):
            town = rng.choice(self.towns[district.pk])
            body = f"B{i:07d}"
            name = f"{district.name[:2]}{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}{rng.choice(TRADES)}有限公司{i}"
            batch.append(
                Organisation(
                    name=name[:120],
                    credit_code=make_credit_code("9", "1", district.code, body),
                    kind=Organisation.Kind.ENTERPRISE,
                    region=town,
                    established_on=dt.date(
                        1995 + rng.randrange(25), 1 + rng.randrange(12), 1 + rng.randrange(28)
                    ),
                    industry_id=rng.choice(industries),
                    legal_representative="张三",
                )
            )
            meta.append((district, town.pk, rng.random() < 0.2))
            if len(batch) >= 5000:
                self._flush_firms(batch, meta)
                batch, meta = [], []
        if batch:
            self._flush_firms(batch, meta)
        _log(f"organisations: {len(self.firm_rows)}", self.t0)

    def _flush_firms(self, batch, meta):
        from kechuang.core.models import Organisation

        created = Organisation.objects.bulk_create(batch)
        for org, (district, town_pk, above) in zip(created, meta, strict=True):
            self.firm_rows.append((org.pk, district, town_pk, above))

    def enterprise_data(self):
        from bench.fastinsert import insert
        from kechuang.core.models import DictItem
        from kechuang.enterprises.models import (
            EnterpriseProfile,
            EnterpriseYear,
            Qualification,
            QualificationKind,
        )

        rng = self.rng
        fields = list(DictItem.objects.filter(dict_type__code="hnte_field").values_list("pk", flat=True)) or [
            None
        ]
        kinds = {k.code: k.pk for k in QualificationKind.objects.all()}
        now = dt.datetime(2020, 11, 30, 9, tzinfo=dt.UTC)
        profiles, years, quals = [], [], []
        for pk, _district, _town, above in self.firm_rows:
            staff = rng.randint(20, 2000) if above else rng.randint(3, 300)
            profiles.append(
                (
                    pk,
                    rng.choice(["large", "medium", "small", "micro"]),
                    above,
                    "",
                    rng.choice(fields),
                    None,
                    staff,
                    max(1, staff // rng.randint(3, 12)),
                    rng.randrange(4),
                    rng.randrange(20),
                    True,
                    rng.randrange(2),
                    False,
                    rng.random() < 0.05,
                    rng.randint(8, 20),
                    True,
                    True,
                    1,
                    now,
                )
            )
            revenue = Decimal(rng.randint(500, 200_000)) * 10_000 * (5 if above else 1)
            for year in YEARS:
                if rng.random() < 0.15:
                    continue
                r = (revenue * Decimal(rng.uniform(0.8, 1.2))).quantize(Decimal(1))
                years.append(
                    (
                        pk,
                        year,
                        r,
                        r,
                        (r * Decimal("0.7")).quantize(Decimal(1)),
                        (r * Decimal("0.05")).quantize(Decimal(1)),
                        (r * Decimal("0.05")).quantize(Decimal(1)),
                        r,
                        r * 2,
                        (r * Decimal("0.8")).quantize(Decimal(1)),
                        staff,
                        max(1, staff // 8),
                        rng.randrange(6),
                    )
                )
            roll = rng.random()
            if roll < 0.08:
                start = dt.date(2018 + rng.randrange(3), 11, 1)
                quals.append(
                    (
                        pk,
                        kinds["hnte"],
                        f"GR{start.year}370{pk:07d}",
                        start,
                        start,
                        start.replace(year=start.year + 3) - dt.timedelta(days=1),
                        "manual",
                        "active",
                        "",
                    )
                )
            if roll < 0.25 and "tech_sme" in kinds:
                quals.append(
                    (
                        pk,
                        kinds["tech_sme"],
                        "",
                        dt.date(2020, 5, 1),
                        dt.date(2020, 5, 1),
                        dt.date(2020, 12, 31),
                        "manual",
                        "active",
                        "",
                    )
                )
        insert(
            EnterpriseProfile,
            [
                "organisation_id",
                "scale",
                "above_size",
                "main_products",
                "hnte_field_id",
                "key_industry_id",
                "staff_count",
                "st_staff_count",
                "ip_class1",
                "ip_class2",
                "ip_own_rnd",
                "standards_led",
                "national_award_5y",
                "provincial_rnd_institution",
                "rnd_org_score",
                "compliance_ok",
                "catalogue_ok",
                "version",
                "updated_at",
            ],
            profiles,
        )
        insert(
            EnterpriseYear,
            [
                "organisation_id",
                "year",
                "sales_revenue",
                "total_revenue",
                "high_tech_income",
                "rnd_expense",
                "rnd_domestic",
                "net_assets",
                "total_assets",
                "total_costs",
                "staff",
                "st_staff",
                "conversions",
            ],
            years,
        )
        insert(
            Qualification,
            [
                "organisation_id",
                "kind_id",
                "number",
                "issued_on",
                "valid_from",
                "valid_until",
                "source",
                "status",
                "note",
            ],
            quals,
        )
        _log(f"profiles {len(profiles)}, enterprise years {len(years)}, qualifications {len(quals)}", self.t0)

    def statistics(self):
        """Annual facts for every firm for three years; monthly 快报 for the 规上 firms (each month of 3 years)."""
        from bench.fastinsert import insert
        from kechuang.statistics.models import EnterpriseFact

        rng = self.rng
        columns = [
            "organisation_id",
            "town_id",
            "year",
            "quarter",
            "month",
            "rd_internal",
            "rd_hnte",
            "rd_super_deduction",
            "has_rd_projects",
            "rd_project_count",
            "operating_revenue",
            "sales_revenue",
            "hightech_income",
            "industrial_output",
            "hightech_output",
            "above_size",
            "staff",
            "st_staff",
            "net_assets",
            "total_assets",
            "total_costs",
            "status",
            "source",
            "reported_on",
            "submitted_at",
            "version",
        ]
        submitted = dt.datetime(2020, 11, 20, 10, tzinfo=dt.UTC)
        cent = Decimal("0.01")

        def rows():
            for pk, _district, town, above in self.firm_rows:
                base = Decimal(rng.randint(200, 80_000))
                for year in YEARS:
                    months = range(1, 13) if above else ()
                    periods = [(None, m) for m in months if (year, m) <= (AS_OF.year, AS_OF.month - 1)] + [
                        (None, None)
                    ]
                    for quarter, month in periods:
                        f = (base / (12 if month else 1) * Decimal(rng.uniform(0.85, 1.15))).quantize(cent)
                        rd = (f * Decimal("0.03")).quantize(cent)
                        yield (
                            pk,
                            town,
                            year,
                            quarter,
                            month,
                            rd,
                            rd,
                            rd,
                            rd > 0,
                            1 + rng.randrange(5),
                            f,
                            f,
                            (f * Decimal("0.4")).quantize(cent),
                            f if above else None,
                            (f * Decimal("0.3")).quantize(cent) if above else None,
                            above,
                            rng.randint(5, 900),
                            rng.randint(1, 90),
                            f,
                            f * 2,
                            (f * Decimal("0.8")).quantize(cent),
                            "final" if year < 2020 else ("preliminary" if month else "estimate"),
                            "staff_import",
                            dt.date(year if month else year + 1, month or 3, 15)
                            if (month or year < 2020)
                            else AS_OF,
                            submitted,
                            1,
                        )

        count = insert(EnterpriseFact, columns, rows())
        _log(f"statistics facts: {count}", self.t0)

    # --- programmes, projects, vouchers ----------------------------------------------------------
    def programmes(self):
        from bench.fastinsert import insert
        from kechuang.core.models import DictItem, Person
        from kechuang.programmes.models import Application, Call, Programme, ProgrammeType
        from kechuang.projects.models import Milestone, Project

        rng = self.rng
        ptype, _ = ProgrammeType.objects.get_or_create(
            code="bench_plan",
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
        from bench.fastinsert import insert
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
    def audit(self):
        """1M (×scale) hash-chained events: computed like `audit.record`, inserted in chain order, then anchored."""
        from bench.fastinsert import insert
        from kechuang.core import audit
        from kechuang.core.models import AuditChainHead, AuditEvent

        rng = self.rng
        total = self.n(1_000_000)
        head = AuditChainHead.objects.get(pk=1)
        prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or head.archived_hash
        staff = list(self.district_staff.values())
        start = dt.datetime(2020, 1, 2, 1, tzinfo=dt.UTC)
        step = dt.timedelta(seconds=max(1, int(330 * 86400 / total)))
        actions = [
            ("statistics.fact_create", "statistics.enterprisefact"),
            ("enterprise.profile_update", "core.organisation"),
            ("projects.milestone_report", "projects.project"),
            ("vouchers.voucher_issue", "vouchers.voucher"),
        ]
        scratch = AuditEvent()  # compute_hash reads the canonical fields off an event object

        def rows():
            nonlocal prev
            seeded = iter(self.audit_rows)
            for i in range(total):
                extra = next(seeded, None)
                if extra is not None:
                    at, actor_id, label, action, otype, oid, orepr, changes = extra
                    at = start + step * i
                else:
                    user = staff[i % len(staff)]
                    action, otype = actions[i % len(actions)]
                    at, actor_id, label, oid = (
                        start + step * i,
                        user.pk,
                        user.username,
                        str(rng.randrange(1, 200_000)),
                    )
                    orepr, changes = f"记录 {oid}", {"rd_internal": [None, str(rng.randrange(10_000))]}
                ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                scratch.occurred_at, scratch.actor_id, scratch.actor_label, scratch.action = (
                    at,
                    actor_id,
                    label,
                    action,
                )
                scratch.object_type, scratch.object_id, scratch.object_repr = otype, oid, orepr
                scratch.changes, scratch.ip = changes, ip
                digest = audit.compute_hash(prev, scratch)
                yield (at, actor_id, label, action, otype, oid, orepr, changes, ip, prev, digest)
                prev = digest

        count = insert(
            AuditEvent,
            [
                "occurred_at",
                "actor_id",
                "actor_label",
                "action",
                "object_type",
                "object_id",
                "object_repr",
                "changes",
                "ip",
                "prev_hash",
                "hash",
            ],
            rows(),
        )
        audit.anchor()
        _log(f"audit events: {count} (chain continued and anchored)", self.t0)

    def run(self):
        from django.db import transaction

        self.regions()
        self.users()
        with transaction.atomic():
            self.firms()
            self._district_of = {pk: d for pk, d, _t, _a in self.firm_rows}
            self.enterprise_data()
            self.statistics()
            self.programmes()
            self.vouchers()
            self.audit()


def fresh_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        if "bench" not in name:
            raise SystemExit(
                f"--fresh drops the database: refusing for {name!r} (its name must contain 'bench')."
            )
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = Path(url.removeprefix("sqlite:///")) if url else common.DEFAULT_SQLITE
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", default="full", help="full, medium, small, tiny or a factor (1.0 = 200k firms)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    parser.add_argument(
        "--verify", action="store_true", help="walk the audit chain and check the ledger afterwards"
    )
    args = parser.parse_args()
    scale = SCALES.get(args.scale) or float(args.scale)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{common.DEFAULT_SQLITE}")
    common.DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    if args.fresh:
        fresh_database()
    common.setup_django()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(
        f"generating scale {scale:g} on {common.db_vendor()} (migrated in {time.perf_counter() - t0:.1f} s)",
        flush=True,
    )
    gen = Generator(scale, args.seed)
    gen.t0 = t0
    gen.run()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if args.verify:
        from kechuang.core import audit
        from kechuang.vouchers.ledger import ledger_check

        result = audit.verify()
        print(f"  audit verify: {result.message}")
        check = ledger_check()
        print(f"  ledger check: {'ok' if check.ok else check.problems[:3]}")
        if not (result.ok and check.ok):
            return 1
    print(f"done in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
