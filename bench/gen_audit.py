"""Audit events as a valid hash chain, continued from the newest existing event and anchored."""

from __future__ import annotations

import datetime as dt

from bench.gen_base import _log


class AuditChain:
    """Mixed into `bench.generate.Generator` (uses its rng, scale, regions and firm rows)."""

    def audit(self):
        """1M (×scale) hash-chained events: computed like `audit.record`, inserted in chain order, then anchored."""
        from kechuang.core import audit
        from kechuang.core.bulk import insert_rows as insert
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
