"""zhenwu open_rounds --area 沙地镇 --month 2023-06 [--groups lifted,monitored]

Opens the monthly screening round (每月一排查) of every village under the area, on the
server console: idempotent (a re-run adds newly qualifying households only), audited as
``console:<os user>``."""

from django.core.management.base import BaseCommand, CommandError

from zhenwu.areas.selectors import find_area, villages_under
from zhenwu.core import context
from zhenwu.core.errors import DomainError
from zhenwu.monitoring.actions.screening import DEFAULT_TARGET_GROUPS, TARGET_GROUPS, do_open_round
from zhenwu.monitoring.selectors import round_progress


class Command(BaseCommand):
    help = "为区域内每个行政村开启某月的排查（重复运行只补充新符合条件的农户）。"

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="区域代码或唯一名称，如 沙地镇")
        parser.add_argument("--month", required=True, help="月份，如 2023-06")
        parser.add_argument(
            "--groups",
            default=",".join(DEFAULT_TARGET_GROUPS),
            help="排查对象，逗号分隔：" + ", ".join(TARGET_GROUPS),
        )

    def handle(self, *args, area, month, groups, **options):
        target = find_area(area)
        if target is None:
            raise CommandError(f"找不到区域“{area}”（请用区划代码或唯一的名称）。")
        chosen = [g.strip() for g in groups.split(",") if g.strip()]
        villages = list(villages_under(target))
        if not villages:
            raise CommandError(f"“{target.name}”下没有行政村。")
        token = context.current.set(context.RequestContext(channel="cli"))
        try:
            for village in villages:
                round_ = do_open_round(village, month, actor=None, groups=chosen)
                visited, targets, _rate = round_progress(round_)
                self.stdout.write(
                    f"{village.code} {village.name}: 排查对象 {targets} 户，已走访 {visited} 户"
                )
        except DomainError as error:
            raise CommandError(error.message) from None
        finally:
            context.current.reset(token)
        self.stdout.write(self.style.SUCCESS(f"已开启 {len(villages)} 个村 {month} 的排查。"))
