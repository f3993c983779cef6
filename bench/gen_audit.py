"""Audit events, inserted as `audit.record` would and then sealed by the sealer (ADR 0003)."""

from __future__ import annotations

import datetime as dt

from bench.gen_base import _log


class AuditChain:
    """Mixed into `bench.generate.Generator` (uses its rng, scale, regions and firm rows)."""

    def audit(self):
        """1M (×scale) events with the fields `audit.record` writes, then sealed (keyed chain, seal log)."""
        from kechuang.core import sealing
        from kechuang.core.bulk import insert_rows as insert
        from kechuang.core.models import AuditEvent

        rng = self.rng
        total = self.n(1_000_000)
        staff = list(self.district_staff.values())
        start = dt.datetime(2020, 1, 2, 1, tzinfo=dt.UTC)
        step = dt.timedelta(seconds=max(1, int(330 * 86400 / total)))
        actions = [
            ("statistics.fact_create", "statistics.enterprisefact"),
            ("enterprise.profile_update", "core.organisation"),
            ("projects.milestone_report", "projects.project"),
            ("vouchers.voucher_issue", "vouchers.voucher"),
        ]

        def rows():
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
                yield (at, actor_id, label, action, otype, oid, orepr, changes, ip)

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
            ],
            rows(),
        )
        sealed = sealing.seal(full=True).sealed
        _log(f"audit events: {count} ({sealed} sealed)", self.t0)
