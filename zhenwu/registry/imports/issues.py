"""A problem found in an uploaded workbook, and how its cell value may be shown."""

from dataclasses import dataclass

from zhenwu.lib.ids import normalize_id_number
from zhenwu.lib.masking import mask_bank_account, mask_id_number, mask_phone
from zhenwu.lib.text import compact, normalize_cell

MASKED_FIELDS = {"id_number": "id", "phone": "phone", "bank_account": "bank"}
MAX_SHOWN_VALUE = 100


@dataclass(frozen=True)
class Issue:
    """One problem: sheet, the row number Excel shows (None for the whole sheet or file),
    column header, the cell value (masked when sensitive) and the message in Chinese."""

    sheet: str
    row: int | None
    column: str
    message: str
    value: str = ""


def shown_value(field: str, raw: object) -> str:
    """What the error report may show of a cell: ID numbers, phones and bank accounts masked."""
    if raw is None or raw == "":
        return ""
    kind = MASKED_FIELDS.get(field)
    if kind == "id":
        return mask_id_number(normalize_id_number(_plain(raw)))
    if kind == "phone":
        return mask_phone(compact(_plain(raw)))
    if kind == "bank":
        return mask_bank_account(compact(_plain(raw)))
    return normalize_cell(raw)[:MAX_SHOWN_VALUE]


def _plain(raw: object) -> str:
    """A number cell shown as Excel would show it, without the exponent."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


class IssueList(list):
    """Keeps the first ``limit`` issues and counts all of them, so that a file with a wrong
    column on 200,000 rows cannot exhaust memory."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.total = 0

    def append(self, issue: Issue) -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(issue)
