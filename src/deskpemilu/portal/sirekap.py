"""Reading KPU Sirekap's published per-TPS JSON.

Sirekap (2024) published one JSON per TPS and ballot at
`.../pemilu/hhcw/ppwp/52/5271/527101/5271011004/5271011004001.json`:

    {"chart": {"100025": 60, "100026": 120, "100027": 30, "null": null},
     "images": ["https://.../5271011004001-20240214-...jpg", ...],
     "administrasi": {"suara_sah": 210, "suara_total": 214, "pemilih_dpt_l": 120, ...,
                      "pengguna_dpt_j": 210, "suara_tidak_sah": 4, ...},
     "psu": null, "ts": "2024-02-15 10:00:00", "status_suara": true, "status_adm": true}

The desk's sheet body uses the same `administrasi` names (CONTRACT.md). KPU keys the paslon
votes in `chart` by its own candidate ids; the mapping we assume for PPWP 2024 is
`PPWP_CHART_IDS` (100025 Anies–Muhaimin = 1, 100026 Prabowo–Gibran = 2, 100027 Ganjar–Mahfud
= 3); another mapping can be given (a JSON file `{"<chart id>": "<choice key>"}`). A file may
instead carry `"suara": {"1": 60, ...}` keyed by the desk's choice keys.

The TPS is named by the file (`5271011004001.json`) or a field `kode_tps`. One file may also
hold many TPS: a list of records with `kode_tps`, or an object keyed by TPS code. Values that
Sirekap left `null` are unknown, not zero; a file without any number yet is counted as empty.
Pure: no database; the caller says which choice keys a TPS has.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from deskpemilu.tally.sheet import ADMINISTRASI_REQUIRED

PPWP_CHART_IDS: dict[str, str] = {"100025": "1", "100026": "2", "100027": "3"}
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ZIP_BYTES = 200 * 1024 * 1024  # uncompressed total: a kota's TPS are a few MB
MAX_FILES = 100_000
MAX_VALUE = 1_000_000
CODE_FIELDS = ("kode_tps", "kode")
# The sheet's administrasi (CONTRACT.md) plus the totals Sirekap publishes beside them.
ADMIN_FIELDS = ADMINISTRASI_REQUIRED
SIREKAP_TOTALS: dict[str, tuple[str, ...]] = {
    "pemilih_dpt_j": ("pemilih_dpt_l", "pemilih_dpt_p"),
    "pengguna_dpt_j": ("pengguna_dpt_l", "pengguna_dpt_p"),
    "pengguna_dptb_j": ("pengguna_dptb_l", "pengguna_dptb_p"),
    "pengguna_non_dpt_j": ("pengguna_non_dpt_l", "pengguna_non_dpt_p"),
    "pengguna_total_j": (
        "pengguna_dpt_l",
        "pengguna_dpt_p",
        "pengguna_dptb_l",
        "pengguna_dptb_p",
        "pengguna_non_dpt_l",
        "pengguna_non_dpt_p",
    ),
    "suara_total": ("suara_sah", "suara_tidak_sah"),
}
KNOWN_ADMIN = set(ADMIN_FIELDS) | set(SIREKAP_TOTALS)


@dataclass(frozen=True)
class Problem:
    file: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Record:
    """One TPS as KPU published it, in the desk's choice keys."""

    tps: str
    file: str
    administrasi: dict[str, int]
    suara: dict[str, int]
    published_at: str = ""
    images: list[str] = field(default_factory=list)
    sha256: str = ""


@dataclass
class Reading:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)  # TPS codes published without numbers
    files: int = 0
    digest: Any = field(default_factory=hashlib.sha256)

    @property
    def sha256(self) -> str:
        return str(self.digest.hexdigest())


class SirekapError(ValueError):
    """The input as a whole cannot be read (not a file, a directory or a zip of JSON)."""


# --- Files ------------------------------------------------------------------------------------


