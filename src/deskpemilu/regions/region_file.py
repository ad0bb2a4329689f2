"""The region file: the provinsi → kab/kota → kecamatan → kelurahan/desa of an installation, by
Kemendagri code, and optionally their boundaries (GeoJSON). Reading and checking only; the write
is `regions.services.regions_load`.

    code,name,level,parent_code                  (or kode,nama,tingkat,kode_induk)
    52,Nusa Tenggara Barat,provinsi,
    52.07,Kabupaten Sumbawa Barat,kabupaten,52
    52.07.01,Jereweh,kecamatan,52.07
    52.07.01.2001,Goa,desa,52.07.01

Codes are dotted (52.07.01.2001) or not (5207012001); the level must fit the code's length and
the parent (optional column) must be the code's own prefix. Every problem of the file is
reported, each with its line and an error code, before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from deskpemilu.regions.models import Level
from deskpemilu.regions.tps_file import MAX_PROBLEMS, TpsFileError, read_cells

# Level names a file may use, and the levels a code of each length may have.
LEVELS = {lv.value: lv for lv in Level}
LEVELS_BY_LENGTH = {
    2: {Level.PROVINSI},
    4: {Level.KOTA, Level.KABUPATEN},
    6: {Level.KECAMATAN},
    10: {Level.KELURAHAN, Level.DESA},
}
COLUMNS = {
    "code": ("code", "kode"),
    "name": ("name", "nama"),
    "level": ("level", "tingkat"),
    "parent_code": ("parent_code", "kode_induk"),
}
MAX_NAME = 100  # Region.name
MAX_REGION_ROWS = 100_000  # the whole country has ~91,000 regions
MAX_BOUNDARY_BYTES = 64 * 1024 * 1024
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class RegionProblem:
    line: int  # 0: the file as a whole; for boundaries, the feature's number (1-based)
    code: str  # a stable error code for scripts and tests
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.message} [{self.code}]"
        return _("Baris %(line)s: %(msg)s") % {"line": self.line, "msg": self.message} + (
            f" [{self.code}]"
        )


class RegionFileError(Exception):
    def __init__(self, problems: list[RegionProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class RegionRow:
    line: int
    code: str  # undotted
    name: str
    level: str


@dataclass(frozen=True)
class Boundary:
    code: str
    geometry: dict[str, Any]
    label_lat: float | None
    label_lon: float | None


def undotted_code(text: str) -> str | None:
    """52.07.01.2001 or 5207012001 → 5207012001; None when it is no region code."""
    text = text.strip()
    if "." in text:
        parts = text.split(".")
        widths = [2, 2, 2, 4][: len(parts)]
        if len(parts) > 4 or any(len(p) != w for p, w in zip(parts, widths, strict=True)):
            return None
        text = "".join(parts)
    if not (text.isascii() and text.isdigit()) or len(text) not in LEVELS_BY_LENGTH:
        return None
    return text


def parent_of(code: str) -> str:
    return {2: "", 4: code[:2], 6: code[:4], 10: code[:6]}[len(code)]


def _header(row: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in row]
    found: dict[str, int] = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[key] = names.index(alias)
                break
    return found


def read_regions(name: str, data: bytes) -> tuple[list[RegionRow], list[RegionProblem]]:
    """The sound rows of a region file (.csv or .xlsx) and the problems of the others; a file
    that cannot be read at all raises RegionFileError."""
    try:
        cells = read_cells(name, data)
        rows = list(cells)
    except TpsFileError as exc:  # the reader's own problems (encoding, format, size)
        raise RegionFileError(
            [RegionProblem(p.line, "berkas_tidak_terbaca", p.message) for p in exc.problems]
        ) from exc
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise RegionFileError([RegionProblem(0, "berkas_kosong", _("Berkas kosong."))])
    header = _header(rows[0])
    missing = [k for k in ("code", "name", "level") if k not in header]
    if missing:
        message = _("Kolom wajib tidak ada: %(cols)s (header: code,name,level[,parent_code]).")
        raise RegionFileError(
            [RegionProblem(1, "kolom_hilang", message % {"cols": ", ".join(missing)})]
        )
    if len(rows) - 1 > MAX_REGION_ROWS:
        message = _("Lebih dari %s wilayah dalam satu berkas.") % MAX_REGION_ROWS
        raise RegionFileError([RegionProblem(0, "berkas_terlalu_besar", message)])
    problems: list[RegionProblem] = []
    result: list[RegionRow] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        found = _check_row(number, row, header, seen, problems)
        if found is not None:
            result.append(found)
        if len(problems) >= MAX_PROBLEMS:
            break
    if not result and not problems:
        raise RegionFileError([RegionProblem(0, "berkas_kosong", _("Berkas tanpa wilayah."))])
    return result, problems


def _cell(row: list[str], header: dict[str, int], key: str) -> str:
    index = header.get(key)
    return row[index].strip() if index is not None and index < len(row) else ""


def _check_row(
    line: int,
    row: list[str],
    header: dict[str, int],
    seen: dict[str, int],
    problems: list[RegionProblem],
) -> RegionRow | None:
    raw_code = _cell(row, header, "code")
    code = undotted_code(raw_code)
    if code is None:
        message = _("kode wilayah tidak sah: “%s” (contoh: 52.07 atau 52.07.01.2001)")
        problems.append(RegionProblem(line, "kode_tidak_valid", message % raw_code[:40]))
        return None
    before = len(problems)
    if code in seen:
        message = _("kode %(code)s sudah ada di baris %(line)s")
        problems.append(
            RegionProblem(line, "kode_ganda", message % {"code": raw_code, "line": seen[code]})
        )
    seen.setdefault(code, line)
    name = _cell(row, header, "name")
    if not name:
        problems.append(RegionProblem(line, "nama_kosong", _("nama wilayah kosong")))
    elif any(ord(c) < 32 or ord(c) == 127 for c in name):
        message = _("nama berisi karakter kendali (baris baru, tab…)")
        problems.append(RegionProblem(line, "nama_tidak_sah", message))
    elif len(name) > MAX_NAME:
        message = _("nama lebih dari %s karakter") % MAX_NAME
        problems.append(RegionProblem(line, "nama_terlalu_panjang", message))
    level = LEVELS.get(_cell(row, header, "level").lower())
    if level is None:
        message = _("tingkat “%(level)s” tidak dikenal (%(known)s)") % {
            "level": _cell(row, header, "level")[:20],
            "known": ", ".join(LEVELS),
        }
        problems.append(RegionProblem(line, "tingkat_tidak_dikenal", message))
    elif level not in LEVELS_BY_LENGTH[len(code)]:
        message = _("tingkat %(level)s tidak cocok dengan kode %(code)s") % {
            "level": level.value,
            "code": raw_code,
        }
        problems.append(RegionProblem(line, "tingkat_tidak_cocok", message))
    raw_parent = _cell(row, header, "parent_code")
    if raw_parent and undotted_code(raw_parent) != parent_of(code):
        message = _("induk %(parent)s bukan awalan kode %(code)s") % {
            "parent": raw_parent[:20],
            "code": raw_code,
        }
        problems.append(RegionProblem(line, "induk_tidak_cocok", message))
    if len(problems) > before or level is None:
        return None
    return RegionRow(line, code, name, level.value)


def read_boundaries(data: bytes) -> list[Boundary]:
    """The features of a GeoJSON FeatureCollection: `properties.code` (dotted or not), a
    Polygon or MultiPolygon in lon/lat, and optionally `label_lat`/`label_lng` for the label."""
    if len(data) > MAX_BOUNDARY_BYTES:
        message = _("Berkas batas wilayah lebih dari 64 MB.")
        raise RegionFileError([RegionProblem(0, "batas_terlalu_besar", message)])
    try:
        geo = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        message = _("Berkas batas wilayah bukan GeoJSON (JSON UTF-8).")
        raise RegionFileError([RegionProblem(0, "batas_bukan_geojson", message)]) from exc
    features = geo.get("features") if isinstance(geo, dict) else None
    if not isinstance(features, list) or geo.get("type") != "FeatureCollection":
        message = _("Berkas batas wilayah harus FeatureCollection.")
        raise RegionFileError([RegionProblem(0, "batas_bukan_geojson", message)])
    problems: list[RegionProblem] = []
    result: list[Boundary] = []
    for number, feature in enumerate(features, start=1):
        found = _boundary(number, feature, problems)
        if found is not None:
            result.append(found)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise RegionFileError(problems)
    return result


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _ring(ring: Any) -> bool:
    """A closed linear ring of [lon, lat] positions (RFC 7946 §3.1.6), inside the globe."""
    return (
        isinstance(ring, list)
        and len(ring) >= 4
        and all(
            isinstance(p, list)
            and len(p) >= 2
            and (lon := _number(p[0])) is not None
            and (lat := _number(p[1])) is not None
            and -180 <= lon <= 180
            and -90 <= lat <= 90
            for p in ring
        )
        and ring[0][:2] == ring[-1][:2]
    )


def _polygon(rings: Any) -> bool:
    return isinstance(rings, list) and bool(rings) and all(_ring(r) for r in rings)


def _sound_geometry(kind: Any, coordinates: Any) -> bool:
    """What the maps can draw: a Polygon, or a MultiPolygon of them, with sound rings."""
    if kind == "Polygon":
        return _polygon(coordinates)
    if kind == "MultiPolygon":
        return (
            isinstance(coordinates, list)
            and bool(coordinates)
            and all(_polygon(p) for p in coordinates)
        )
    return False


def _boundary(number: int, feature: Any, problems: list[RegionProblem]) -> Boundary | None:
    props = feature.get("properties") if isinstance(feature, dict) else None
    props = props if isinstance(props, dict) else {}
    raw = str(props.get("code") or (feature.get("id") if isinstance(feature, dict) else "") or "")
    code = undotted_code(raw)
    if code is None:
        message = _("fitur tanpa kode wilayah yang sah (properties.code): “%s”") % raw[:40]
        problems.append(RegionProblem(number, "kode_tidak_valid", message))
        return None
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or not _sound_geometry(
        geometry.get("type"), geometry.get("coordinates")
    ):
        message = _("geometri %s harus Polygon atau MultiPolygon dengan cincin tertutup") % raw
        problems.append(RegionProblem(number, "geometri_tidak_valid", message))
        return None
    return Boundary(
        code,
        {"type": geometry["type"], "coordinates": geometry["coordinates"]},
        _number(props.get("label_lat")),
        _number(props.get("label_lng", props.get("label_lon"))),
    )
