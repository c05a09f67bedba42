"""``zhenwu restore PATH [--yes]``: replace the database with a backup made by
``zhenwu backup``. Verifies the sha256 first, refuses a backup of newer code, shows what
would be replaced and does nothing without ``--yes``. A safety backup of the current
database is taken first unless ``--no-safety-backup``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhenwu.core import context
from zhenwu.core.backup import BackupError, plan_restore, restore_backup
from zhenwu.core.management.commands.backup import key_reminder


class Command(BaseCommand):
    help = "用 zhenwu backup 生成的备份替换当前数据库（先校验 sha256，须加 --yes 确认）。"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件（旁边须有同名的 .json 清单）")
        parser.add_argument("--yes", action="store_true", help="确认替换当前数据库")
        parser.add_argument(
            "--no-safety-backup",
            action="store_true",
            help="恢复前不先备份当前数据库",
        )

    def handle(self, *args, path, yes, no_safety_backup, **options):
        token = context.current.set(context.RequestContext(channel="cli"))
        try:
            plan = plan_restore(path)
            self.describe(plan)
            if not yes:
                raise CommandError(_("未做任何改动。确认要替换当前数据库，请加 --yes 重新运行。"))
            result = restore_backup(plan, safety_backup=not no_safety_backup)
        except BackupError as error:
            raise CommandError(error.message) from None
        finally:
            context.current.reset(token)
        if result.safety_backup is not None:
            self.stdout.write(
                _("恢复前的数据库已另存为 %(path)s") % {"path": result.safety_backup.path}
            )
        self.stdout.write(self.style.SUCCESS(_("已恢复：%(path)s") % {"path": plan.path}))
        if not result.audited:
            self.stderr.write(
                _("恢复事件未能写入审计日志（恢复后的数据库结构较旧）。请运行 zhenwu migrate。")
            )
        if plan.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    _("备份比当前程序旧：请现在运行 zhenwu migrate（%(count)s 个迁移待执行）。")
                    % {"count": len(plan.pending_migrations)}
                )
            )

    def describe(self, plan) -> None:
        manifest = plan.manifest
        self.stdout.write(
            _("将用备份 %(path)s（%(created)s 创建，sha256 校验通过）替换数据库 %(target)s。")
            % {"path": plan.path, "created": manifest.get("created_at"), "target": plan.target}
        )
        labels = list(dict.fromkeys([*plan.current_counts, *manifest.get("row_counts", {})]))
        for label in labels:
            self.stdout.write(
                _("  %(label)s：当前 %(current)s 行 → 备份 %(backup)s 行")
                % {
                    "label": label,
                    "current": plan.current_counts.get(label, "-"),
                    "backup": manifest.get("row_counts", {}).get(label, "-"),
                }
            )
        self.stdout.write(_("当前数据库中备份之后的改动都会丢失。"))
        if plan.key_mismatch:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "注意：当前配置的密钥与备份时不同。恢复后加密字段可能无法读取；"
                        "请先配置备份时使用的密钥。"
                    )
                )
            )
            self.stdout.write(self.style.WARNING(key_reminder()))
