"""The one writer of every CSV and XLSX the desk hands out, with the formula guard in one place.

A cell whose text starts with = + - @ (or a tab or carriage return, which some spreadsheets skip
before looking) is run as a formula when the file is opened: `=HYPERLINK("http://x","y")` in an
incident description became a live link in the export. Every text cell written here gets a
leading apostrophe instead, which spreadsheets show as plain text. Exports build their rows and
hand them to `csv_bytes` or `XlsxBook`; none writes cells of its own.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """`value` as a spreadsheet will show it, never run it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: Iterable[object]) -> list[object]:
    return [safe_cell(v) for v in row]


# A separator or line break, then (after blanks and quotes) a formula character.
_SPLIT_FORMULA = re.compile(r"""([,;\t\r\n][\s"]*)([=+\-@])""")


def _csv_text(text: str) -> str:
    """A CSV cell's text, safe also where a spreadsheet splits it: Excel in an Indonesian locale
    reads a CSV with semicolons, so "a;=cmd" in one cell here can be a cell "=cmd" there."""
    return _SPLIT_FORMULA.sub(r"\1'\2", text)


def safe_csv_cell(value: object) -> object:
    value = safe_cell(value)
    return _csv_text(value) if isinstance(value, str) else value


def safe_preamble(text: str) -> str:
    """A '# …' line above a CSV's header, made safe: it names regions and contests, and a
    spreadsheet splits it into cells at every comma (or semicolon). One line, no double quotes
    (a quoted field would hide a separator), and no piece of it starting with a formula."""
    return _csv_text(" ".join(text.splitlines()).replace('"', "'"))


def csv_bytes(
    rows: Iterable[Iterable[object]], *, preamble: str = "", lineterminator: str = "\r\n"
) -> bytes:
    """UTF-8 CSV of `rows`, every cell guarded; `preamble` (a '# …' line) goes first."""
    buffer = io.StringIO(newline="")
    if preamble:
        buffer.write(safe_preamble(preamble) + lineterminator)
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerows([safe_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


class XlsxSheet:
    def __init__(self, book: XlsxBook, sheet: Any) -> None:
        self._book = book
        self._sheet = sheet

    def append(self, row: Iterable[object], *, bold: bool = False) -> None:
        values = safe_row(row)
        if not bold:
            self._sheet.append(values)
            return
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        cells = []
        for value in values:
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.font = Font(bold=True)
            cells.append(cell)
        self._sheet.append(cells)

    def extend(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.append(row)

    def widths(self, columns: dict[str, float]) -> None:
        for column, width in columns.items():
            self._sheet.column_dimensions[column].width = width

    def freeze(self, cell: str) -> None:
        self._sheet.freeze_panes = cell


class XlsxBook:
    """A write-only workbook (rows streamed, little memory) whose every cell is guarded."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)

    def sheet(self, title: str, header: Sequence[object] = (), *, bold: bool = False) -> XlsxSheet:
        # Excel refuses these characters in a worksheet's name, and names above 31 characters.
        name = "".join("-" if c in "[]:*?/\\" else c for c in title)[:31] or "Data"
        sheet = XlsxSheet(self, self._book.create_sheet(name))
        if header:
            sheet.append(header, bold=bold)
        return sheet

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()

    def to_file(self) -> IO[bytes]:
        """The workbook in a temporary file, rewound (for a large export streamed out)."""
        target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, closed by it
        self._book.save(target)
        target.seek(0)
        return target
