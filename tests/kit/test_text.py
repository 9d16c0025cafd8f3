"""Spreadsheet-safe CSV (app/kit/text.py)."""

from __future__ import annotations

import csv
import io

import pytest

from app.kit.text import BYTE_ORDER_MARK, csv_document, spreadsheet_cell


def rows_of(document: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(document.removeprefix(BYTE_ORDER_MARK), newline="")))


def test_a_document_starts_with_a_byte_order_mark_and_ends_lines_with_crlf() -> None:
    document = csv_document(["Navn", "By"], [["Åse", "Tromsø"], ["Bjørn", "Bodø"]])
    assert document.startswith(BYTE_ORDER_MARK)
    assert document.count(BYTE_ORDER_MARK) == 1
    assert document == BYTE_ORDER_MARK + "Navn,By\r\nÅse,Tromsø\r\nBjørn,Bodø\r\n"


def test_an_empty_list_is_just_the_header() -> None:
    assert csv_document(["id", "title"], []) == BYTE_ORDER_MARK + "id,title\r\n"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+47 22 00 00 00", "'+47 22 00 00 00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Grønne tak", "Grønne tak"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_is_shown_as_text(value: object, cell: str) -> None:
    assert spreadsheet_cell(value) == cell


def test_every_cell_of_every_row_is_made_safe_and_quoted_where_needed() -> None:
    document = csv_document(
        ["title", "note"],
        [['=HYPERLINK("http://evil")', 'says "hi", twice'], ["line one\nline two", None], [7, "@me"]],
    )
    assert rows_of(document) == [
        ["title", "note"],
        ['\'=HYPERLINK("http://evil")', 'says "hi", twice'],
        ["line one\nline two", ""],
        ["7", "'@me"],
    ]
