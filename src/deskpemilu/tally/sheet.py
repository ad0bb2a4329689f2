"""A C.Hasil sheet: its structure, its arithmetic, and the signs that it was misread.

Field names follow KPU Sirekap's published JSON (CONTRACT.md). A sheet is checked in three steps,
each returning Problems with codes from `tally.codes`:

1. `parse_sheet`: structure (a missing or unknown key, a value that is not a whole number
   0–1000). Any problem here: refused, nothing stored.
2. `arithmetic_problems`: the sums a correct form satisfies. Refused unless the operator confirms
   the form really says so, with a note; then stored and flagged.
3. `misread_signs`: stored, flagged for the desk.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from deskpemilu.tally.codes import Problem

ADMINISTRASI_REQUIRED = (
    "pemilih_dpt_l",
    "pemilih_dpt_p",
    "pengguna_dpt_l",
    "pengguna_dpt_p",
    "pengguna_dptb_l",
    "pengguna_dptb_p",
    "pengguna_non_dpt_l",
    "pengguna_non_dpt_p",
    "surat_suara_diterima",
    "surat_suara_digunakan",
    "surat_suara_rusak",
    "surat_suara_tidak_digunakan",
    "suara_sah",
    "suara_tidak_sah",
)
# Section III of the form (voters with disabilities): optional, 0 when absent.
ADMINISTRASI_OPTIONAL = (
    "pemilih_disabilitas_l",
    "pemilih_disabilitas_p",
    "pengguna_disabilitas_l",
    "pengguna_disabilitas_p",
)
TOP_LEVEL = {"administrasi", "suara", "catatan", "konfirmasi_tidak_konsisten"}
MAX_VALUE = 1000
MAX_NOTE = 2000


@dataclass(frozen=True)
class Sheet:
    administrasi: dict[str, int]
    suara: dict[str, int]
    catatan: str = ""
    konfirmasi_tidak_konsisten: bool = False

    def get(self, key: str) -> int:
        return self.administrasi.get(key, 0)

    @property
    def dpt(self) -> int:
        return self.get("pemilih_dpt_l") + self.get("pemilih_dpt_p")

    @property
    def voters(self) -> int:
        return sum(
            self.get(f"pengguna_{kind}_{sex}")
            for kind in ("dpt", "dptb", "non_dpt")
            for sex in ("l", "p")
        )

    @property
    def suara_sah(self) -> int:
        return self.get("suara_sah")

    @property
    def digunakan(self) -> int:
        return self.get("surat_suara_digunakan")


@dataclass
class Parsed:
    sheet: Sheet | None
    problems: list[Problem] = field(default_factory=list)


def _whole_number(value: Any, path: str, problems: list[Problem]) -> int:
    # JSON true/false are not numbers, though Python's bool is an int.
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(Problem("bukan_bilangan_bulat", path))
        return 0
    if value < 0:
        problems.append(Problem("bilangan_negatif", path))
    elif value > MAX_VALUE:
        problems.append(Problem("bilangan_terlalu_besar", path))
    return int(value)


def _numbers(
    section: Any,
    name: str,
    required: Sequence[str],
    optional: Sequence[str],
    problems: list[Problem],
) -> dict[str, int]:
    if not isinstance(section, Mapping):
        problems.append(Problem("bukan_objek", name))
        return {}
    result: dict[str, int] = {}
    for key in required:
        if key not in section:
            problems.append(Problem("kunci_wajib", f"{name}.{key}"))
    for key, value in section.items():
        if key not in required and key not in optional:
            problems.append(Problem("kunci_tidak_dikenal", f"{name}.{str(key)[:50]}"))
            continue
        result[key] = _whole_number(value, f"{name}.{key}", problems)
    return result


def _storable(text: str) -> bool:
    """No NUL (PostgreSQL refuses it in text) and no lone surrogate (what a JSON "\\ud800"
    escape decodes to: no character, and no database can encode it). The same check as
    core.text.storable, here so that `tally` imports only the standard library."""
    return "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text)


def parse_sheet(body: Any, choices: Sequence[str]) -> Parsed:
    """Check the structure of a sheet body against the contest's choice keys."""
    problems: list[Problem] = []
    if not isinstance(body, Mapping):
        return Parsed(None, [Problem("bukan_objek", "")])
    for key in body:
        if key not in TOP_LEVEL:
            problems.append(Problem("kunci_tidak_dikenal", str(key)[:50]))
    for key in ("administrasi", "suara"):
        if key not in body:
            problems.append(Problem("kunci_wajib", key))
    administrasi = _numbers(
        body.get("administrasi", {}),
        "administrasi",
        ADMINISTRASI_REQUIRED,
        ADMINISTRASI_OPTIONAL,
        problems,
    )
    suara = _numbers(body.get("suara", {}), "suara", choices, (), problems)
    catatan = body.get("catatan", "")
    if catatan is None:
        catatan = ""
    if not isinstance(catatan, str) or not _storable(catatan):
        problems.append(Problem("bukan_teks", "catatan"))
        catatan = ""
    elif len(catatan) > MAX_NOTE:
        problems.append(Problem("catatan_terlalu_panjang", "catatan"))
    confirm = body.get("konfirmasi_tidak_konsisten", False)
    if not isinstance(confirm, bool):
        problems.append(Problem("bukan_boolean", "konfirmasi_tidak_konsisten"))
        confirm = False
    if problems:
        return Parsed(None, problems)
    return Parsed(Sheet(administrasi, suara, catatan.strip(), confirm))


