from django.core.management.base import BaseCommand

from kechuang.core import demo
from kechuang.core.models import CalendarYear


class Command(BaseCommand):
    help = "生成演示区（淄博市周村区）的演示数据；可重复运行，已生成的部分不会重复生成。"

    def handle(self, **options):
        if not CalendarYear.objects.exists():
            from kechuang.core.workdays import seed_from_packages

            seed_from_packages(range(2018, 2028))
        built = demo.run(stdout=self.stdout)
        if built:
            self.stdout.write(self.style.SUCCESS(f"演示数据已生成：{', '.join(built)}"))
        else:
            self.stdout.write("演示数据已存在，未做改动。")
        self.stdout.write(
            "演示账号（密码均为 "
            + demo.DEMO_PASSWORD
            + "）：staff 科室工作人员 · leader 局领导 · qiye 企业用户 · "
            "expert 评审专家 · tepaiyuan 科技特派员 · city_staff 市局人员 · sysadmin/secadmin/auditor 三员"
        )
