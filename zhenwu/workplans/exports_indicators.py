"""The indicator board as .xlsx (strings escaped by ``lib.xlsx``, numbers stay numbers)."""

import io

from zhenwu.lib.xlsx import XlsxWriter

HEADERS = ["指标", "单位", "区域", "实际值", "分子", "分母", "目标值", "目标期间", "完成情况"]


def board_xlsx(table: dict) -> bytes:
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as writer:
        sheet = writer.add_sheet(
            f"指标{table['period'].code}", HEADERS, widths=[28, 8, 14, 14, 12, 12, 14, 10, 10]
        )
        for row in table["rows"]:
            indicator = row["indicator"]
            for cell in row["cells"]:
                status = cell["status"]
                sheet.append(
                    [
                        indicator.name,
                        indicator.unit,
                        cell["area"].name,
                        status.actual,
                        cell["numerator"],
                        cell["denominator"],
                        status.target,
                        status.target_period,
                        status.label,
                    ]
                )
    return buffer.getvalue()