# The sums a correctly filled C.Hasil satisfies (GLOSSARY.md, last section), as data: each
# side is a list of terms, a term an `administrasi` key or "suara.*" (every vote of section IV).
# The same table is served as JSON to the entry page (`rulebook.describe`), whose script
# evaluates it offline: one description, so the two cannot drift.
VOTERS = tuple(
    f"pengguna_{kind}_{sex}" for kind in ("dpt", "dptb", "non_dpt") for sex in ("l", "p")
)
ALL_VOTES = "suara.*"


@dataclass(frozen=True)
class SumRule:
    """`left` must equal `right`; else `code`, at `field`, with "(left ≠ right)"."""

    code: str
    field: str
    left: tuple[str, ...]
    right: tuple[str, ...]


@dataclass(frozen=True)
class AtMostRule:
    """`key` must not exceed `limit`; else `code`, at `administrasi.<key>`."""

    code: str
    key: str
    limit: str


SUM_RULES = (
    SumRule(
        "pengguna_tidak_sama_digunakan",
        "administrasi.surat_suara_digunakan",
        VOTERS,
        ("surat_suara_digunakan",),
    ),
    SumRule(
        "surat_suara_tidak_seimbang",
        "administrasi.surat_suara_diterima",
        ("surat_suara_diterima",),
        ("surat_suara_digunakan", "surat_suara_rusak", "surat_suara_tidak_digunakan"),
    ),
    SumRule("suara_sah_tidak_sama_rincian", "administrasi.suara_sah", ("suara_sah",), (ALL_VOTES,)),
    SumRule(
        "sah_tidak_sah_tidak_sama_digunakan",
        "administrasi.suara_tidak_sah",
        ("suara_sah", "suara_tidak_sah"),
        ("surat_suara_digunakan",),
    ),
)
AT_MOST_RULES = tuple(
    AtMostRule("pengguna_dpt_melebihi_dpt", f"pengguna_dpt_{sex}", f"pemilih_dpt_{sex}")
    for sex in ("l", "p")
)


def _total(sheet: Sheet, terms: Sequence[str]) -> int:
    return sum(sum(sheet.suara.values()) if t == ALL_VOTES else sheet.get(t) for t in terms)


def arithmetic_problems(sheet: Sheet) -> list[Problem]:
    """The sums a correctly filled C.Hasil satisfies (GLOSSARY.md, last section)."""
    problems: list[Problem] = []
    for rule in SUM_RULES:
        left, right = _total(sheet, rule.left), _total(sheet, rule.right)
        if left != right:
            problems.append(Problem(rule.code, rule.field, f"({left} ≠ {right})"))
    for limit in AT_MOST_RULES:
        if sheet.get(limit.key) > sheet.get(limit.limit):
            problems.append(Problem(limit.code, f"administrasi.{limit.key}"))
    return problems


# Valid votes above the sheet's own DPT + 2% (KawalPemilu's rule).
DPT_MARGIN_PERCENT = 102


@dataclass(frozen=True)
class Context:
    """What the desk knows around a sheet: master DPT, the TPS's other ballots, neighbours."""

    master_dpt: int | None = None
    max_voters: int = 300
    # Ballots used on the TPS's other contests (their current sheets).
    other_ballots_used: Sequence[int] = ()
    # The same contest's votes per choice at neighbouring TPS (same kelurahan).
    neighbour_votes: Sequence[Mapping[str, int]] = ()


