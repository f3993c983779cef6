from django.core.management.base import BaseCommand, CommandError

from kechuang.core.indicators import Period
from kechuang.statistics import services
from kechuang.statistics.models import SubmissionDeadline


class Command(BaseCommand):
    help = "统计报送：remind --period 2020-10 向未报送该期数据的企业用户发送催报提醒。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])
        parser.add_argument("--period", required=True, help="2020、2020Q3 或 2020-10")
        parser.add_argument("--region", help="区划代码（默认：所有设置了该期截止日期的区划）")

    def handle(self, action, period, region=None, **options):
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
