"""Clean-up of messy spreadsheet text."""

import pytest

from zhenwu.lib.text import compact, normalize_cell


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, ""),
        ("  螺田村 ", "螺田村"),
        ("\u3000张三\u3000", "张三"),
        ("ＡＢＣ１２３", "ABC123"),  # full-width letters and digits
        (13807970001.0, "13807970001"),  # a phone typed into a number cell
        (2016, "2016"),
        (2.5, "2.5"),
        ("务工时间（月）", "务工时间(月)"),
    ],
)
def test_normalize_cell(cell, expected):
    assert normalize_cell(cell) == expected


def test_compact_drops_every_space_inside_codes():
    assert compact(" 360721 19680305 1004 ") == "360721196803051004"
    assert compact("３６０　７２１") == "360721"
