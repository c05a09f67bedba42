"""Write the generated town into the household workbook (registry.columns), the same file a
township would upload, so that the demo goes through the real importer."""

from pathlib import Path

import xlsxwriter
from django.utils import translation

from zhenwu.demo.generator import HouseholdRecord, Town
from zhenwu.registry.columns import (
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_SHEET,
    INCOME_COLUMNS,
    INCOME_SHEET,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
    Column,
)


def write_workbook(town: Town, path: Path) -> Path:
    """Three sheets: 户信息, 成员信息, 收入信息. Choice cells carry the Chinese labels."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # constant_memory streams each row to disk: 40,000 member rows stay fast and small.
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    with translation.override("zh-hans"):
        households = town.households
        _write_sheet(workbook, HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS, _household_rows(households))
        _write_sheet(workbook, MEMBER_SHEET, MEMBER_COLUMNS, _member_rows(households))
        _write_sheet(workbook, INCOME_SHEET, INCOME_COLUMNS, _income_rows(households))
    workbook.close()
    return path


def _household_rows(households: list[HouseholdRecord]):
    for household in households:
        yield {**household.__dict__, "village": household.village.name}


def _member_rows(households: list[HouseholdRecord]):
    for household in households:
        for member in household.members:
            yield {**member.__dict__, "household_number": household.number}


def _income_rows(households: list[HouseholdRecord]):
    for household in households:
        if household.income is not None:
            yield {**household.income.__dict__, "household_number": household.number}


def _write_sheet(workbook, name: str, columns: list[Column], rows) -> None:
    sheet = workbook.add_worksheet(name)
    sheet.write_row(0, 0, [column.header for column in columns])
    converters = list(enumerate((column.field, _converter(column)) for column in columns))
    # Typed writes and skipped blanks: xlsxwriter's generic write() dominated the build time.
    write_string, write_number = sheet.write_string, sheet.write_number
    for index, row in enumerate(rows, start=1):
        for position, (field, convert) in converters:
            value = convert(row.get(field))
            if value == "":
                continue
            if isinstance(value, str):
                write_string(index, position, value)
            else:
                write_number(index, position, value)


def _converter(column: Column):
    """Turn a generated value into what a person would type in that column."""
    if column.kind == "choice":
        labels = {value: str(label) for value, label in column.choices.choices}
        return lambda value: labels[value] if value else ""
    if column.kind == "bool":
        return lambda value: "是" if value else ""  # a blank cell reads as 否
    if column.kind in {"int", "money"}:
        return lambda value: "" if value is None else value
    return lambda value: "" if value is None else str(value)
