"""Load the area tree from a CSV: code,name,level,parent_code[,valid_from,valid_to,is_demo_code]."""

import csv
import io
from pathlib import Path

from django.db import transaction

from zhenwu.areas.models import Area
from zhenwu.lib.dates import parse_date

LEVEL_NAMES = {"province": 1, "city": 2, "county": 3, "township": 4, "village": 5, "group": 6}


def parse_level(value: str) -> int:
    value = value.strip().lower()
    return int(value) if value.isdigit() else LEVEL_NAMES[value]


@transaction.atomic
def load_areas_csv(source: Path | str | io.TextIOBase) -> int:
    """Create or update areas (by code); parents must come before children. Returns rows."""
    handle = open(source, encoding="utf-8-sig") if isinstance(source, str | Path) else source
    with handle:
        rows = list(csv.DictReader(handle))
    by_code: dict[str, Area] = {}
    for row in rows:
        parent_code = (row.get("parent_code") or "").strip()
        parent = by_code.get(parent_code) or (
            Area.objects.filter(code=parent_code).first() if parent_code else None
        )
        area, _ = Area.objects.update_or_create(
            code=row["code"].strip(),
            valid_from=parse_date(row.get("valid_from")),
            defaults={
                "name": row["name"].strip(),
                "level": parse_level(row["level"]),
                "parent": parent,
                "valid_to": parse_date(row.get("valid_to")),
                "is_demo_code": (row.get("is_demo_code") or "").strip() in {"1", "true", "yes"},
            },
        )
        by_code[area.code] = area
    return len(rows)