def files_in_path(path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every JSON under a directory, of a .json file, or inside a .zip."""
    if path.is_dir():
        names = sorted(p for p in path.rglob("*.json") if p.is_file())
        if len(names) > MAX_FILES:
            raise SirekapError(f"lebih dari {MAX_FILES} berkas")
        for p in names:
            yield str(p.relative_to(path)), _read_capped(p)
    elif path.suffix.lower() == ".zip":
        yield from files_in_zip(path.read_bytes(), path.name)
    elif path.is_file():
        yield path.name, _read_capped(path)
    else:
        raise SirekapError(f"{path}: bukan berkas atau direktori")


def _read_capped(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(MAX_FILE_BYTES + 1)


def files_in_zip(data: bytes, name: str) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SirekapError(f"{name}: bukan berkas zip") from exc
    entries = sorted(
        (i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith(".json")),
        key=lambda i: i.filename,
    )
    if len(entries) > MAX_FILES:
        raise SirekapError(f"{name}: lebih dari {MAX_FILES} berkas")
    total = 0
    for info in entries:
        # The sizes in the directory can lie (a zip bomb): read at most the cap, then check.
        with archive.open(info) as f:
            content = f.read(MAX_FILE_BYTES + 1)
        total += len(content)
        if total > MAX_ZIP_BYTES:
            raise SirekapError(f"{name}: isi zip terlalu besar")
        yield info.filename, content


def expand_uploads(uploads: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    """Uploaded files: JSON as they are, zips opened."""
    for name, data in uploads:
        if name.lower().endswith(".zip"):
            yield from files_in_zip(data, name)
        else:
            yield name, data


# --- Records ------------------------------------------------------------------------------------


def _count(value: Any) -> int | None:
    """A whole number ≥ 0, None for null; ValueError otherwise (JSON true is not a number)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(value)
    number = int(value)
    if not 0 <= number <= MAX_VALUE:
        raise ValueError(value)
    return number


def _numbers(raw: Any, allowed: set[str] | None) -> tuple[dict[str, int], list[str]]:
    """Non-null counts of an object; the keys whose value is not a count are returned apart."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        raise TypeError
    result, bad = {}, []
    for key, value in raw.items():
        if key == "null" or (allowed is not None and key not in allowed):
            continue
        try:
            number = _count(value)
        except ValueError:
            bad.append(str(key))
            continue
        if number is not None:
            result[str(key)] = number
    return result, bad


def _tps_code(stem: str, raw: Mapping[str, Any]) -> str:
    for name in CODE_FIELDS:
        value = raw.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value).replace(".", "").strip()
    return stem


def _images(raw: Any) -> list[str]:
    if not isinstance(raw, list):
        return []
    return [u for u in raw if isinstance(u, str) and u.startswith("https://") and len(u) < 500][:10]


def _suara(
    raw: Mapping[str, Any], mapping: Mapping[str, str], keys: set[str]
) -> tuple[dict[str, int], str]:
    """Votes by the desk's choice keys, or ("", problem code)."""
    chart, bad = _numbers(raw.get("chart"), None)
    suara, bad_suara = _numbers(raw.get("suara"), None)
    if bad or bad_suara:
        return {}, "angka_tidak_valid"
    votes: dict[str, int] = {}
    for key, value in chart.items():
        choice = mapping.get(key, key)
        if choice not in keys:
            return {}, "pilihan_tidak_dikenal"
        votes[choice] = votes.get(choice, 0) + value
    for key, value in suara.items():
        if key not in keys:
            return {}, "pilihan_tidak_dikenal"
        votes[key] = value
    return votes, ""


MESSAGES = {
    "json_tidak_valid": "Bukan JSON yang dapat dibaca.",
    "berkas_terlalu_besar": "Berkas lebih dari 2 MB.",
    "bentuk_tidak_dikenal": "Bukan data Sirekap per TPS (tidak ada administrasi/chart/suara).",
    "kode_tps_tidak_valid": "Kode TPS tidak dikenali (nama berkas 13 digit atau kode_tps).",
    "tps_tidak_dikenal": "TPS tidak ada di data induk wilayah ini.",
    "angka_tidak_valid": "Ada nilai yang bukan bilangan bulat 0–1.000.000.",
    "pilihan_tidak_dikenal": "Ada kunci chart/suara yang tidak dikenal (lihat pemetaan).",
    "tps_ganda": "TPS ini sudah ada di berkas lain dalam impor yang sama.",
}


def _problem(name: str, code: str, detail: str = "") -> Problem:
    message = MESSAGES[code] + (f" ({detail})" if detail else "")
    return Problem(name, code, message)


def _is_record(raw: Any) -> bool:
    return isinstance(raw, dict) and any(k in raw for k in ("administrasi", "chart", "suara"))


def _entries(name: str, raw: Any) -> Iterator[tuple[str, Any]]:
    """(TPS code or stem, record) of a file: one record, a list of them, or an object keyed by
    TPS code."""
    stem = PurePosixPath(name).stem
    if _is_record(raw):
        yield _tps_code(stem, raw), raw
    elif isinstance(raw, list):
        for item in raw:
            yield (_tps_code("", item) if isinstance(item, dict) else ""), item
    elif isinstance(raw, dict):
        for key, item in raw.items():
            code = _tps_code(str(key), item) if isinstance(item, dict) else str(key)
            yield code, item
    else:
        yield stem, raw


def read_files(
    files: Iterable[tuple[str, bytes]],
    *,
    choice_keys: Callable[[str], set[str] | None],
    mapping: Mapping[str, str] = PPWP_CHART_IDS,
) -> Reading:
    """Every record of `files`. `choice_keys(tps_code)` answers the TPS's choice keys, or None
    when the TPS is not in the master data. Problems are collected per file, never raised."""
    reading = Reading()
    seen: set[str] = set()
    for name, data in files:
        reading.files += 1
        reading.digest.update(name.encode() + b"\0" + data + b"\0")
        if len(data) > MAX_FILE_BYTES:
            reading.problems.append(_problem(name, "berkas_terlalu_besar"))
            continue
        try:
            raw = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            reading.problems.append(_problem(name, "json_tidak_valid"))
            continue
        for code, item in _entries(name, raw):
            _read_record(reading, seen, name, data, code, item, choice_keys, mapping)
    return reading


def _read_record(
    reading: Reading,
    seen: set[str],
    name: str,
    data: bytes,
    code: str,
    raw: Any,
    choice_keys: Callable[[str], set[str] | None],
    mapping: Mapping[str, str],
) -> None:
    label = f"{name}#{code}" if code and code != PurePosixPath(name).stem else name
    if not _is_record(raw):
        reading.problems.append(_problem(label, "bentuk_tidak_dikenal"))
        return
    if not (code.isdigit() and len(code) == 13):
        reading.problems.append(_problem(label, "kode_tps_tidak_valid", code[:20]))
        return
    keys = choice_keys(code)
    if keys is None:
        reading.problems.append(_problem(label, "tps_tidak_dikenal", code))
        return
    if code in seen:
        reading.problems.append(_problem(label, "tps_ganda", code))
        return
    try:
        administrasi, bad = _numbers(raw.get("administrasi"), KNOWN_ADMIN)
    except TypeError:
        reading.problems.append(_problem(label, "bentuk_tidak_dikenal"))
        return
    try:
        suara, problem = _suara(raw, mapping, keys)
    except TypeError:
        reading.problems.append(_problem(label, "bentuk_tidak_dikenal"))
        return
    if bad or problem:
        reading.problems.append(_problem(label, problem or "angka_tidak_valid", ", ".join(bad)))
        return
    seen.add(code)
    if not administrasi and not suara:
        reading.empty.append(code)
        return
    published = raw.get("ts")
    reading.records.append(
        Record(
            tps=code,
            file=name,
            administrasi=administrasi,
            suara=suara,
            published_at=published[:40] if isinstance(published, str) else "",
            images=_images(raw.get("images")),
            sha256=hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest(),
        )
    )


def read_mapping(data: bytes) -> dict[str, str]:
    """A mapping file: `{"<Sirekap chart id>": "<choice key>"}`."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SirekapError("pemetaan bukan JSON") from exc
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int) and not isinstance(v, bool)
        for k, v in raw.items()
    ):
        raise SirekapError('pemetaan harus berbentuk {"<id chart>": "<nomor pilihan>"}')
    return {k: str(v) for k, v in raw.items()}


# --- Writing (tests, and anyone who wants to hand the desk's data to a Sirekap-shaped tool) ---


def to_sirekap(
    administrasi: Mapping[str, int],
    suara: Mapping[str, int],
    *,
    chart_ids: Mapping[str, str] = PPWP_CHART_IDS,
    ts: str = "",
) -> dict[str, Any]:
    """A desk sheet as Sirekap publishes it: `chart` by KPU ids, the `_j` totals added."""
    by_choice = {v: k for k, v in chart_ids.items()}
    admin: dict[str, Any] = dict(administrasi)
    for total, parts in SIREKAP_TOTALS.items():
        if all(p in administrasi for p in parts):
            admin[total] = sum(int(administrasi[p]) for p in parts)
    chart: dict[str, Any] = {by_choice.get(k, k): v for k, v in suara.items()}
    chart["null"] = None
    return {
        "chart": chart,
        "images": [],
        "administrasi": admin,
        "psu": None,
        "ts": ts,
        "status_suara": True,
        "status_adm": True,
    }
