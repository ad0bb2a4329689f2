"""Recap and per-TPS results as tables, written as CSV or XLSX.

Written by core/spreadsheet.py, which keeps every text cell from running as a formula. Each
file carries the audit head hash at the time of export: the CSV in its last row, the XLSX in
its "Info" sheet, and both in the X-Audit-Head response header.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from deskpemilu.accounts.models import User
from deskpemilu.core.heads import head_text
from deskpemilu.core.spreadsheet import XlsxBook, csv_bytes
from deskpemilu.dashboard.selectors import (
    PARTY,
    RecapPage,
    choice_labels,
    configured_keys,
    key_order,
    parties,
)
from deskpemilu.regions import installation
from deskpemilu.regions.models import Level, Region, Tps
from deskpemilu.results.contests import ContestInfo, DapilInfo, dapil_for
from deskpemilu.results.models import Sheet
from deskpemilu.results.selectors import published, reader_kind
from deskpemilu.tally.recap import legislative_party_totals

AUDIT_LABEL = "Kepala rantai audit"


@dataclass(frozen=True)
class Table:
    title: str  # the worksheet's name
    header: list[str]
    rows: list[list[object]]
    info: list[list[object]] = field(default_factory=list)


def _user_rows(table: Table) -> Iterable[list[object]]:
    yield list(table.header)
    yield from table.rows


def _audit_line(audit: tuple[int, str], at: datetime) -> list[object]:
    return [AUDIT_LABEL, head_text(*audit), at.strftime("%Y-%m-%d %H:%M:%S %z")]


def write_csv(table: Table, *, audit: tuple[int, str], at: datetime) -> bytes:
    return csv_bytes([*_user_rows(table), [], _audit_line(audit, at)])


def write_xlsx(table: Table, *, audit: tuple[int, str], at: datetime) -> bytes:
    book = XlsxBook()
    book.sheet(table.title).extend(_user_rows(table))
    book.sheet("Info").extend([*table.info, _audit_line(audit, at)])
    return book.to_bytes()


# A recap column: (what it sums, the choice key, its header). "party" sums a party's own column
# and its candidates'; "key" is one column of section IV as entered.
Column = tuple[str, str, str]


def _recap_columns(page: RecapPage) -> list[Column]:
    if not page.is_party:
        return [("key", line.key, f"{line.key} {line.label}") for line in page.lines]
    columns: list[Column] = []
    for line in page.lines:
        columns.append(("party", line.key, f"{line.key} {line.short} jumlah"))
        if page.show_candidates:
            columns.append(("key", line.key, f"{line.key} {line.short} suara partai"))
            columns += [
                ("key", c.key, f"{c.key} {c.label}")
                for c in sorted(line.candidates, key=lambda c: key_order(c.key))
            ]
    return columns


def recap_table(page: RecapPage, *, verified_only: bool) -> Table:
    """The region's children and its own total; one column per line of the page (for a
    legislative contest each party's total, and inside one dapil its own votes and candidates).
    The children's rows are the reader's figures (verified only for a blind re-entrant); the
    total row follows `verified_only`."""
    columns = _recap_columns(page)
    header = [
        "kode",
        "nama",
        "tingkat",
        "tps_total",
        "tps_dilaporkan",
        "tps_terverifikasi",
        "suara_sah",
        "suara_tidak_sah",
    ]
    header += [c[2] for c in columns]
    header.append("tps_ditahan")  # last, so that the choice columns keep their places
    verified_only = verified_only or page.verified_only
    kind = "terverifikasi" if verified_only else "sementara"
    data = page.verified if verified_only else page.provisional
    rows: list[list[object]] = []
    for child in page.provisional["children"]:
        rows.append(_recap_row(child, columns))
    own = {
        "code": page.region.code,
        "name": f"Jumlah {page.region.name}",
        "level": page.region.level,
        "tps_total": page.tps_total,
        "tps_reported": page.tps_reported,
        "tps_verified": page.tps_verified,
        "tps_held": page.tps_held,
        "suara_sah": data["suara_sah"],
        "suara_tidak_sah": data["suara_tidak_sah"],
        "totals": data["totals"],
    }
    rows.append(_recap_row(own, columns))
    info: list[list[object]] = [
        ["Desk Pemilu", "rekap hasil", kind],
        ["kontes", page.contest.code, page.contest.name],
        ["wilayah", page.region.code, page.region.name],
    ]
    if page.verified_only:
        info.append(["catatan", "hanya lembar terverifikasi (entri ganda buta)"])
    elif verified_only:
        info.append(["catatan", "baris wilayah anak: angka sementara; baris jumlah: terverifikasi"])
    info.append(["catatan", "tps_ditahan: perlu diperiksa atau dikembalikan, di luar jumlah"])
    return Table(f"Rekap {page.contest.short_name}", header, rows, info)


def _recap_row(data: dict[str, Any], columns: list[Column]) -> list[object]:
    totals: dict[str, int] = dict(data.get("totals") or {})
    party_totals = legislative_party_totals(totals)
    row: list[object] = [
        data["code"],
        data["name"],
        data["level"],
        data["tps_total"],
        data["tps_reported"],
        data["tps_verified"],
        data.get("suara_sah", 0),
        data.get("suara_tidak_sah", 0),
    ]
    for what, key, _header in columns:
        row.append(party_totals.get(key, 0) if what == "party" else totals.get(key, 0))
    row.append(data.get("tps_held", 0))
    return row


ADMIN_SUM = {
    "pengguna": (
        "pengguna_dpt_l",
        "pengguna_dpt_p",
        "pengguna_dptb_l",
        "pengguna_dptb_p",
        "pengguna_non_dpt_l",
        "pengguna_non_dpt_p",
    ),
}


# The TPS's own columns, before one column per choice.
TPS_HEADER = [
    "kode_tps",
    "kecamatan",
    "kelurahan",
    "nomor",
    "alamat",
    "status",
    "versi",
    "dpt_data_induk",
    "dpt_lembar",
    "pengguna",
    "suara_sah",
    "suara_tidak_sah",
    "tanda",
    "catatan",
]


def tps_table(region: Region, contest: ContestInfo, tps: QuerySet[Tps], user: User | None) -> Table:
    """One row per TPS of the region (reported or not), one column per choice. The caller
    scopes `tps` to what the reader may see. A sheet's numbers, flags and note are printed only
    where `results.selectors.published` lets the reader read them and the sheet counts in the
    totals they read; the other rows keep their status with empty numbers."""
    dapil = dapil_for(contest, region.code)
    party = contest.kind == PARTY
    labels = choice_labels(contest, dapil, parties() if party else {})
    tps_rows = list(
        tps.filter(code__startswith=installation.prefix(region.code))
        .order_by("code")
        .only("code", "kelurahan_id", "number", "address", "dpt_l", "dpt_p")
    )
    under = installation.prefix(region.code)
    every = Sheet.objects.filter(contest_id=contest.code, tps__code__startswith=under)
    statuses = dict(every.exclude(current=None).values_list("tps_id", "status"))
    sheets = {s.tps_id: s for s in every.filter(published(user, contest)).select_related("current")}
    ordered = sorted(_choice_keys(region, contest, dapil, sheets.values()), key=key_order)
    names = dict(
        Region.objects.filter(
            code__startswith=installation.prefix(region.code[:6]),
            level__in=[Level.KECAMATAN, Level.KELURAHAN],
        ).values_list("code", "name")
    )
    header = TPS_HEADER + [_choice_header(key, labels.get(key), party) for key in ordered]
    rows = [_tps_row(t, sheets.get(t.code), statuses.get(t.code), names, ordered) for t in tps_rows]
    reported = sum(1 for t in tps_rows if t.code in statuses)
    what = (
        "lembar terhitung (sementara)"
        if reader_kind(user, contest) == "sementara"
        else "hanya lembar terverifikasi"
    )
    info: list[list[object]] = [
        ["Desk Pemilu", "hasil per TPS", what],
        ["kontes", contest.code, contest.name],
        ["wilayah", region.code, region.name],
        ["jumlah TPS", len(rows), "dilaporkan", reported],
    ]
    return Table(f"TPS {contest.short_name}", header, rows, info)


def _choice_keys(
    region: Region, contest: ContestInfo, dapil: DapilInfo | None, sheets: Iterable[Sheet]
) -> set[str]:
    """The choices of the region's dapil (of every dapil it spans when it has none of its own)
    and any other key a sheet the reader reads carries."""
    keys = set(configured_keys(contest, dapil))
    if dapil is None:
        for d in {d.id: d for d in contest.dapil_by_region.values()}.values():
            if any(code.startswith(region.code) for code in _dapil_codes(contest, d.id)):
                keys |= set(d.keys)
    for sheet in sheets:
        assert sheet.current is not None
        keys |= set(sheet.current.suara)
    return keys


def _choice_header(key: str, label: tuple[str, str] | None, party: bool) -> str:
    if label is None:  # a candidate of one of several dapil: the key says it all
        return key
    if party:
        return f"{key} {label[0]}" + ("" if "." in key else " suara partai")
    return f"{key} {label[1]}"


def _dapil_codes(contest: ContestInfo, dapil_id: int) -> list[str]:
    return [code for code, d in contest.dapil_by_region.items() if d.id == dapil_id]


def _tps_row(
    tps: Tps, sheet: Sheet | None, status: str | None, names: dict[str, str], keys: list[str]
) -> list[object]:
    row: list[object] = [
        tps.kpu_code,
        names.get(tps.code[:6], ""),
        names.get(tps.kelurahan_id, ""),
        tps.number,
        tps.address,
    ]
    version = sheet.current if sheet is not None else None
    if sheet is None or version is None:
        # Not reported, or numbers the reader may not read (pending in a blind contest, held).
        return [*row, status or "belum", "", tps.dpt, "", "", "", "", "", ""] + ["" for _ in keys]
    a = version.administrasi
    row += [
        sheet.status,
        version.number,
        tps.dpt,
        int(a.get("pemilih_dpt_l", 0)) + int(a.get("pemilih_dpt_p", 0)),
        sum(int(a.get(f, 0)) for f in ADMIN_SUM["pengguna"]),
        a.get("suara_sah", 0),
        a.get("suara_tidak_sah", 0),
        sheet.flag_codes,
        version.catatan,
    ]
    return row + [version.suara.get(k, 0) for k in keys]
