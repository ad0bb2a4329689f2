"""The cross-check with KPU: the desk's verified sheets beside Sirekap's published numbers, per
TPS and per region — the check KawalPemilu's volunteers did by hand in 2024.

A TPS is
- `cocok` when both sides have it and every number both publish is equal;
- `berbeda` when a number differs (which fields, by how much: KPU minus desk);
- `tidak_di_kpu` when the desk verified it and KPU published nothing (yet);
- `tidak_di_desk` when KPU published it and the desk has no verified sheet (yet).
Only verified sheets count: a provisional entry has not had its second person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from deskpemilu.portal.models import SirekapImport, SirekapTps
from deskpemilu.portal.sirekap import ADMIN_FIELDS, SIREKAP_TOTALS
from deskpemilu.regions.models import BARE_KEY_ELECTION, Level, Region, Tps
from deskpemilu.results.contests import contest_info
from deskpemilu.results.models import Sheet, SheetStatus

MATCH = "cocok"
DIFFERENT = "berbeda"
NOT_AT_KPU = "tidak_di_kpu"
NOT_AT_DESK = "tidak_di_desk"
STATUS_LABELS = {
    MATCH: "Cocok",
    DIFFERENT: "Berbeda",
    NOT_AT_KPU: "Belum ada di KPU",
    NOT_AT_DESK: "Belum terverifikasi di desk",
}
FIELD_LABELS = {
    "pemilih_dpt_l": "DPT laki-laki",
    "pemilih_dpt_p": "DPT perempuan",
    "pengguna_dpt_l": "Pemilih DPT laki-laki",
    "pengguna_dpt_p": "Pemilih DPT perempuan",
    "pengguna_dptb_l": "Pemilih DPTb laki-laki",
    "pengguna_dptb_p": "Pemilih DPTb perempuan",
    "pengguna_non_dpt_l": "Pemilih DPK laki-laki",
    "pengguna_non_dpt_p": "Pemilih DPK perempuan",
    "surat_suara_diterima": "Surat suara diterima",
    "surat_suara_digunakan": "Surat suara digunakan",
    "surat_suara_rusak": "Surat suara rusak",
    "surat_suara_tidak_digunakan": "Surat suara tidak digunakan",
    "suara_sah": "Suara sah",
    "suara_tidak_sah": "Suara tidak sah",
    "pemilih_dpt_j": "DPT jumlah",
    "pengguna_dpt_j": "Pemilih DPT jumlah",
    "pengguna_dptb_j": "Pemilih DPTb jumlah",
    "pengguna_non_dpt_j": "Pemilih DPK jumlah",
    "pengguna_total_j": "Pengguna hak pilih jumlah",
    "suara_total": "Suara sah + tidak sah",
}
KELURAHAN_LEVELS = (Level.KELURAHAN, Level.DESA)


@dataclass(frozen=True)
class Difference:
    field: str  # "suara.2" or "administrasi.suara_sah"
    label: str
    desk: int
    kpu: int

    @property
    def delta(self) -> int:
        return self.kpu - self.desk

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "label": self.label,
            "desk": self.desk,
            "kpu": self.kpu,
            "selisih": self.delta,
        }


def compare(
    desk_admin: Mapping[str, int],
    desk_votes: Mapping[str, int],
    kpu_admin: Mapping[str, int],
    kpu_votes: Mapping[str, int],
    labels: Mapping[str, str] | None = None,
) -> list[Difference]:
    """The numbers both sides have that differ. A number KPU did not publish is unknown, not a
    difference; Sirekap's `_j` totals are compared only where KPU left out their parts."""
    labels = labels or {}
    diffs = []
    for key in sorted(set(desk_votes) | set(kpu_votes), key=_choice_order):
        if key not in kpu_votes:
            continue
        desk, kpu = int(desk_votes.get(key, 0)), int(kpu_votes[key])
        if desk != kpu:
            diffs.append(Difference(f"suara.{key}", labels.get(key, f"Pilihan {key}"), desk, kpu))
    for name in ADMIN_FIELDS:
        if name in kpu_admin and name in desk_admin and kpu_admin[name] != desk_admin[name]:
            diffs.append(
                Difference(
                    f"administrasi.{name}",
                    FIELD_LABELS[name],
                    int(desk_admin[name]),
                    int(kpu_admin[name]),
                )
            )
    for total, parts in SIREKAP_TOTALS.items():
        if total not in kpu_admin or all(p in kpu_admin for p in parts):
            continue
        if not all(p in desk_admin for p in parts):
            continue
        desk_total = sum(int(desk_admin[p]) for p in parts)
        if desk_total != kpu_admin[total]:
            diffs.append(
                Difference(
                    f"administrasi.{total}", FIELD_LABELS[total], desk_total, kpu_admin[total]
                )
            )
    return diffs


