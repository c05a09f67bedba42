"""zhenwu export households --area CODE -o FILE [--unmasked --reason TEXT]

Server console export of every household under the area, in the import layout. Masked by
default; audited (as ``console:<os user>``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhenwu.areas.selectors import find_area
from zhenwu.core import context
from zhenwu.core.errors import DomainError
from zhenwu.registry.exporter import export_households


class Command(BaseCommand):
    help = "导出农户信息为 Excel 文件（与导入模板格式相同）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["households"])
        parser.add_argument("--area", required=True, help="区域代码或唯一名称，如 沙地镇")
        parser.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")
        parser.add_argument(
            "--unmasked", action="store_true", help="导出完整身份证号、电话和银行账号"
        )
        parser.add_argument("--reason", default="", help="导出完整信息的原因（审计）")

    def handle(self, *args, kind, area, output, unmasked, reason, **options):
        target = find_area(area)
        if target is None:
            raise CommandError(f"找不到区域“{area}”（请用区划代码或唯一的名称）。")
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("输出文件须以 .xlsx 结尾。")
        if unmasked and len(reason.strip()) < 4:
            raise CommandError("导出完整信息须用 --reason 写明原因。")
        token = context.current.set(context.RequestContext(channel="cli"))
        try:
            result = export_households(
                actor=None, area=target, target=path, unmasked=unmasked, reason=reason
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        finally:
            context.current.reset(token)
        rows = result.rows
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出 {rows.get('households', 0)} 户、{rows.get('persons', 0)} 人"
                f"、{rows.get('incomes', 0)} 条收入记录到 {path}"
                + ("（已脱敏）" if result.masked else "（未脱敏）")
            )
        )
