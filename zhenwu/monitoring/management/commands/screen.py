"""zhenwu screen --area 沙地镇 --period 2023-06 [--user NAME]: run the department-data
screening (部门筛查预警) directly, without the worker. Re-running replaces the slice.

On the server console: no permission check, audited. Clues are filed on behalf of
``--user`` (an officer with the right to manage clues there) when given."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from zhenwu.areas.selectors import find_area
from zhenwu.core import context
from zhenwu.core.errors import DomainError
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.monitoring.engine.runner import run_screening


class Command(BaseCommand):
    help = "部门数据筛查：对区域和月份运行全部启用的规则，生成预警线索。"

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="区域代码或唯一名称，如 沙地镇")
        parser.add_argument("--period", required=True, help="月份，如 2023-06")
        parser.add_argument("--user", default=None, help="以该账号的名义登记线索（可选）")

    def handle(self, *args, area, period, user, **options):
        target = find_area(area)
        if target is None:
            raise CommandError(f"找不到区域“{area}”（请用区划代码或唯一的名称）。")
        try:
            month = parse_period(period)
        except PeriodError:
            raise CommandError(f"月份格式不正确：{period}（应为如 2023-06）") from None
        if month.kind != "month":
            raise CommandError("筛查按月运行，请给出月份，如 2023-06。")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"找不到账号“{user}”。")
        token = context.current.set(context.RequestContext(channel="cli"))
        try:
            run = run_screening(target, month.start, actor=actor)
        except DomainError as error:
            raise CommandError(f"筛查失败：{error.message}") from None
        finally:
            context.current.reset(token)
        self.stdout.write(
            f"{target.name} {month.code}：筛查 {run.persons_count} 人，命中 {run.hits_count} 条，"
            f"新增线索 {run.clues_created} 条，已有未办结线索或程序 {run.duplicates} 户，"
            f"已在监测 {run.already_monitored} 户"
        )
        if run.not_filed:
            self.stdout.write(f"未指定 --user，{run.not_filed} 户的命中未登记为线索。")
