"""``zhenwu load_indicators``: create or update the shipped indicator catalogue."""

from django.core.management.base import BaseCommand

from zhenwu.workplans.actions.indicators import CATALOGUE_CSV, load_indicator_catalogue


class Command(BaseCommand):
    help = "载入指标目录（workplans/data/indicators.csv），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(CATALOGUE_CSV), help="指标目录 CSV 文件")

    def handle(self, *args, file, **options):
        counts = load_indicator_catalogue(file)
        self.stdout.write(
            f"指标目录：新增 {counts['created']}，更新 {counts['updated']}，未变 {counts['unchanged']}"
        )