def misread_signs(sheet: Sheet, context: Context) -> list[Problem]:
    signs: list[Problem] = []
    if sheet.dpt and sheet.suara_sah * 100 > sheet.dpt * DPT_MARGIN_PERCENT:
        signs.append(Problem("suara_sah_melebihi_dpt", "administrasi.suara_sah"))
    if context.master_dpt is not None and sheet.dpt != context.master_dpt:
        signs.append(
            Problem(
                "dpt_beda_data_induk",
                "administrasi.pemilih_dpt_l",
                f"({sheet.dpt} ≠ {context.master_dpt})",
            )
        )
    for key, votes in sheet.suara.items():
        if votes > context.max_voters:
            signs.append(Problem("pilihan_melebihi_batas", f"suara.{key}"))
    signs += turnout_signs(sheet.digunakan, context.other_ballots_used)
    signs += neighbour_signs(sheet.suara, context.neighbour_votes)
    if sheet.konfirmasi_tidak_konsisten:
        signs.append(Problem("dikonfirmasi_tidak_konsisten", "konfirmasi_tidak_konsisten"))
    return signs


# Signs that depend on other sheets, re-checked when those sheets change: the other ballots of
# the same TPS, and the same contest at neighbouring TPS.
TURNOUT_CODES = frozenset({"partisipasi_beda_antar_surat"})
NEIGHBOUR_CODES = frozenset({"digit_bergeser", "kolom_tertukar"})


def turnout_signs(used: int, other_ballots_used: Sequence[int]) -> list[Problem]:
    """Ballots used on this sheet far from those used on the TPS's other ballots."""
    for other in other_ballots_used:
        if abs(other - used) > max(3, 0.02 * max(other, used)):
            return [
                Problem(
                    "partisipasi_beda_antar_surat",
                    "administrasi.surat_suara_digunakan",
                    f"({used} / {other})",
                )
            ]
    return []


def _median(values: Sequence[int]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def one_digit_variants(value: int) -> set[int]:
    """Every number that differs from `value` in exactly one decimal digit (same length,
    or with the leading digit dropped: 617 → 17 …)."""
    text = str(value)
    variants = set()
    for i, ch in enumerate(text):
        for d in "0123456789":
            if d != ch:
                variants.add(int(text[:i] + d + text[i + 1 :]))
    if len(text) > 1:
        variants.add(int(text[1:]))
    variants.discard(value)
    return variants


def _plausible(value: float, median: float) -> bool:
    return median * 0.5 - 10 <= value <= median * 2 + 10


MIN_NEIGHBOURS = 3


def neighbour_signs(
    suara: Mapping[str, int], neighbours: Sequence[Mapping[str, int]]
) -> list[Problem]:
    """Digit shifts and swapped columns, judged against the medians of neighbouring TPS."""
    if len(neighbours) < MIN_NEIGHBOURS:
        return []
    medians = {k: _median([n.get(k, 0) for n in neighbours]) for k in suara}
    return _signs_against(suara, medians)


def neighbourhood_signs(votes: Sequence[Mapping[str, int]]) -> list[list[Problem]]:
    """The signs of every sheet of a kelurahan, each judged against all the others: equal to
    `neighbour_signs(votes[i], votes[:i] + votes[i + 1 :])` for each i, but each column is
    sorted once and each median left out of it, not re-sorted per sheet (a kelurahan of 25
    TPS re-judges 24 sheets on every write, inside its lock)."""
    if len(votes) - 1 < MIN_NEIGHBOURS:
        return [[] for _ in votes]
    columns: dict[str, list[int]] = {}
    result = []
    for suara in votes:
        medians = {}
        for key, value in suara.items():
            if key not in columns:
                columns[key] = sorted(v.get(key, 0) for v in votes)
            medians[key] = _median_without(columns[key], value)
        result.append(_signs_against(suara, medians))
    return result


def _median_without(ordered: Sequence[int], value: int) -> float:
    """`_median` of `ordered` (sorted) with one occurrence of `value` left out."""
    gone = bisect_left(ordered, value)

    def at(i: int) -> int:
        return ordered[i] if i < gone else ordered[i + 1]

    mid = (len(ordered) - 1) // 2
    if (len(ordered) - 1) % 2:
        return float(at(mid))
    return (at(mid - 1) + at(mid)) / 2


def _signs_against(suara: Mapping[str, int], medians: Mapping[str, float]) -> list[Problem]:
    signs: list[Problem] = []
    for key, votes in suara.items():
        median = medians[key]
        if _plausible(votes, median) or abs(votes - median) < 30:
            continue
        if any(_plausible(v, median) for v in one_digit_variants(votes)):
            signs.append(Problem("digit_bergeser", f"suara.{key}", f"({votes}; ~{median:.0f})"))
    keys = sorted(suara)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            va, vb, ma, mb = suara[a], suara[b], medians[a], medians[b]
            as_is = abs(va - ma) + abs(vb - mb)
            swapped = abs(vb - ma) + abs(va - mb)
            if abs(ma - mb) >= 30 and swapped * 3 < as_is and as_is >= max(30, 0.3 * (ma + mb)):
                signs.append(Problem("kolom_tertukar", f"suara.{a}", f"({a} ↔ {b})"))
    return signs
