"""Hostile workbooks for the import tests and benchmarks/hostile_uploads.py: small files that
would take a reader minutes (a zip bomb, a sheet that claims a million rows, endless rows)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    '<row r="1">'
    + "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip(
            "ABCDEFG", ["kode_tps", "nomor", "alamat", "dpt_l", "dpt_p", "lat", "lon"], strict=True
        )
    )
    + "</row>"
)


def _workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def with_sheet(parts: list[bytes] | bytes, repeat: int = 1) -> bytes:
    """A real workbook whose first sheet is replaced by `parts` (the middle part repeated)."""
    original = zipfile.ZipFile(io.BytesIO(_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in original.infolist():
            if item.filename != SHEET:
                archive.writestr(item, original.read(item))
                continue
            with archive.open(SHEET, "w", force_zip64=True) as sheet:
                if isinstance(parts, bytes):
                    sheet.write(parts)
                    continue
                head, middle, tail = parts
                sheet.write(head)
                block = middle * 10_000
                for _ in range(repeat // 10_000):
                    sheet.write(block)
                sheet.write(tail)
    return out.getvalue()


def zip_bomb(unpacked_mb: int = 100) -> bytes:
    """Rows of a TPS list repeated until the sheet unpacks to `unpacked_mb` MB."""
    row = (
        b'<row><c t="inlineStr"><is><t>5271011004001</t></is></c><c><v>1</v></c>'
        b"<c><v>100</v></c><c><v>100</v></c></row>"
    )
    head = (HEAD + "<sheetData>" + HEADER_ROW).encode()
    tail = b"</sheetData></worksheet>"
    return with_sheet([head, row, tail], repeat=unpacked_mb * 1024 * 1024 // len(row))


def dimension_bomb() -> bytes:
    """A few cells in a sheet that declares itself A1:XFD1048576 (every cell of Excel)."""
    xml = HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>' + HEADER_ROW
    xml += '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    return with_sheet(xml.encode())


def endless_rows(rows: int = 3_000_000) -> bytes:
    """Millions of empty rows, no <dimension>: only counting while reading stops them."""
    head = (HEAD + "<sheetData>" + HEADER_ROW).encode()
    return with_sheet([head, b"<row/>", b"</sheetData></worksheet>"], repeat=rows)
