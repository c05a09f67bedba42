from django.core.management.base import BaseCommand

from zhenwu.areas.loader import load_areas_csv


class Command(BaseCommand):
    help = "Load the area tree from a CSV file (code,name,level,parent_code,valid_from,valid_to)."

    def add_arguments(self, parser):
        parser.add_argument("csv_file")

    def handle(self, *args, csv_file, **options):
        count = load_areas_csv(csv_file)
        self.stdout.write(f"{count} areas loaded")
