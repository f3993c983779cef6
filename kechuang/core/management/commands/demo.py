from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kechuang.core import demo
from kechuang.core.models import CalendarYear


class Command(BaseCommand):
    help = (
        "生成演示区（淄博市周村区）的演示数据；--district 370303 再加一个区（张店区），演示一市多区。"
        "可重复运行，已生成的部分不会重复生成。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--district",
            action="append",
            default=[],
            metavar="CODE",
            help="再生成一个区的演示数据（可多次指定；目前提供 370303 张店区）",
        )

    def handle(self, district, **options):
        from kechuang.core import demo_districts

        if not CalendarYear.objects.exists():
            from kechuang.core.workdays import seed_from_packages

            seed_from_packages(range(2018, 2028))
        try:
            plans = [demo_districts.plan_for(code) for code in district]
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        built = demo.run(stdout=self.stdout)
        for plan in plans:
            built += demo_districts.run_district(plan.code, stdout=self.stdout)
        if built:
            self.stdout.write(self.style.SUCCESS(f"演示数据已生成：{', '.join(built)}"))
        else:
            self.stdout.write("演示数据已存在，未做改动。")
        self.stdout.write(
            "演示账号（密码均为 "
            + demo.DEMO_PASSWORD
            + "）：staff 科室工作人员 · leader 局领导 · qiye 企业用户 · "
            "expert 评审专家 · tepaiyuan 科技特派员 · city_staff 市局人员 · sysadmin/secadmin/auditor 三员"
            + "".join(f" · {p.prefix}_staff/{p.prefix}_leader 第二个区" for p in plans)
        )
