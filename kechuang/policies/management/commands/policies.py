"""`kechuang policies match [--as-of D] [--region CODE]`: screen firms against every policy in force
(scheduled nightly, core.scheduling). `kechuang policies tally [--rebuild]`: compare the per-item tally with
the verdicts it counts (and recount it)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import dates
from kechuang.core.models import Region


class Command(BaseCommand):
    help = "政策找企业：按施行中的政策匹配企业（match）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["match", "tally"])
        parser.add_argument("--rebuild", action="store_true", help="tally：按匹配结果重新统计")
        parser.add_argument("--as-of", dest="as_of", type=dt.date.fromisoformat)
        parser.add_argument("--region", default="", help="区划代码；缺省为全部")

    def handle(self, *args, action, as_of=None, region="", rebuild=False, **options):
        if action == "tally":
            return self._tally(rebuild)
        from kechuang.policies.services.matching import run_match

        path = ""
        if region:
            found = Region.objects.filter(code=region).first()
            if found is None:
                raise CommandError(f"未找到区划 {region}")
            path = found.path
        result = run_match(region_path=path, on=as_of or dates.today())
        self.stdout.write(
            f"政策匹配完成：{result['firms']} 家企业、{result['items']} 个条款；符合 {result['eligible']}，"
            f"接近符合 {result['near']}，数据不足 {result['unknown']}，不符合 {result['ineligible']}"
        )

    def _tally(self, rebuild: bool) -> None:
        from kechuang.policies import tally

        if rebuild:
            self.stdout.write(f"已重新统计：{tally.rebuild()} 行")
        problems = tally.verify()
        for line in problems[:20]:
            self.stdout.write(line)
        if problems:
            raise CommandError(f"匹配统计与匹配结果不一致：{len(problems)} 处")
        self.stdout.write("匹配统计与匹配结果一致")
