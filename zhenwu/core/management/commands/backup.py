"""``zhenwu backup [-o PATH]``: a consistent copy of the database while the server runs
(SQLite online backup API; PostgreSQL ``pg_dump --format=custom``), with a JSON manifest
beside it. The encryption keys are not in it: keep them apart (docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhenwu.core import context
from zhenwu.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份；PostgreSQL 用 pg_dump），并写出清单文件。"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            default=None,
            help="备份文件路径（默认：$ZHENWU_HOME/backups/ 下带时间的文件）",
        )

    def handle(self, *args, output, **options):
        token = context.current.set(context.RequestContext(channel="cli"))
        try:
            result = create_backup(output)
        except BackupError as error:
            raise CommandError(error.message) from None
        finally:
            context.current.reset(token)
        manifest = result.manifest
        self.stdout.write(self.style.SUCCESS(_("已备份到 %(path)s") % {"path": result.path}))
        self.stdout.write(_("清单：%(path)s") % {"path": result.manifest_path})
        self.stdout.write(f"sha256: {manifest['sha256']}")
        counts = "，".join(f"{label} {count}" for label, count in manifest["row_counts"].items())
        self.stdout.write(_("行数：%(counts)s") % {"counts": counts})
        self.stdout.write(self.style.WARNING(key_reminder()))


def key_reminder() -> str:
    return _(
        "提醒：加密字段的密钥（ZHENWU_DATA_KEYS、ZHENWU_INDEX_KEY）不在备份中，也不应放进"
        "备份。请把密钥另行备份、与备份文件分开保管；没有这些密钥，备份中的身份证号、"
        "健康、残疾和银行账号等加密字段无法读取。"
    )
