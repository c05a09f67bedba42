"""A worksheet → validated rows. Headers are found and matched leniently (a title row above
them, a trailing ``*``, full-width brackets, stray spaces); cells are converted column by
column and every problem is collected, never only the first."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.lib.text import compact
from zhenwu.lib.xlsx import Workbook
from zhenwu.registry.columns import Column
from zhenwu.registry.imports.cells import CellError, VillageLookup, build_converter, is_blank
from zhenwu.registry.imports.issues import Issue, shown_value

# A title such as "沙地镇农户信息表" may sit above the header row.
HEADER_SEARCH_ROWS = 10


def header_key(text: object) -> str:
    """'户编号*', ' 户编号 ' and '务工时间（月）' / '务工时间(月)' all match their column."""
    return compact(text).rstrip("*")


@dataclass
class ParsedRow:
    row: int  # the row number Excel shows
    values: dict
    ok: bool = True


@dataclass
class SheetRows:
    name: str
    present: set[str] = field(default_factory=set)  # fields that have a column in the file
    rows: list[ParsedRow] = field(default_factory=list)


@dataclass
class RawSheet:
    """A sheet as read, before validation."""

    name: str
    cells: list[list]
    header_index: int | None
    mapping: dict[str, int]  # field → column index

    def data_rows(self):
        if self.header_index is None:
            return
        for index in range(self.header_index + 1, len(self.cells)):
            cells = self.cells[index]
            if not all(is_blank(cell) for cell in cells):
                yield index + 1, cells


def find_sheet(workbook: Workbook, name: str) -> str | None:
    for actual in workbook.sheet_names:
        if compact(actual) == name:
            return actual
    return None


def load_sheet(
    workbook: Workbook, name: str, columns: list[Column], *, required: bool, issues: list[Issue]
) -> RawSheet | None:
    """Find the sheet and its header row; report a missing sheet, header or required column.
    Returns None when the sheet is absent; a sheet with a missing column has no rows."""
    actual = find_sheet(workbook, name)
    if actual is None:
        if required:
            issues.append(Issue(name, None, "", str(_("缺少工作表“%(sheet)s”") % {"sheet": name})))
        return None
    cells = workbook.rows(actual)
    header_index = _find_header_row(cells, columns[0].header)
    if header_index is None:
        issues.append(
            Issue(
                name,
                None,
                columns[0].header,
                str(_("未找到表头行（应有“%(header)s”列）") % {"header": columns[0].header}),
            )
        )
        return RawSheet(name, cells, None, {})
    mapping = _map_columns(name, cells[header_index], columns, header_index + 1, issues)
    missing = [c for c in columns if c.required and c.field not in mapping]
    for column in missing:
        issues.append(
            Issue(
                name,
                header_index + 1,
                column.header,
                str(_("缺少必填列“%(header)s”") % {"header": column.header}),
            )
        )
    return RawSheet(name, cells, None if missing else header_index, mapping)


def _find_header_row(cells: list[list], first_header: str) -> int | None:
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        if any(header_key(cell) == first_header for cell in row):
            return index
    return None


def _map_columns(sheet, header_cells, columns, row_number, issues) -> dict[str, int]:
    by_header = {header_key(column.header): column for column in columns}
    mapping: dict[str, int] = {}
    for index, cell in enumerate(header_cells):
        column = by_header.get(header_key(cell))
        if column is None:
            continue  # extra columns are allowed and ignored
        if column.field in mapping:
            issues.append(
                Issue(
                    sheet,
                    row_number,
                    column.header,
                    str(_("列“%(header)s”出现了多次") % {"header": column.header}),
                )
            )
            continue
        mapping[column.field] = index
    return mapping


def validate_sheet(
    raw: RawSheet,
    columns: list[Column],
    *,
    model: type[models.Model],
    villages: VillageLookup,
    issues: list[Issue],
    tick: Callable[[], None],
) -> SheetRows:
    """Convert every cell of every data row; collect each problem with its row and column."""
    by_field = {column.field: column for column in columns}
    converters = [
        (
            field_name,
            index,
            by_field[field_name],
            build_converter(by_field[field_name], model=model, villages=villages),
        )
        for field_name, index in raw.mapping.items()
    ]
    result = SheetRows(raw.name, present=set(raw.mapping))
    for row_number, cells in raw.data_rows():
        values, ok = {}, True
        width = len(cells)
        for field_name, index, column, convert in converters:
            cell = cells[index] if index < width else ""
            try:
                values[field_name] = convert(cell)
            except CellError as error:
                ok = False
                issues.append(
                    Issue(
                        raw.name,
                        row_number,
                        column.header,
                        error.message,
                        shown_value(field_name, cell),
                    )
                )
        result.rows.append(ParsedRow(row_number, values, ok))
        tick()
    return result
