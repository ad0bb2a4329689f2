"""The one spreadsheet writer: no text it writes runs as a formula, in a cell or the '# …' line."""

import csv
import io

import pytest
from openpyxl import load_workbook

from deskpemilu.core.spreadsheet import XlsxBook, csv_bytes, safe_cell

HOSTILE = ['=HYPERLINK("http://x","y")', "+62 812", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_is_written_as_text(text) -> None:
    assert safe_cell(text) == "'" + text
    book = XlsxBook()
    book.sheet("Data", [text], bold=True).append([text, 5, -8.5])
    sheet = load_workbook(io.BytesIO(book.to_bytes()))["Data"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["A2"].value == "'" + text
    assert sheet["B2"].value == 5 and sheet["C2"].value == -8.5


def test_plain_values_are_kept() -> None:
    assert [safe_cell(v) for v in ("Pejeruk", "", 7, None, -1.5)] == ["Pejeruk", "", 7, None, -1.5]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_the_line_above_a_csv_cannot_start_a_formula(delimiter) -> None:
    name = 'Kel. X,=cmd|" /C calc"!A0;@SUM(1)\n=2'
    data = csv_bytes([["kode", "nama"], ["1", name]], preamble=f"# Rekap {name}; audit #3")
    rows = list(csv.reader(io.StringIO(data.decode()), delimiter=delimiter))
    cells = [c.strip() for row in rows for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    assert data.decode().startswith("# Rekap")
