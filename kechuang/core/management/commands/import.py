from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kechuang.core import imports
from kechuang.core.exports import XLSX_TYPE
from kechuang.core.imports import engine, jobs
from kechuang.core.uploads import UploadRejected, check_upload


class Command(BaseCommand):
    help = "导入 Excel：kechuang import <导入项> 文件.xlsx [--dry-run] --user 用户名（与页面导入完全相同的校验）。"

    def add_arguments(self, parser):
        parser.add_argument("spec")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser.add_argument("--user", required=True, help="以该用户身份导入（检查其导入权限并记入审计）")

    def handle(self, spec, file, dry_run=False, user=None, **options):
        try:
            found = imports.get(spec)
        except KeyError:
            names = "、".join(s.name for s in imports.specs())
            raise CommandError(f"没有名为“{spec}”的导入项。可用：{names}") from None
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"用户“{user}”不存在或已停用。")
        if not found.may_import(actor):
            raise CommandError(f"用户“{user}”没有导入「{found.title}」的权限。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        data = path.read_bytes()
        try:
            check_upload(data, allowed={XLSX_TYPE}, filename=path.name)
        except UploadRejected as exc:
            raise CommandError(str(exc)) from None
        checked = engine.preview(found, data, actor)
        for warning in checked.warnings:
            self.stdout.write(f"提示：{warning}")
        counts = checked.counts
        self.stdout.write(
            f"预览：新增 {counts['new']} 行，修改 {counts['changed']} 行，未变化 {counts['unchanged']} 行，"
            f"有错误 {counts['error']} 行。"
        )
        for row, diff in zip(checked.ok_rows, checked.diffs, strict=True):
            if diff.outcome == "changed":
                fields = "；".join(
                    f"{found.column(k).label}：{jobs.shown(old)} → {jobs.shown(new)}"
                    for k, (old, new) in diff.changes.items()
                )
                self.stdout.write(
                    f"第{row.number}行 修改 {fields}" + (f"（{diff.note}）" if diff.note else "")
                )
        if checked.errors:
            for error in checked.errors:
                self.stderr.write(str(error))
            raise CommandError(f"发现 {len(checked.errors)} 处错误，未导入任何数据。")
        if dry_run:
            self.stdout.write(f"校验通过：{len(checked.ok_rows)} 行可导入（试运行，未写入）。")
            return
        try:
            job = jobs.import_now(actor=actor, spec=found, data=data, filename=path.name, checked=checked)
        except imports.ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"发现 {len(exc.errors)} 处错误，未导入任何数据。") from None
        self.stdout.write(f"{job.message}（导入记录 #{job.pk}，可在页面上查看和撤销）")
