"""A printable recap in the layout of KPU's D.Hasil: one column per sub-region (the kelurahan of
a kecamatan) plus the total, one row per item of the form (voters, ballots, votes per choice,
valid and invalid votes).

The rollups keep only what the recap pages need, so this reads the current versions of the
region's sheets in one query (a kecamatan holds a few hundred) and sums them here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from deskpemilu.dashboard.selectors import (
    PARTY,
    choice_labels,
    configured_keys,
    is_party_key,
    key_order,
    parties,
)
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region, Tps
from deskpemilu.results.contests import ContestInfo, dapil_for
from deskpemilu.results.models import RollupKind, Sheet
from deskpemilu.results.selectors import counted as counted_sheets
from deskpemilu.tally.recap import legislative_party_totals

# (section, label, the administrasi fields summed)
ADMIN_ROWS: list[tuple[str, object, tuple[str, ...]]] = [
    ("I", _("Pemilih dalam DPT — laki-laki"), ("pemilih_dpt_l",)),
    ("I", _("Pemilih dalam DPT — perempuan"), ("pemilih_dpt_p",)),
    ("I", _("Pemilih dalam DPT — jumlah"), ("pemilih_dpt_l", "pemilih_dpt_p")),
    ("I", _("Pengguna hak pilih DPT"), ("pengguna_dpt_l", "pengguna_dpt_p")),
    ("I", _("Pengguna hak pilih DPTb"), ("pengguna_dptb_l", "pengguna_dptb_p")),
    ("I", _("Pengguna hak pilih DPK"), ("pengguna_non_dpt_l", "pengguna_non_dpt_p")),
    (
        "I",
        _("Jumlah pengguna hak pilih"),
        (
            "pengguna_dpt_l",
            "pengguna_dpt_p",
            "pengguna_dptb_l",
            "pengguna_dptb_p",
            "pengguna_non_dpt_l",
            "pengguna_non_dpt_p",
        ),
    ),
    ("II", _("Surat suara diterima (termasuk cadangan 2%)"), ("surat_suara_diterima",)),
    ("II", _("Surat suara dikembalikan/rusak"), ("surat_suara_rusak",)),
    ("II", _("Surat suara tidak digunakan"), ("surat_suara_tidak_digunakan",)),
    ("II", _("Surat suara digunakan"), ("surat_suara_digunakan",)),
]


@dataclass(frozen=True)
class Row:
    section: str
    label: str
    values: list[int]  # one per column, then the total
    strong: bool = False
    indent: bool = False


@dataclass(frozen=True)
class Column:
    code: str
    name: str
    tps_total: int
    tps_counted: int


@dataclass(frozen=True)
class DHasil:
    region: Region
    contest: ContestInfo
    verified_only: bool
    columns: list[Column]
    tps_total: int
    tps_counted: int
    admin_rows: list[Row]
    vote_rows: list[Row]
    valid_rows: list[Row]
    with_candidates: bool


def _columns(region: Region, election: str) -> list[Column]:
    """The children of `region`, with their TPS count in the contest's `election` (each
    election has its own TPS: README, "TPS per election")."""
    if len(region.code) == 10:
        rows = Tps.every.filter(kelurahan=region, election_id=election).only("code", "number")
        return [Column(t.code, f"TPS {t.number:03d}", 1, 0) for t in rows]
    children = installation.children_of(region)
    return [Column(c.code, c.name, c.counts_in(election)[0], 0) for c in children]


def _row(section: str, label: object, sums: list[Counter[str]], fields: tuple[str, ...]) -> Row:
    values = [sum(s.get(f, 0) for f in fields) for s in sums]
    return Row(section, str(label), [*values, sum(values)])


def dhasil(region: Region, contest: ContestInfo, *, verified_only: bool = False) -> DHasil:
    columns = _columns(region, contest.election)
    index = {c.code: i for i, c in enumerate(columns)}
    width = len(columns[0].code) if columns else 0
    admin = [Counter[str]() for _ in columns]
    votes = [Counter[str]() for _ in columns]
    counted = [0 for _ in columns]
    # The counted sheets only (`counting.counts_in`): a held sheet adds to no column.
    kind = RollupKind.VERIFIED if verified_only else RollupKind.PROVISIONAL
    sheets = Sheet.objects.filter(contest_id=contest.code, tps__code__startswith=region.code)
    sheets = sheets.filter(counted_sheets(kind))
    rows = sheets.exclude(current=None).values_list(
        "tps_id", "current__administrasi", "current__suara"
    )
    for tps_code, administrasi, suara in rows:
        i = index.get(tps_code[:width])
        if i is None:
            continue
        admin[i].update(administrasi)
        votes[i].update(suara)
        counted[i] += 1
    columns = [Column(c.code, c.name, c.tps_total, counted[i]) for i, c in enumerate(columns)]
    dapil = dapil_for(contest, region.code)
    party = contest.kind == PARTY
    labels = choice_labels(contest, dapil, parties() if party else {})
    keys = set(configured_keys(contest, dapil)) | {k for v in votes for k in v}
    vote_rows = _vote_rows(sorted(keys, key=key_order), votes, labels, party, dapil is not None)
    valid = [
        _row("V", _("Jumlah suara sah"), admin, ("suara_sah",)),
        _row("V", _("Jumlah suara tidak sah"), admin, ("suara_tidak_sah",)),
        _row("V", _("Jumlah suara sah dan tidak sah"), admin, ("suara_sah", "suara_tidak_sah")),
    ]
    return DHasil(
        region,
        contest,
        verified_only,
        columns,
        sum(c.tps_total for c in columns),
        sum(counted),
        [_row(s, label, admin, fields) for s, label, fields in ADMIN_ROWS],
        vote_rows,
        [Row(r.section, r.label, r.values, strong=True) for r in valid],
        party and dapil is not None,
    )


def _vote_rows(
    keys: list[str],
    votes: list[Counter[str]],
    labels: dict[str, tuple[str, str]],
    party: bool,
    with_candidates: bool,
) -> list[Row]:
    def values(per_column: list[int]) -> list[int]:
        return [*per_column, sum(per_column)]

    if not party:
        return [
            Row("IV", f"{k}. {labels.get(k, (k, k))[1]}", values([v.get(k, 0) for v in votes]))
            for k in keys
        ]
    # A party's total is its own column plus every candidate's, shown or not.
    party_totals = [legislative_party_totals(v) for v in votes]
    rows: list[Row] = []
    for p in sorted({k.partition(".")[0] for k in keys}, key=key_order):
        name = labels.get(p, (p, p))[1]
        candidates = [k for k in keys if k.partition(".")[0] == p and not is_party_key(k)]
        if with_candidates:
            own = values([v.get(p, 0) for v in votes])
            rows.append(Row("IV", f"{p}. {name} — {_('suara partai')}", own))
            rows += [
                Row(
                    "IV",
                    f"{k} {labels.get(k, (k, k))[1]}",
                    values([v.get(k, 0) for v in votes]),
                    indent=True,
                )
                for k in candidates
            ]
        total = values([t.get(p, 0) for t in party_totals])
        rows.append(Row("IV", f"{p}. {name} — {_('jumlah')}", total, strong=True))
    return rows
