"""Deterministic province-scale data for the benchmarks, written through the real models on bulk paths.

    python bench/generate.py [--scale full|medium|small|tiny|<factor>] [--seed 2026] [--verify] [--firms-only]

Scale 1.0 (full) is a province: 16 cities, 130 districts, 200k firms with profiles, three years of
EnterpriseYear and qualifications; three years of annual statistics for every firm plus monthly 快报 rows
for the 规上 firms (≈ 2M EnterpriseFact rows); 50k programme applications, 20k projects with three milestones
each, 100k voucher ledger entries that reconcile with their vouchers and allowances, and 1M sealed
audit events. Regions are the same at every scale; the rest scales linearly.

Parent tables (organisations, applications, projects, vouchers) go through `bulk_create` in batches so their
ids come back; the big leaf tables go through `kechuang.core.bulk.insert_rows` (COPY on PostgreSQL, executemany on
SQLite). The audit events carry the fields `core.audit.record` writes and are sealed by the sealer
(`core.sealing.seal`) at the end (`--verify` walks the whole chain with `audit.verify()` afterwards).

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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.gen_activity import Activity  # noqa: E402
from bench.gen_audit import AuditChain  # noqa: E402
from bench.gen_base import CITIES, DISTRICTS, SCALES, SYLLABLES, TOWNS_PER_DISTRICT, TRADES, _log  # noqa: E402
from bench.gen_enterprises import EnterpriseData  # noqa: E402


class Generator(EnterpriseData, Activity, AuditChain):
    def __init__(self, scale: float, seed: int, firms_only: bool = False):
        self.scale = scale
        self.firms_only = firms_only
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
        from kechuang.core.roles import Role

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
        from kechuang.core.bulk import insert_rows
        from kechuang.core.models import DictItem, Organisation
        from kechuang.core.rules import make_credit_code

        rng = self.rng
        total = self.n(200_000)
        # 周村区 (the demo district) gets a district-sized share so the district benchmarks look like a district.
        weights = [3.0 if d.code == "370306" else 1.0 for d in self.districts]
        industries = list(
            DictItem.objects.filter(dict_type__code="industry").values_list("pk", flat=True)
        ) or [None]
        rows: list[tuple] = []
        meta: list[tuple] = []
        districts = rng.choices(self.districts, weights=weights, k=total)
        for i, district in enumerate(districts):
            town = rng.choice(self.towns[district.pk])
            body = f"B{i:07d}"
            name = f"{district.name[:2]}{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}{rng.choice(TRADES)}有限公司{i}"
            rows.append(
                (
                    name[:120],
                    make_credit_code("9", "1", district.code, body),
                    Organisation.Kind.ENTERPRISE.value,
                    town.pk,
                    dt.date(1995 + rng.randrange(25), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                    rng.choice(industries),
                    "张三",
                )
            )
            meta.append((district, town.pk, rng.random() < 0.2))
        # COPY with the ids allocated from the sequence first (no model instance per firm, no RETURNING).
        columns = ["name", "credit_code", "kind", "region_id", "established_on", "industry_id"]
        ids = insert_rows(Organisation, [*columns, "legal_representative"], rows, returning_ids=True)
        self.firm_rows = [  # (pk, district, town_pk, above_size)
            (pk, district, town_pk, above) for pk, (district, town_pk, above) in zip(ids, meta, strict=True)
        ]
        _log(f"organisations: {len(self.firm_rows)}", self.t0)

    def run(self):
        from django.db import transaction

        self.regions()
        self.users()
        with transaction.atomic():
            self.firms()
            self._district_of = {pk: d for pk, d, _t, _a in self.firm_rows}
            self.enterprise_data()
            self.statistics()
            if (
                self.firms_only
            ):  # the firms' records alone (benchmarks 4 and 9: screening and policy matching)
                return
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
    parser.add_argument(
        "--firms-only",
        action="store_true",
        help="only regions, users and the firms' records (no programmes, vouchers or audit events)",
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
    gen = Generator(scale, args.seed, args.firms_only)
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
