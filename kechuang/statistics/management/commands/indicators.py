import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import dates
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.statistics import reporting


class Command(BaseCommand):
    help = "打印全部已注册指标（数值、单位、状态、定义），如：kechuang indicators --region 370306 --period 2020 --as-of 2020-11-30 --format json"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="区划代码，如 370306")
        parser.add_argument("--period", required=True, help="2020、2020Q3 或 2020-10")
        parser.add_argument("--as-of", dest="as_of", help="截至日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, region, period, as_of, format, **options):
        place = Region.objects.filter(code=region).first()
        if place is None:
            raise CommandError(f"区划代码 {region} 不存在。")
        try:
            parsed = Period.parse(period)
            parsed.start  # noqa: B018 - validates month/quarter
        except (ValueError, TypeError):
            raise CommandError("统计期格式应为 2020、2020Q3 或 2020-10。") from None
        try:
            day = dt.date.fromisoformat(as_of) if as_of else dates.today()
        except ValueError:
            raise CommandError("截至日期格式应为 YYYY-MM-DD。") from None
        scope = Scope(place, parsed, day)
        data = reporting.as_json(scope)
        if format == "json":
            payload = {
                "region": place.code,
                "region_name": place.name,
                "period": str(parsed),
                "as_of": day.isoformat(),
                "indicators": data,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{place.full_name()}（{place.code}） 统计期 {parsed} 截至 {day.isoformat()}")
        for item in data:
            value = "—" if item["value"] is None else item["value"]
            self.stdout.write(
                f"{item['code']:<36} {item['name']}：{value} {item['unit']} [{item['status_label']}]"
            )
            self.stdout.write(f"{'':<36} {item['definition']}")
