"""zhenwu load_assistance_settings [FILE]: load 帮扶政策参数 from a CSV.

Without FILE, the bundled SAMPLE values for 江西省 (marked 示例值). Runs on the server console:
no user, no permission check, audited as ``console:<os user>``. Re-loading is idempotent."""

from django.core.management.base import BaseCommand, CommandError

from zhenwu.assistance.parameters import SAMPLE_CSV, load_sample_settings
from zhenwu.core import context
from zhenwu.core.errors import DomainError


class Command(BaseCommand):
    help = "导入帮扶政策参数 CSV（area_code,key,value,valid_from,valid_to,is_sample,source）。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SAMPLE_CSV), help="CSV 文件")

    def handle(self, *args, file, **options):
        token = context.current.set(context.RequestContext(channel="cli"))
        try:
            result = load_sample_settings(file)
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{file}") from None
        except (ValueError, KeyError, DomainError) as error:
            raise CommandError(f"未导入任何参数：{error}") from None
        finally:
            context.current.reset(token)
        self.stdout.write(
            f"新增 {result.created}，更新 {result.updated}，无变化 {result.unchanged}"
        )
