"""The situation's lists as one XLSX workbook: a sheet per list (every open incident and request
in full) and an Info sheet with the audit head. Each sheet is a list of columns: the header and
the key (or function) that gives the cell of a row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from deskpemilu.core.heads import head_text
from deskpemilu.core.spreadsheet import XlsxBook
from deskpemilu.situation.reports.labels import CONDITION_LABEL
from deskpemilu.situation.selectors import AGES, SEVERITIES

# (header, key of the item or a function of it)
Field = tuple[str, str | Callable[[Any], object]]

RESULTS: list[Field] = [
    ("kontes", "contest"),
    ("nama", "name"),
    ("tps_total", "tps_total"),
    ("tps_masuk", "tps_reported"),
    ("tps_terverifikasi", "tps_verified"),
    ("suara_sah", "suara_sah"),
    ("suara_tidak_sah", "suara_tidak_sah"),
    ("suara_sah_terverifikasi", "verified_suara_sah"),
    ("suara_tidak_sah_terverifikasi", "verified_suara_tidak_sah"),
]
PPWP: list[Field] = [
    ("nomor", "key"),
    ("pasangan_calon", "label"),
    ("sementara", "votes"),
    ("persen", "percent"),
    ("terverifikasi", "verified"),
    ("persen_terverifikasi", "verified_percent"),
]
READINESS: list[Field] = [
    ("kode", "code"),
    ("kecamatan", "name"),
    ("tps_total", "tps_total"),
    ("tps_melapor", lambda c: c.get("tps_reported", 0)),
    ("tps_siap", "tps_ready"),
    ("persen_siap", "percent_ready"),
    ("tps_masalah", lambda c: c.get("tps_problem", 0)),
]
OPEN_INCIDENTS: list[Field] = [
    ("nomor", "number"),
    ("kategori", "category"),
    ("tingkat", "severity"),
    ("status", "status"),
    ("kode_wilayah", lambda x: x.get("region_code", "")),
    ("dilaporkan", lambda x: x.get("reported_at", "")),
    ("lewat_tenggat", lambda x: "ya" if x.get("overdue") else ""),
]
HEALTH: list[Field] = [
    ("kecamatan", "kecamatan"),
    ("nama", "name"),
    ("kasus", "total"),
    ("terbuka", "open"),
    *[(condition, condition) for condition in CONDITION_LABEL],
]
OPEN_REQUESTS: list[Field] = [
    ("nomor", "number"),
    ("jenis", "kind"),
    ("kode_wilayah", "region_code"),
    ("peminta", "requested_by_agency"),
    ("dibutuhkan", "needed_by"),
    ("status", "status"),
    ("tenggat", "due"),
]


def _severity_fields(i: dict[str, Any]) -> list[Field]:
    """Open incidents per severity (the rows, by their value) and by age."""

    def age(key: str) -> Callable[[str], object]:
        return lambda sev: i["by_age"][sev][key]

    return [
        ("tingkat", lambda sev: sev),
        ("terbuka", lambda sev: i["by_severity"][sev]),
        *[(key, age(key)) for key, _l, _b in AGES],
    ]


def _sheet(book: XlsxBook, name: str, fields: Sequence[Field], items: Iterable[Any]) -> None:
    book.sheet(name, [header for header, _get in fields]).extend(
        [[get(item) if callable(get) else item[get] for _header, get in fields] for item in items]
    )


def situation_workbook(
    data: dict[str, Any],
    *,
    incidents: Sequence[dict[str, Any]],
    requests: Sequence[dict[str, Any]],
) -> bytes:
    """The situation's lists, one sheet each (every open incident and request in full), and an
    Info sheet with the audit head."""
    book = XlsxBook()
    _sheet(book, "Hasil", RESULTS, data["results"])
    if data["ppwp"]:
        _sheet(book, "PPWP", PPWP, data["ppwp"]["lines"])
    _sheet(book, "Kesiapan", READINESS, data["readiness"]["children"])
    _sheet(book, "Kejadian per tingkat", _severity_fields(data["incidents"]), SEVERITIES)
    _sheet(book, "Kejadian terbuka", OPEN_INCIDENTS, incidents)
    if data["health"]:
        _sheet(book, "Kesehatan", HEALTH, data["health"]["by_kecamatan"])
    _sheet(book, "Permintaan terbuka", OPEN_REQUESTS, requests)
    info = book.sheet("Info")
    info.append(["Laporan situasi Desk Pemilu", data["region"]["name"]])
    info.append(["Keadaan pada", data["at"]])
    info.append(["Kepala rantai audit", head_text(data["audit"]["seq"], data["audit"]["head"])])
    return book.to_bytes()
