"""zhenwu import households FILE --area CODE [--dry-run]

Runs on the server console: no user, no permission check, audited (as ``console:<os user>``).
Exit status 0 when the file was imported (or checked, with --dry-run), 1 when it had errors;
the error report's path is printed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhenwu.areas.selectors import find_area
from zhenwu.core import context
from zhenwu.registry.importer import import_households

SHOWN_ERRORS = 20
COUNT_LABELS = {
    "households_created": "新增农户",
    "households_updated": "更新农户",
    "persons_created": "新增成员",
    "persons_updated": "更新成员",
    "incomes_written": "写入收入记录",
    "unchanged": "无变化",
}


class Command(BaseCommand):
    help = "导入农户信息 Excel 文件（户信息、成员信息、收入信息）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["households"], help="households: 农户和成员")
        parser.add_argument("file", help=".xlsx 文件")
        parser.add_argument("--area", required=True, help="区域代码或唯一名称，如 沙地镇")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, kind, file, area, dry_run, **options):
        target = find_area(area)
        if target is None:
            raise CommandError(f"找不到区域“{area}”（请用区划代码或唯一的名称）。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        token = context.current.set(context.RequestContext(channel="cli"))
        try:
            result = import_households(
                path, area=target, actor=None, dry_run=dry_run, progress=self._progress(options)
            )
        finally:
            context.current.reset(token)
        if not result.ok:
            self._print_errors(result)
            raise CommandError(
                f"文件有 {result.error_count} 个问题，未导入任何数据。"
                f"错误报告：{result.error_report_path}",
                returncode=1,
            )
        self._print_counts(result)

    def _progress(self, options):
        if options["verbosity"] < 2:
            return None
        return lambda done, total: self.stderr.write(f"  {done}/{total}")

    def _print_counts(self, result) -> None:
        title = "检查通过（仅校验，未写入）" if result.dry_run else "导入成功"
        if result.same_file_as:
            title += "：该文件此前已导入，没有任何变化"
        self.stdout.write(self.style.SUCCESS(title))
        for key, label in COUNT_LABELS.items():
            self.stdout.write(f"  {label}: {result.counts[key]}")

    def _print_errors(self, result) -> None:
        for issue in result.errors[:SHOWN_ERRORS]:
            where = "，".join(
                part
                for part in (issue.sheet, f"第 {issue.row} 行" if issue.row else "", issue.column)
                if part
            )
            self.stderr.write(f"  {where}：{issue.message}" if where else f"  {issue.message}")
        if result.error_count > SHOWN_ERRORS:
            self.stderr.write(f"  ……另有 {result.error_count - SHOWN_ERRORS} 个问题，见错误报告。")
