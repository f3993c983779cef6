"""`kechuang figures refresh [--days N]`: bring the dashboard and home-card snapshots read in the last N days up to
the current data (`reports.snapshots`; scheduled every five minutes), so the first reader after a change finds
them computed already. `kechuang figures status` lists the snapshots and how old they are."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from kechuang.reports import dashboard, snapshots
from kechuang.reports.models import FigureSnapshot


class Command(BaseCommand):
    help = "更新驾驶舱与首页指标快照（数据变动后在后台重新计算）"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["refresh", "status"])
        parser.add_argument(
            "--days", type=int, default=snapshots.KEEP_DAYS, help="只更新最近 N 天内查看过的快照"
        )

    def handle(self, *args, **opts):
        stamp = dashboard.figures_stamp()
        if opts["what"] == "refresh":
            done = snapshots.refresh_stale(stamp, days=opts["days"])
            self.stdout.write(f"已更新 {done} 个指标快照。")
            return
        rows = FigureSnapshot.objects.select_related("region").order_by(
            "kind", "region__code", "period", "as_of"
        )
        for row in rows:
            state = "最新" if row.stamp == stamp else ("更新中" if row.refreshing_since else "待更新")
            self.stdout.write(
                f"{row.kind}\t{row.region.code} {row.region.name}\t{row.period}\t{row.as_of}\t{row.language}\t"
                f"{state}\t计算于 {timezone.localtime(row.computed_at):%Y-%m-%d %H:%M}（用时 {row.seconds:.1f} 秒）"
            )
