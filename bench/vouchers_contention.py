"""Redemption throughput under contention, as a ratio against a bare conditional-UPDATE loop.

    python bench/vouchers_contention.py [--threads 8] [--ops 160]

Sets Django up itself on a fresh temporary SQLite database (or DATABASE_URL if set, e.g. a scratch
PostgreSQL database), migrates it, builds one programme and one voucher, then runs the same number of
operations from the same number of threads twice:
  * bare:     `UPDATE voucher SET remaining = remaining - x, held = held + x WHERE remaining >= x` in a
              transaction — the floor any safe implementation pays;
  * service:  `vouchers.services.redemption_submit` — idempotency key, rule checks, row locks, the
              conditional UPDATE, a ledger entry and a hash-chained audit event.
It prints both rates and service/bare, then checks the ledger still reconciles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(workdir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("KECHUANG_TESTING", "1")  # immediate tasks, test-friendly settings
    os.environ["MEDIA_ROOT"] = os.path.join(workdir, "media")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = os.environ["MEDIA_ROOT"]
    call_command("migrate", verbosity=0, interactive=False)


def run_threads(n_threads: int, ops: int, fn) -> float:
    from django.db import connection

    barrier = threading.Barrier(n_threads + 1)
    per = ops // n_threads
    errors: list[BaseException] = []

    def worker(t: int) -> None:
        try:
            barrier.wait()
            for i in range(per):
                fn(t, i)
        except BaseException as exc:  # noqa: BLE001 - reported after the run
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(n_threads)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return per * n_threads / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--ops", type=int, default=160)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="kc-bench-")
    setup_django(workdir)

    from django.db import transaction
    from django.db.models import F

    from kechuang.accounts.models import User
    from kechuang.core import services as core_services
    from kechuang.core.models import Organisation, Region
    from kechuang.core.roles import Role
    from kechuang.core.rules import make_credit_code
    from kechuang.enterprises.models import Qualification, QualificationKind
    from kechuang.vouchers import services
    from kechuang.vouchers.ledger import ledger_check
    from kechuang.vouchers.models import Voucher

    district = Region.objects.get(code="370306")
    staff = User.objects.create(username="bench_staff", role=Role.STAFF, region=district)
    firm = Organisation.objects.create(
        name="基准测试企业", credit_code=make_credit_code("9", "1", "370306", "MABENCH1"), region=district
    )
    provider_org = Organisation.objects.create(
        name="基准测试服务机构", credit_code=make_credit_code("9", "1", "370306", "MABENCH2"), region=district
    )
    tech_sme = QualificationKind.objects.get(code="tech_sme")
    Qualification.objects.create(
        organisation=firm,
        kind=tech_sme,
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2020, 12, 31),
        recorded_on=dt.date(2020, 1, 1),
    )
    total = Decimal(args.ops * 2 * 10)
    programme = services.programme_create(
        actor=staff,
        name="基准",
        year=2020,
        region=district,
        share_percent=Decimal(100),
        cap_per_firm=total * 2,
        budget=total * 2,
        eligible_kinds=[tech_sme],
        services=(("检测", "检测"),),
    )
    day = dt.date(2020, 5, 6)
    bare = services.voucher_issue(
        actor=staff,
        voucher=services.voucher_claim(
            actor=staff, programme=programme, organisation=firm, amount=total, on=day
        ),
        on=day,
    )
    voucher = services.voucher_issue(
        actor=staff,
        voucher=services.voucher_claim(
            actor=staff, programme=programme, organisation=firm, amount=total - 1, on=day
        ),
        on=day,
    )
    provider = services.provider_register(
        actor=staff, organisation=provider_org, services=programme.service_items.all()
    )
    provider = services.provider_vet(actor=staff, provider=provider, approve=True, on=day)
    services.voucher_contract(
        actor=staff, voucher=voucher, provider=provider, contract_amount=total * 2, signed_on=day
    )
    services.voucher_deliver(actor=staff, voucher=voucher, delivered_on=day)
    evidence = {
        name: core_services.attachment_store(
            actor=staff, data=b"%PDF-1.4 bench", original_name=f"{name}.pdf", organisation=firm
        )
        for name in ("contract_file", "invoice_file", "payment_file", "output_file")
    }
    amount = Decimal(10)

    def bare_op(t: int, i: int) -> None:
        with transaction.atomic():
            Voucher.objects.filter(pk=bare.pk, remaining__gte=amount).update(
                remaining=F("remaining") - amount, held=F("held") + amount
            )

    def service_op(t: int, i: int) -> None:
        services.redemption_submit(
            actor=staff, voucher=voucher, amount=amount, idempotency_key=f"bench-{t}-{i}", on=day, **evidence
        )

    bare_rate = run_threads(args.threads, args.ops, bare_op)
    service_rate = run_threads(args.threads, args.ops, service_op)
    Voucher.objects.filter(pk=bare.pk).update(
        remaining=F("remaining") + F("held"), held=0
    )  # undo the bare loop's raw moves
    check = ledger_check()
    print(
        f"database: {os.environ['DATABASE_URL'].split(':')[0]}, threads: {args.threads}, operations: {args.ops}"
    )
    print(f"bare conditional UPDATE : {bare_rate:9.1f} ops/s")
    print(f"redemption_submit       : {service_rate:9.1f} ops/s")
    print(f"ratio service / bare    : {service_rate / bare_rate:9.3f}")
    print(f"ledger check            : {'ok' if check.ok else check.problems[:3]}")
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
