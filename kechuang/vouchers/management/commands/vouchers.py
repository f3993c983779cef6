"""`kechuang vouchers expire --as-of DATE` and `kechuang vouchers check`.

`expire` ends every live voucher whose validity ended before DATE and releases its unused amount to the
pool; running it twice changes nothing the second time. `check` recomputes every balance from the ledger.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import dates
from kechuang.vouchers import tasks
from kechuang.vouchers.ledger import ledger_check


class Command(BaseCommand):
    help = "创新券：到期释放（expire --as-of 日期）与台账核对（check）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        expire = sub.add_parser("expire", help="使过期创新券失效并将未使用金额释放回资金池（可重复执行）")
        expire.add_argument("--as-of", dest="as_of", help="统计日期 YYYY-MM-DD（默认今天）")
        sub.add_parser("check", help="由资金分录重新计算所有余额并核对")

    def handle(self, action, **options):
        if action == "check":
            result = ledger_check()
            for problem in result.problems:
                self.stderr.write(problem)
            if not result.ok:
                raise CommandError(f"台账核对未通过：{len(result.problems)} 处不符。")
            self.stdout.write(f"台账核对通过：共核对 {result.checked} 个余额。")
            return
        text = options.get("as_of")
        try:
            as_of = dt.date.fromisoformat(text) if text else dates.today()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD，收到“{text}”。") from None
        numbers = tasks.expire_vouchers.call(as_of.isoformat())
        self.stdout.write(
            f"{as_of} 到期失效 {len(numbers)} 张创新券" + (f"：{'、'.join(numbers)}" if numbers else "。")
        )
