from django.core.management.base import BaseCommand, CommandError

from kechuang.core import sealing


class Command(BaseCommand):
    help = (
        "审计日志：seal 封存新提交的记录（带密钥的哈希链，并写入库外封存日志；定时任务与后台任务进程会自动执行）；"
        "verify 校验封存链、密钥与库外封存日志。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "seal"])
        parser.add_argument("--full", action="store_true", help="seal：查找全部未封存记录（每晚执行一次）")

    def handle(self, action, full=False, **options):
        if action == "seal":
            result = sealing.seal(full=full)
            if result.skipped:
                self.stdout.write("另一个封存任务正在运行，本次跳过。")
            else:
                self.stdout.write(
                    self.style.SUCCESS(f"已封存 {result.sealed} 条记录，封存序号至 #{result.last_seq}。")
                )
            return
        result = sealing.verify()
        if not result.ok:
            raise CommandError(result.message)
        self.stdout.write(self.style.SUCCESS(result.message))