def _choice_order(key: str) -> tuple[int, int, str]:
    party, _, candidate = key.partition(".")
    if party.isdigit() and (not candidate or candidate.isdigit()):
        return int(party), int(candidate or 0), ""
    return 10**6, 0, key


@dataclass(frozen=True)
class TpsCheck:
    code: str
    number: int
    kelurahan: str  # code
    status: str
    differences: list[Difference]
    desk_votes: dict[str, int]
    kpu_votes: dict[str, int]
    kpu_published_at: str = ""
    kpu_images: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict[str, Any]:
        return {
            "tps": self.code,
            "status": self.status,
            "differences": [d.as_dict() for d in self.differences],
            "desk": self.desk_votes,
            "kpu": self.kpu_votes,
            "kpu_published_at": self.kpu_published_at,
        }


@dataclass
class Counts:
    code: str
    name: str
    level: str
    tps_total: int = 0
    cocok: int = 0
    berbeda: int = 0
    tidak_di_kpu: int = 0
    tidak_di_desk: int = 0

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    @property
    def compared(self) -> int:
        return self.cocok + self.berbeda

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "tps_total": self.tps_total,
            MATCH: self.cocok,
            DIFFERENT: self.berbeda,
            NOT_AT_KPU: self.tidak_di_kpu,
            NOT_AT_DESK: self.tidak_di_desk,
        }


@dataclass
class RegionCheck:
    region: Region
    contest: str
    counts: Counts
    children: list[Counts]
    tps: list[TpsCheck]  # every TPS with data on either side, by code
    # Sums over the TPS both sides have: choice key → (desk, kpu).
    sums: dict[str, tuple[int, int]]
    latest_import: SirekapImport | None

    @property
    def differing(self) -> list[TpsCheck]:
        return [t for t in self.tps if t.status == DIFFERENT]

    @property
    def missing(self) -> list[TpsCheck]:
        return [t for t in self.tps if t.status in (NOT_AT_KPU, NOT_AT_DESK)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": {
                "code": self.region.code,
                "name": self.region.name,
                "level": self.region.level,
            },
            "contest": self.contest,
            "counts": self.counts.as_dict(),
            "children": [c.as_dict() for c in self.children],
            "tps": [t.as_dict() for t in self.tps if t.status != MATCH],
            "sums": {k: {"desk": d, "kpu": p} for k, (d, p) in self.sums.items()},
            "latest_import": self.latest_import.imported_at.isoformat()
            if self.latest_import
            else None,
        }


def current_kpu(contest: str, prefix: str) -> QuerySet[SirekapTps]:
    return SirekapTps.objects.filter(
        contest_id=contest, is_current=True, tps__code__startswith=prefix
    )


def _desk(contest: str, prefix: str) -> dict[str, tuple[dict[str, int], dict[str, int]]]:
    rows = (
        Sheet.objects.filter(
            contest_id=contest, status=SheetStatus.VERIFIED, tps__code__startswith=prefix
        )
        .exclude(current=None)
        .values_list("tps_id", "current__administrasi", "current__suara")
    )
    return {tps: (admin or {}, votes or {}) for tps, admin, votes in rows}


