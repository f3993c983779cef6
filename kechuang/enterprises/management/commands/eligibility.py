"""`kechuang eligibility FILE.json`: evaluate firms against the HNTE and tech-SME rules, print JSON.

Works without a database: it only parses the file and calls the pure functions in `enterprises.rules`.
Schema and an example: docs/eligibility.md.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.enterprises import rules


class Command(BaseCommand):
    help = "按高新技术企业、科技型中小企业认定条件评价 JSON 文件中的企业，以 JSON 输出结果（无需数据库）。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON 文件路径（- 表示标准输入），格式见 docs/eligibility.md")
        parser.add_argument(
            "--pass-mark",
            type=int,
            default=rules.DEFAULT_HNTE_PASS_MARK,
            help=f"高企创新能力评价及格线（默认 {rules.DEFAULT_HNTE_PASS_MARK}，即“70分以上（不含70分）”）",
        )

    def handle(self, file, pass_mark, **options):
        if not 0 <= pass_mark <= 100:
            raise CommandError(f"--pass-mark 应为 0–100 的整数，收到 {pass_mark}")
        payload = self._load(file)
        hnte_items = self._list(payload, "hnte")
        sme_items = self._list(payload, "tech_sme")
        try:
            hnte_inputs = [rules.hnte_input_from_dict(obj, i) for i, obj in enumerate(hnte_items)]
            sme_inputs = [rules.tech_sme_input_from_dict(obj, i) for i, obj in enumerate(sme_items)]
        except rules.InputError as exc:
            raise CommandError(str(exc)) from None
        result = {
            "pass_mark": pass_mark,
            "hnte": [self._run(rules.evaluate_hnte, d, pass_mark=pass_mark) for d in hnte_inputs],
            "tech_sme": [self._run(rules.evaluate_tech_sme, d) for d in sme_inputs],
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _load(self, file: str):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{file}") from None
        except UnicodeDecodeError:
            raise CommandError(f"文件不是 UTF-8 编码：{file}") from None
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc.strerror}") from None
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列）：{exc.msg}") from None
        if not isinstance(payload, dict):
            raise CommandError('JSON 顶层应为对象：{"hnte": [...], "tech_sme": [...]}')
        extra = sorted(set(payload) - {"hnte", "tech_sme"})
        if extra:
            raise CommandError(f"JSON 顶层有不认识的键 {extra[0]!r}，只允许 hnte 与 tech_sme")
        return payload

    @staticmethod
    def _list(payload: dict, key: str) -> list:
        items = payload.get(key, [])
        if not isinstance(items, list):
            raise CommandError(f"“{key}”应为数组（每个元素描述一家企业）")
        return items

    @staticmethod
    def _run(evaluate, data, **kwargs) -> dict:
        try:
            return evaluate(data, **kwargs).to_dict()
        except ValueError as exc:
            raise CommandError(f"企业“{data.name}”：{exc}") from None
