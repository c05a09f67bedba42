"""Text clean-up for messy spreadsheet input."""

import unicodedata


def normalize_cell(value: object) -> str:
    """Full-width to half-width (NFKC), trim, drop inner spaces of codes is NOT done here."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return text.replace("\u3000", " ").strip()


def compact(value: object) -> str:
    """Normalize and remove every whitespace character (for codes and ID numbers)."""
    return "".join(normalize_cell(value).split())
