from django.core.management.base import BaseCommand

from kechuang.core import workdays
from kechuang.core.models import CalendarYear


class Command(BaseCommand):
    help = "工作日历：seed 从 chinese-calendar / holidays 载入节假日与调休（已由管理员确认的年份不覆盖）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["seed"])
        parser.add_argument("--from-year", type=int, default=2018)
        parser.add_argument("--to-year", type=int, default=2027)

    def handle(self, action, from_year, to_year, **options):
        manual = set(
            CalendarYear.objects.filter(confirmed=True)
            .exclude(source__startswith="chinese-calendar")
            .values_list("year", flat=True)
        )
        years = [y for y in range(from_year, to_year + 1) if y not in manual]
        for year, state in workdays.seed_from_packages(years).items():
            label = "已确认" if state == "confirmed" else "暂定（缺调休安排，待管理员补全）"
            self.stdout.write(f"{year}: {label}")
        for year in sorted(manual):
            self.stdout.write(f"{year}: 管理员已确认，未覆盖")
