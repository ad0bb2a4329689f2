"""Reading the kerawanan list from Polri or Bawaslu: `kode_tps,tingkat,alasan,petugas` (and
optionally `nama_petugas`, names separated by `;`) as XLSX or CSV.

The cells come from the bounded reader of the TPS lists (`regions.tps_file.read_cells`: size,
rows and columns capped before anything is read). Every row is checked and every problem named
by row and column before anything is written; `kerawanan.kerawanan_import` then sets all rows
or none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from deskpemilu.core.spreadsheet import FORMULA_START
from deskpemilu.readiness import kerawanan
from deskpemilu.regions.selectors import active_tps_by_code
from deskpemilu.regions.tps_file import (
    MAX_PROBLEMS,
    RowProblem,
    TpsFileError,
    is_ascii_digits,
    read_cells,
)

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

HEADER = ["kode_tps", "tingkat", "alasan", "petugas"]
OPTIONAL = "nama_petugas"
MAX_ROWS = 1_000_000


class KerawananFileError(TpsFileError):
    """The problems of a file (row, column, message), nothing imported."""


def _tingkat(text: str) -> str:
    """`Sangat Rawan`, `sangat rawan` and `sangat_rawan` are the same level."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def _header(cells: Iterable[list[str]]) -> tuple[list[str], Iterable[list[str]]]:
    iterator = iter(cells)
    header = [h.strip().lower() for h in next(iterator, [])]
    while header and header[-1] == "":
        header.pop()
    if header not in (HEADER, [*HEADER, OPTIONAL]):
        message = _("Header harus persis: %s (kolom nama_petugas boleh ditambahkan)") % ",".join(
            HEADER
        )
        raise KerawananFileError([RowProblem(1, "", message)])
    return header, iterator


def _check_row(
    line: int, values: dict[str, str], seen: dict[str, int], problems: list[RowProblem]
) -> kerawanan.ImportRow | None:
    before = len(problems)
    for column in ("kode_tps", "alasan", OPTIONAL):
        if values.get(column, "").strip().startswith(FORMULA_START[:4]):
            problems.append(RowProblem(line, column, _("rumus/formula tidak diterima")))
    code = values["kode_tps"].strip()
    if not (is_ascii_digits(code) and len(code) == 13):
        problems.append(RowProblem(line, "kode_tps", _("harus 13 digit kode TPS")))
    elif code in seen:
        problems.append(
            RowProblem(line, "kode_tps", _("ganda; sudah ada di baris %s") % seen[code])
        )
    seen.setdefault(code, line)
    raw_officers = values["petugas"].strip() or "0"
    officers: object = (
        int(raw_officers)
        if is_ascii_digits(raw_officers) and len(raw_officers) < 4
        else raw_officers
    )
    names = [n for n in values.get(OPTIONAL, "").split(";") if n.strip()]
    value, found = kerawanan.check_input(
        _tingkat(values["tingkat"]), values["alasan"], officers, names
    )
    for problem in found:
        column = problem["field"].split(".")[0]
        text = problem["message"]
        if column == "petugas" and problem["code"] == "bukan_bilangan_bulat":
            text = _("harus bilangan bulat, bukan “%s”") % raw_officers[:40]
        problems.append(RowProblem(line, column, text))
    if value is None or len(problems) > before:
        return None
    return kerawanan.ImportRow(line, code, value)


def check_rows(
    cells: Iterable[list[str]], actor: User | None
) -> tuple[list[kerawanan.ImportRow], list[RowProblem]]:
    """The rows as read and every problem (about 200 at most); TPS that do not exist, or lie
    outside the actor's scope, are named like any other problem."""
    header, iterator = _header(cells)
    problems: list[RowProblem] = []
    rows: list[kerawanan.ImportRow] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(iterator, start=2):
        if line > MAX_ROWS:
            problems.append(RowProblem(line, "", _("terlalu banyak baris")))
            break
        if len(problems) >= MAX_PROBLEMS:
            break
        if not any(c.strip() for c in raw):
            continue
        if any(c.strip() for c in raw[len(header) :]):
            problems.append(RowProblem(line, "", _("kolom lebih dari %s") % len(header)))
        cells_ = (raw + [""] * len(header))[: len(header)]
        row = _check_row(line, dict(zip(header, cells_, strict=True)), seen, problems)
        if row is not None:
            rows.append(row)
    problems += _unknown_tps(rows, actor)
    return rows, sorted(problems, key=lambda p: p.line)[:MAX_PROBLEMS]


def _unknown_tps(rows: list[kerawanan.ImportRow], actor: User | None) -> list[RowProblem]:
    known = set(active_tps_by_code(r.code for r in rows))
    message = _("TPS tidak dikenal atau di luar wilayah tugas Anda")
    return [
        RowProblem(r.line, "kode_tps", message)
        for r in rows
        if r.code not in known or (actor is not None and not actor.in_scope(r.code))
    ]


def import_file(
    *, actor: User | None, name: str, data: bytes, source: str
) -> kerawanan.ImportResult:
    """Check the whole file, then set every row (all or none). Raises KerawananFileError."""
    kerawanan.refuse_unless_allowed(actor)
    try:
        rows, problems = check_rows(read_cells(name, data), actor)
    except KerawananFileError:
        raise
    except TpsFileError as exc:  # the reader's own refusals: size, format, damage
        raise KerawananFileError(exc.problems) from exc
    if problems:
        raise KerawananFileError(problems)
    if not rows:
        raise KerawananFileError([RowProblem(0, "", _("Berkas tidak berisi baris TPS."))])
    return kerawanan.kerawanan_import(
        actor=actor,
        rows=rows,
        source=source,
        file_name=Path(name).name,
        sha256=hashlib.sha256(data).hexdigest(),
    )
