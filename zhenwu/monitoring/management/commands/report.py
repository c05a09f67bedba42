"""zhenwu report <kind> --area AREA --period PERIOD

Prints a report's figures as plain text on the server console. Each kind is a subcommand
registered by a module: ``register_report("monitoring", ...)`` in ``<app>/reports.py``
(found through Django's autodiscovery), so later modules add ``report assistance`` and so
on without touching this file. Periods: ``2023-06``, ``2023Q2``, ``2023H1``, ``2023``.
Reports print aggregate figures only (no personal data)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules

from zhenwu.areas.selectors import find_area
from zhenwu.lib.periods import PeriodError, parse_period


@dataclass(frozen=True)
class Report:
    name: str
    help: str
    render: Callable  # (area, period, options) -> str
    add_arguments: Callable | None = None  # (subparser) -> None


REPORTS: dict[str, Report] = {}


def register_report(name: str, help: str, render: Callable, add_arguments=None) -> None:
    """Register a report kind (call at import time of ``<app>/reports.py``)."""
    REPORTS[name] = Report(name, help, render, add_arguments)


class Command(BaseCommand):
    help = "以文本形式输出统计报告，如：zhenwu report monitoring --area 沙地镇 --period 2023H1"

    def add_arguments(self, parser):
        autodiscover_modules("reports")
        subparsers = parser.add_subparsers(dest="kind", required=True, title="报告类型")
        for report in sorted(REPORTS.values(), key=lambda r: r.name):
            sub = subparsers.add_parser(report.name, help=report.help)
            sub.add_argument("--area", required=True, help="区域代码或唯一名称，如 沙地镇")
            sub.add_argument(
                "--period", required=True, help="统计期：2023-06、2023Q2、2023H1 或 2023"
            )
            if report.add_arguments:
                report.add_arguments(sub)

    def handle(self, *args, kind, area, period, **options):
        target = find_area(area)
        if target is None:
            raise CommandError(f"找不到区域“{area}”（请用区划代码或唯一的名称）。")
        try:
            parsed = parse_period(period)
        except PeriodError:
            raise CommandError(
                f"统计期“{period}”格式不正确，应为 2023-06、2023Q2、2023H1 或 2023。"
            ) from None
        try:
            text = REPORTS[kind].render(target, parsed, options)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(text)
