from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kechuang.core.indicators import Period
from kechuang.statistics import services, totals
from kechuang.statistics.models import SubmissionDeadline


class Command(BaseCommand):
    help = (
        "统计报送：remind --period 2020-10 向未报送该期数据的企业用户发送催报提醒；"
        "totals --verify 核对企业统计数据汇总表与明细是否一致（不一致时退出码为 1），totals --rebuild 按明细重建汇总表。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind", "totals"])
        parser.add_argument("--period", help="2020、2020Q3 或 2020-10（remind）")
        parser.add_argument("--region", help="区划代码（默认：所有设置了该期截止日期的区划）")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--verify", action="store_true", help="核对汇总表（totals）")
        mode.add_argument("--rebuild", action="store_true", help="重建汇总表（totals）")

    def handle(self, action, period=None, region=None, verify=False, rebuild=False, **options):
        if action == "totals":
            return self.totals(rebuild=rebuild)
        if not period:
            raise CommandError("remind 需要 --period，如 --period 2020-10。")
        try:
            parsed = Period.parse(period)
            parsed.start  # noqa: B018 - validates month/quarter
        except (ValueError, TypeError):
            raise CommandError("统计期格式应为 2020、2020Q3 或 2020-10。") from None
        deadlines = SubmissionDeadline.objects.filter(
            year=parsed.year, quarter=parsed.quarter, month=parsed.month
        ).select_related("region")
        if region:
            deadlines = deadlines.filter(region__code=region)
        if not deadlines:
            raise CommandError(f"没有设置 {parsed} 的报送截止日期，请先在报送日历中设置。")
        for deadline in deadlines:
            count = services.remind_missing(actor="system", deadline=deadline)
            self.stdout.write(f"{deadline.region.name} {deadline.period_label}：已提醒 {count} 家未报送企业")

    def totals(self, *, rebuild: bool) -> None:
        if rebuild:
            with transaction.atomic():
                totals.rebuild()
            self.stdout.write("已按企业统计数据重建汇总表 / summary table rebuilt from the facts")
        diffs = totals.differences()
        if not diffs:
            self.stdout.write("汇总表与企业统计数据一致 / the summary table matches the facts")
            return
        for key, want, have in diffs[:20]:
            self.stdout.write(f"{key}: 应为 expected {want}，实为 stored {have}")
        raise CommandError(
            f"汇总表有 {len(diffs)} 组与企业统计数据不一致，请运行 kechuang stats totals --rebuild / "
            f"{len(diffs)} groups of the summary differ from the facts"
        )
