from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kechuang.core import demo
from kechuang.core.models import CalendarYear


def refuse_in_production(allowed: bool) -> None:
    """The demo writes accounts with a published password and made-up firms: only where DEBUG is on (`make
    run`), in the test suite, or when the operator says so explicitly."""
    if settings.DEBUG or getattr(settings, "TESTING", False) or allowed:
        return
    raise CommandError(
        "拒绝执行：当前环境未开启 DEBUG（可能是生产环境）。演示数据会创建使用公开密码的演示账号和虚构企业，"
        "切勿写入生产数据库。确需在非调试环境（如培训、验收环境）生成，请加 --allow-production。"
    )


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
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="在未开启 DEBUG 的环境中仍然生成演示数据（会写入演示账号与虚构企业，切勿用于生产数据库）",
        )

    def handle(self, district, allow_production=False, **options):
        from kechuang.core import demo_districts

        refuse_in_production(allow_production)

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