def check_tps(
    code: str,
    number: int,
    desk: tuple[dict[str, int], dict[str, int]] | None,
    kpu: SirekapTps | None,
    labels: Mapping[str, str] | None = None,
) -> TpsCheck:
    if desk is not None and kpu is not None:
        diffs = compare(desk[0], desk[1], kpu.administrasi, kpu.suara, labels)
        status = DIFFERENT if diffs else MATCH
    else:
        diffs = []
        status = NOT_AT_DESK if desk is None else NOT_AT_KPU
    return TpsCheck(
        code,
        number,
        code[:10],
        status,
        diffs,
        dict(desk[1]) if desk else {},
        dict(kpu.suara) if kpu else {},
        kpu.published_at if kpu else "",
        list(kpu.images) if kpu else [],
    )


def _child_level_length(region: Region) -> int:
    """How many digits of a TPS code name the child a TPS counts under."""
    if region.level in KELURAHAN_LEVELS:
        return 13
    return {2: 4, 4: 6, 6: 10}.get(len(region.code), 13)


def region_check(
    region: Region, contest: str, labels: Mapping[str, str] | None = None
) -> RegionCheck:
    """Every TPS under `region` with data on either side, counted per child region. A fixed
    number of queries, whatever the number of TPS."""
    prefix = region.code
    desk = _desk(contest, prefix)
    kpu = {row.tps_id: row for row in current_kpu(contest, prefix)}
    codes = sorted(set(desk) | set(kpu))
    numbers = dict(Tps.every.filter(code__in=codes).values_list("code", "number"))
    # Keys are storage keys (`<code>@<election>` outside Pemilu 2024); the check shows the KPU
    # code, and counts the TPS of the contest's election (README, "TPS per election").
    checks = [
        check_tps(
            code.partition("@")[0], numbers.get(code, 0), desk.get(code), kpu.get(code), labels
        )
        for code in codes
    ]
    info = contest_info(contest)
    election = info.election if info is not None else BARE_KEY_ELECTION
    length = _child_level_length(region)
    if length == 13:
        kids = [
            Counts(t.kpu_code, f"TPS {t.number:03d}", "tps", 1)
            for t in Tps.every.filter(kelurahan=region, election_id=election).only("code", "number")
        ]
    else:
        kids = [
            Counts(c.code, c.name, c.level, c.counts_in(election)[0])
            for c in Region.objects.filter(parent=region).only(
                "code", "name", "level", "tps_count", "dpt_l", "dpt_p", "election_counts"
            )
        ]
    by_code = {c.code: c for c in kids}
    total = Counts(region.code, region.name, region.level, region.counts_in(election)[0])
    sums: dict[str, list[int]] = {}
    for check in checks:
        total.add(check.status)
        child = by_code.get(check.code[:length])
        if child is not None:
            child.add(check.status)
        if check.status in (MATCH, DIFFERENT):
            for key in set(check.desk_votes) | set(check.kpu_votes):
                pair = sums.setdefault(key, [0, 0])
                pair[0] += int(check.desk_votes.get(key, 0))
                pair[1] += int(check.kpu_votes.get(key, 0))
    latest = SirekapImport.objects.filter(contest_id=contest).first()
    return RegionCheck(
        region,
        contest,
        total,
        kids,
        checks,
        {k: (v[0], v[1]) for k, v in sorted(sums.items(), key=lambda kv: _choice_order(kv[0]))},
        latest,
    )


def differences_table(check: RegionCheck) -> tuple[list[str], list[list[object]]]:
    """One row per differing field of each TPS that is not `cocok` (for CSV/XLSX)."""
    header = ["kode_tps", "status", "isian", "keterangan", "desk", "kpu", "selisih_kpu_desk"]
    rows: list[list[object]] = []
    for t in check.tps:
        if t.status == MATCH:
            continue
        if not t.differences:
            rows.append([t.code, t.status, "", t.status_label, "", "", ""])
        for d in t.differences:
            rows.append([t.code, t.status, d.field, d.label, d.desk, d.kpu, d.delta])
    return header, rows
