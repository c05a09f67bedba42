"""Money is Decimal yuan with two places."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from zhenwu.lib.text import normalize_cell

CENT = Decimal("0.01")


def to_yuan(value: object) -> Decimal | None:
    """Parse a cell into Decimal yuan; None when empty; ValueError when not a number."""
    if value is None or value == "":
        return None
    text = normalize_cell(value).replace(",", "").replace("元", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not amount.is_finite():
        raise ValueError(text)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
