"""Reading and writing TPS lists: `kode_tps,nomor,alamat,dpt_l,dpt_p,lat,lon` as CSV or XLSX.

Parsing checks every row and collects every problem (row, column, message in Indonesian)
before anything is written; `regions.services.tps_import` then applies all rows or none.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.utils.translation import gettext as _

from deskpemilu.core.spreadsheet import FORMULA_START, XlsxBook, csv_bytes

HEADER = ["kode_tps", "nomor", "alamat", "dpt_l", "dpt_p", "lat", "lon"]
MAX_DPT_PER_SEX = 1000  # a TPS holds at most 300 (Pemilu) or 600 (Pilkada) voters in all
MAX_ROWS = 1_000_000
# An XLSX is a zip: refuse one that would unpack to far more than any TPS list needs (zip bomb).
# openpyxl reads sheet XML at about 7 MB (50,000 rows) a second: the 300 MB allowed before held a
# worker until gunicorn killed it. A province's list unpacks to a few MB; a national one goes as
# CSV, which is read far faster (MAX_ROWS).
MAX_XLSX_UNPACKED = 16 * 1024 * 1024
MAX_XLSX_ROWS = 100_000
# The sheet's declared size (its <dimension>), checked before a row is read: an XLSX of a few
# cells that claims A1:XFD1048576 would have the reader make every empty cell of it.
MAX_XLSX_COLUMNS = 26


MAX_PROBLEMS = 200


@dataclass(frozen=True)
class TpsRow:
    line: int
    code: str
    number: int
    address: str
    dpt_l: int
    dpt_p: int
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.message
        return _("Baris %(line)s, kolom %(col)s: %(msg)s") % {
            "line": self.line,
            "col": self.column or "-",
            "msg": self.message,
        }


class TpsFileError(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _cells_from_csv(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TpsFileError(
            [RowProblem(0, "", _("Berkas bukan teks UTF-8 (simpan sebagai CSV UTF-8)."))]
        ) from exc
    if "\x00" in text:
        raise TpsFileError([RowProblem(0, "", _("Berkas berisi karakter biner."))])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:  # e.g. a cell above the csv module's field size limit
        raise TpsFileError(
            [RowProblem(reader.line_num, "", _("Baris CSV tidak dapat dibaca."))]
        ) from exc


def _unpacked_size(data: bytes) -> int:
    # The sizes the zip declares bound what zipfile will unpack, so they can be trusted here.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _check_dimension(sheet: Any) -> None:
    rows, columns = sheet.max_row, sheet.max_column  # from <dimension>, nothing read yet
    if (rows or 0) > MAX_XLSX_ROWS + 1 or (columns or 0) > MAX_XLSX_COLUMNS:
        message = _("Lembar XLSX terlalu besar: %(rows)s baris × %(cols)s kolom.") % {
            "rows": rows,
            "cols": columns,
        }
        raise TpsFileError([RowProblem(0, "", message)])


def _cells_from_xlsx(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    unreadable = TpsFileError([RowProblem(0, "", _("Berkas XLSX tidak dapat dibaca."))])
    try:
        if _unpacked_size(data) > MAX_XLSX_UNPACKED:
            raise TpsFileError([RowProblem(0, "", _("Berkas XLSX terlalu besar setelah dibuka."))])
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        _check_dimension(sheet)
    except TpsFileError:
        raise
    except Exception as exc:  # zipfile and openpyxl raise many kinds for a damaged file
        raise unreadable from exc
    try:
        # read_only streams the sheet, so damage deep inside the file shows up only here.
        # No more columns than a TPS row can have, however wide a row claims to be.
        for count, row in enumerate(sheet.iter_rows(max_col=MAX_XLSX_COLUMNS, values_only=True)):
            if count > MAX_XLSX_ROWS:
                message = _("Lembar XLSX lebih dari %s baris; kirim sebagai CSV.") % MAX_XLSX_ROWS
                raise TpsFileError([RowProblem(0, "", message)])
            yield ["" if v is None else _xlsx_text(v) for v in row]
    except TpsFileError:
        raise
    except Exception as exc:
        raise unreadable from exc
    finally:
        book.close()


def _xlsx_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_ascii_digits(text: str) -> bool:
    """str.isdigit() alone accepts "²" and other Unicode digits that int() or a code cannot use."""
    return text.isascii() and text.isdigit()


def read_cells(name: str, data: bytes) -> Iterator[list[str]]:
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return _cells_from_xlsx(data)
    if suffix == ".csv":
        return _cells_from_csv(data)
    raise TpsFileError([RowProblem(0, "", _("Format berkas harus .csv atau .xlsx."))])


def _int(
    value: str, line: int, column: str, problems: list[RowProblem], low: int, high: int
) -> int:
    text = value.strip()
    if not is_ascii_digits(text):
        problems.append(RowProblem(line, column, _("harus bilangan bulat, bukan “%s”") % text[:40]))
        return 0
    # Python refuses int() of very long digit strings; no count here needs more than 9 digits.
    number = int(text) if len(text) <= 9 else high + 1
    if not low <= number <= high:
        problems.append(
            RowProblem(
                line, column, _("harus antara %(low)s dan %(high)s") % {"low": low, "high": high}
            )
        )
    return number


def _coord(
    value: str, line: int, column: str, problems: list[RowProblem], limit: float
) -> float | None:
    text = value.strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        problems.append(RowProblem(line, column, _("harus angka desimal, bukan “%s”") % text[:40]))
        return None
    if not -limit <= number <= limit or number != number:
        problems.append(RowProblem(line, column, _("di luar rentang koordinat")))
        return None
    return number


def parse_rows(cells: Iterable[list[str]]) -> list[TpsRow]:
    """Every row checked; raises TpsFileError listing every problem, or returns all rows."""
    rows, problems = check_rows(cells)
    if problems:
        raise TpsFileError(problems)
    return rows


def check_rows(cells: Iterable[list[str]]) -> tuple[list[TpsRow], list[RowProblem]]:
    """Every row checked: the rows as read, and every problem found (about 200 at most).
    A wrong header raises at once, since no row can be read without it."""
    problems: list[RowProblem] = []
    rows: list[TpsRow] = []
    seen: dict[str, int] = {}
    iterator = iter(cells)
    header = [h.strip().lower() for h in next(iterator, [])]
    while header and header[-1] == "":
        header.pop()
    if header != HEADER:
        raise TpsFileError([RowProblem(1, "", _("Header harus persis: %s") % ",".join(HEADER))])
    for line, raw in enumerate(iterator, start=2):
        if line > MAX_ROWS:  # empty rows count too: a million of them is work all the same
            problems.append(RowProblem(line, "", _("terlalu banyak baris")))
            break
        if len(problems) >= MAX_PROBLEMS:
            break  # no more will be shown: the rest of the file is not worth reading
        if not any(c.strip() for c in raw):
            continue
        rows.append(_check_row(line, raw, seen, problems))
        if len(problems) > MAX_PROBLEMS:
            break
    return rows, problems


def _check_row(
    line: int, raw: list[str], seen: dict[str, int], problems: list[RowProblem]
) -> TpsRow:
    """One row as read; its problems are added to `problems`, its code to `seen`."""
    cells_ = (raw + [""] * len(HEADER))[: len(HEADER)]
    if len([c for c in raw[len(HEADER) :] if c.strip()]):
        problems.append(RowProblem(line, "", _("kolom lebih dari %s") % len(HEADER)))
    values = dict(zip(HEADER, cells_, strict=True))
    for column, value in values.items():
        if value.strip().startswith(FORMULA_START[:4]) and column in ("kode_tps", "alamat"):
            problems.append(RowProblem(line, column, _("rumus/formula tidak diterima")))
    code = values["kode_tps"].strip()
    code_ok = is_ascii_digits(code) and len(code) == 13
    if not code_ok:
        problems.append(
            RowProblem(line, "kode_tps", _("harus 13 digit (kode kelurahan + nomor TPS 3 digit)"))
        )
    number = _int(values["nomor"], line, "nomor", problems, 1, 999)
    if code_ok and number and int(code[10:]) != number:
        problems.append(RowProblem(line, "nomor", _("tidak sama dengan 3 digit akhir kode_tps")))
    if code in seen:
        problems.append(
            RowProblem(line, "kode_tps", _("ganda; sudah ada di baris %s") % seen[code])
        )
    seen.setdefault(code, line)
    address = values["alamat"].strip()
    if len(address) > 300:
        problems.append(RowProblem(line, "alamat", _("paling panjang 300 karakter")))
    dpt_l = _int(values["dpt_l"], line, "dpt_l", problems, 0, MAX_DPT_PER_SEX)
    dpt_p = _int(values["dpt_p"], line, "dpt_p", problems, 0, MAX_DPT_PER_SEX)
    lat = _coord(values["lat"], line, "lat", problems, 90)
    lon = _coord(values["lon"], line, "lon", problems, 180)
    if (lat is None) != (lon is None) and not any(
        p.line == line and p.column in ("lat", "lon") for p in problems
    ):
        problems.append(
            RowProblem(
                line,
                "lat" if lat is None else "lon",
                _("lat dan lon harus diisi keduanya atau dikosongkan"),
            )
        )
    return TpsRow(line, code, number, address, dpt_l, dpt_p, lat, lon)


class TpsLike(Protocol):
    """What an export row needs of a TPS (the model, or anything shaped like it)."""

    @property
    def code(self) -> str: ...
    @property
    def number(self) -> int: ...
    @property
    def address(self) -> str: ...
    @property
    def dpt_l(self) -> int: ...
    @property
    def dpt_p(self) -> int: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...


def export_rows(tps_rows: Iterable[TpsLike]) -> Iterator[list[object]]:
    """The import format, row by row (the writers below make text cells formula-safe)."""
    yield list(HEADER)
    for t in tps_rows:
        yield [
            t.code.partition("@")[0],  # the KPU code, whichever election's key (tps_key)
            t.number,
            t.address,
            t.dpt_l,
            t.dpt_p,
            "" if t.lat is None else t.lat,
            "" if t.lon is None else t.lon,
        ]


def write_csv(rows: Iterable[list[object]]) -> str:
    return csv_bytes(rows, lineterminator="\n").decode("utf-8")


def write_xlsx(rows: Iterable[list[object]], info: Iterable[list[object]] = ()) -> bytes:
    """The TPS sheet first (the importer reads the first sheet), then an optional "Info" sheet
    that says where and when the list came from."""
    book = XlsxBook()
    sheet = book.sheet("TPS")
    for row in rows:
        # An empty cell, not an empty string, so the sheet looks as a person would type it.
        sheet.append([None if v == "" else v for v in row])
    info_rows = list(info)
    if info_rows:
        book.sheet("Info").extend(info_rows)
    return book.to_bytes()
