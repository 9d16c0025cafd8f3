"""Text helpers: spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

BYTE_ORDER_MARK = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """A value as a CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_document(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV (CRLF line ends, a byte order mark so spreadsheets read æ, ø and å), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
    return BYTE_ORDER_MARK + out.getvalue()
