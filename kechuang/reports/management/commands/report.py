"""`kechuang report summary --region 370306 --period 2020 --as-of 2020-11-30 --format json|md|docx|pdf -o F`.

The command writes drafts only: a Word/PDF file is the 公文 marked 草稿（未签发）, without 文号, 签发人 or
署名. A document is signed on the draft page, through 核稿 and 签发 (`reports/signoff.py`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.core.permissions import ancestor_paths
from kechuang.reports import documents, docx_layout, gongwen, summary
from kechuang.reports.models import SummaryTemplate
from kechuang.reports.seed import SEED_CODE, ensure_seed_template


class Command(BaseCommand):
    help = "由平台数据生成工作总结（JSON 列出每个数字的指标代码与取值）"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["summary"])
        parser.add_argument("--region", required=True, help="区划代码，如 370306")
        parser.add_argument("--period", required=True, help="2020、2020Q3 或 2020-08")
        parser.add_argument("--as-of", required=True, help="截至日期 YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "md", "docx", "pdf"], default="json")
        parser.add_argument("--template", default=SEED_CODE)
        parser.add_argument("--topic", default="", help="按主题关键词选择章节")
        parser.add_argument("-o", "--output", help="输出文件（docx、pdf 必填；省略时输出到终端）")

    def handle(self, *args, **opts):
        try:
            region = Region.objects.get(code=opts["region"])
        except Region.DoesNotExist:
            raise CommandError(f"区划代码 {opts['region']} 不存在。") from None
        try:
            period = Period.parse(opts["period"])
            as_of = dt.date.fromisoformat(opts["as_of"])
        except ValueError:
            raise CommandError("统计期或截至日期格式不正确。") from None
        if opts["template"] == SEED_CODE:
            template = ensure_seed_template(region)
        else:
            template = (
                SummaryTemplate.objects.filter(
                    code=opts["template"], region__path__in=ancestor_paths(region.path)
                )
                .order_by("-region__path")
                .first()
            )
            if template is None:
                raise CommandError(f"模板 {opts['template']} 不存在。")
        doc = summary.build(template, Scope(region, period, as_of), topic=opts["topic"] or None)
        fmt, out = opts["format"], opts.get("output")
        if fmt in ("docx", "pdf"):
            if not out:
                raise CommandError(f"{fmt} 格式须用 -o 指定输出文件。")
            data = gongwen.render_docx(
                gongwen.for_bureau(
                    region,
                    title=doc["title"],
                    body=documents.body_paras(doc),
                    signature="",
                    date=as_of,
                    seal=False,
                    draft_mark=documents.DRAFT_MARK,
                )
            )
            if fmt == "pdf":
                try:
                    data = docx_layout.to_pdf(data)
                except docx_layout.PdfUnavailable as exc:
                    raise CommandError(str(exc)) from None
            Path(out).write_bytes(data)
            self.stderr.write(f"已写入 {out}")
            return
        if fmt == "json":
            data = documents.to_json(doc, region=region, period=period, as_of=as_of)
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            text = f"（{documents.DRAFT_MARK}）\n\n" + documents.to_markdown(doc, date=as_of)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stderr.write(f"已写入 {out}")
        else:
            self.stdout.write(text, ending="")
