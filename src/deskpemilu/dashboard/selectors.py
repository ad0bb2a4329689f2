"""What a recap page shows: one contest in one region, provisional beside verified.

The numbers come from `results.recap.region_recap` (rollups, O(children)); this module adds the
labels, percentages, the party → candidate grouping and the ETag that live polling uses.
Callers fetch the region through `accounts.access.get_region_for` first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import Count, Max
from django.urls import reverse

from deskpemilu.accounts.models import User
from deskpemilu.regions.models import Level, Region
from deskpemilu.results.contests import ContestInfo, DapilInfo, dapil_for
from deskpemilu.results.models import Party, Rollup, RollupKind, Sheet
from deskpemilu.results.selectors import recap_for
from deskpemilu.results.selectors import variant as reader_variant
from deskpemilu.tally.recap import legislative_party_totals, shares

KELURAHAN_LEVELS = (Level.KELURAHAN, Level.DESA)
PARTY = "party"


def key_order(key: str) -> tuple[int, int, str]:
    """Ballot order: party 4 before 4.1 before 4.2 before 5; anything odd last."""
    party, _, candidate = key.partition(".")
    if party.isdigit() and (candidate == "" or candidate.isdigit()):
        return int(party), int(candidate or 0), ""
    return 10**6, 0, key


def is_party_key(key: str) -> bool:
    return "." not in key


def sheet_path(contest: str, tps_code: str) -> str:
    """The sheet page of the results app (linked by path: it is another app's page)."""
    return f"/hasil/{contest}/{tps_code}/"


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


@dataclass(frozen=True)
class Line:
    """A row of the totals: a paslon, a DPD candidate, a party (with its candidates) or a
    candidate. `votes` are the reader's figures (provisional: every counted sheet; verified only
    for a blind re-entrant), `verified` count only verified sheets; percentages are shares of the
    votes counted of the same kind, by largest remainder (`tally.recap.shares`), so they sum to
    exactly 100 and the chart, the table, the PDF and the portal agree to the last digit."""

    key: str
    label: str
    short: str
    votes: int
    verified: int
    percent: float
    verified_percent: float
    party_only: int = 0  # a party's own column (without its candidates)
    party_only_verified: int = 0
    candidates: tuple[Line, ...] = ()
    rank: int = 0


@dataclass(frozen=True)
class Child:
    code: str
    name: str
    level: str
    href: str
    tps_total: int
    tps_reported: int
    tps_verified: int
    suara_sah: int
    suara_tidak_sah: int
    votes: list[int]
    status: str = ""
    tps_held: int = 0

    @property
    def reported_percent(self) -> float:
        return percent(self.tps_reported, self.tps_total)

    @property
    def verified_percent(self) -> float:
        return percent(self.tps_verified, self.tps_total)


@dataclass(frozen=True)
class RecapPage:
    region: Region
    contest: ContestInfo
    provisional: dict[str, Any]
    verified: dict[str, Any]
    lines: list[Line]
    columns: list[tuple[str, str, str]]  # key, short label, full label (children table)
    children: list[Child]
    dapil: DapilInfo | None
    updated_at: datetime | None
    # True when the reader may read verified figures only (a blind re-entrant of the contest).
    verified_only: bool = False

    @property
    def tps_held(self) -> int:
        """Sheets held out of every total ("perlu diperiksa" or returned)."""
        return int(self.provisional.get("tps_held", 0))

    @property
    def is_party(self) -> bool:
        return self.contest.kind == PARTY

    @property
    def show_candidates(self) -> bool:
        return self.is_party and self.dapil is not None

    @property
    def is_kelurahan(self) -> bool:
        return self.region.level in KELURAHAN_LEVELS

    @property
    def tps_total(self) -> int:
        return int(self.provisional["tps_total"])

    @property
    def tps_reported(self) -> int:
        return int(self.provisional["tps_reported"])

    @property
    def tps_verified(self) -> int:
        return int(self.provisional["tps_verified"])

    @property
    def reported_percent(self) -> float:
        return percent(self.tps_reported, self.tps_total)

    @property
    def verified_percent(self) -> float:
        return percent(self.tps_verified, self.tps_total)


def parties() -> dict[str, Party]:
    return {str(p.number): p for p in Party.objects.all()}


def _dapils(contest: ContestInfo) -> list[DapilInfo]:
    # DapilInfo holds dicts, so it is not hashable: deduplicate by id.
    return list({d.id: d for d in contest.dapil_by_region.values()}.values())


def configured_keys(contest: ContestInfo, dapil: DapilInfo | None) -> list[str]:
    """The choice keys a region's table lists: its dapil's, or (a region over several dapil)
    the keys every dapil shares, i.e. no candidates."""
    if dapil is not None:
        return list(dapil.keys)
    keys = {k for d in _dapils(contest) for k in d.keys if is_party_key(k)}
    return sorted(keys, key=key_order)


def choice_labels(
    contest: ContestInfo, dapil: DapilInfo | None, party_rows: dict[str, Party]
) -> dict[str, tuple[str, str]]:
    """key → (short label, full label)."""
    labels: dict[str, tuple[str, str]] = {}
    for d in _dapils(contest):
        for key, label in d.labels.items():
            if is_party_key(key):
                labels.setdefault(key, (key, label))
    if dapil is not None:
        labels.update({k: (k, v) for k, v in dapil.labels.items()})
    if contest.kind == PARTY:
        for key, party in party_rows.items():
            labels[key] = (party.abbr, party.name)
    return labels


def _line(
    key: str,
    labels: dict[str, tuple[str, str]],
    votes: dict[str, int],
    verified: dict[str, int],
    sah: tuple[int, int],
) -> Line:
    short, label = labels.get(key, (key, key))
    v, vv = int(votes.get(key, 0)), int(verified.get(key, 0))
    return Line(key, label, short, v, vv, percent(v, sah[0]), percent(vv, sah[1]))


def _with_shares(lines: list[Line]) -> list[Line]:
    """The lines with their largest-remainder shares of the votes counted (summing to 100)."""
    ordered = sorted(lines, key=lambda ln: key_order(ln.key))
    mine = shares({ln.key: ln.votes for ln in ordered})
    verified = shares({ln.key: ln.verified for ln in ordered})
    return [
        replace(ln, percent=float(mine[ln.key]), verified_percent=float(verified[ln.key]))
        for ln in lines
    ]


def _party_lines(
    keys: list[str],
    labels: dict[str, tuple[str, str]],
    totals: dict[str, int],
    verified_totals: dict[str, int],
    sah: tuple[int, int],
    with_candidates: bool,
) -> list[Line]:
    party_votes = legislative_party_totals(totals)
    party_verified = legislative_party_totals(verified_totals)
    every = set(keys) | set(totals) | set(verified_totals)
    lines = []
    for party in sorted({k.partition(".")[0] for k in every}, key=key_order):
        candidates: tuple[Line, ...] = ()
        if with_candidates:
            ranked = sorted(
                (k for k in every if k.partition(".")[0] == party and not is_party_key(k)),
                key=lambda k: (-int(totals.get(k, 0)), key_order(k)),
            )
            candidates = tuple(
                replace(_line(k, labels, totals, verified_totals, sah), rank=i)
                for i, k in enumerate(ranked, start=1)
            )
        lines.append(
            replace(
                _line(party, labels, party_votes, party_verified, sah),
                party_only=int(totals.get(party, 0)),
                party_only_verified=int(verified_totals.get(party, 0)),
                candidates=candidates,
            )
        )
    return lines


def _verified_numbers(region: Region, contest: ContestInfo) -> dict[str, Any]:
    row = Rollup.objects.filter(
        region=region, contest_id=contest.code, kind=RollupKind.VERIFIED
    ).first()
    if row is None:
        return {"totals": {}, "suara_sah": 0, "suara_tidak_sah": 0}
    return {
        "totals": dict(row.totals),
        "suara_sah": row.suara_sah,
        "suara_tidak_sah": row.suara_tidak_sah,
    }


def _child_votes(totals: dict[str, int], columns: list[str], party: bool) -> list[int]:
    source = legislative_party_totals(totals) if party else totals
    return [int(source.get(k, 0)) for k in columns]


def _children(
    data: dict[str, Any], contest: ContestInfo, columns: list[str], party: bool
) -> list[Child]:
    rows = []
    for c in data["children"]:
        is_tps = c["level"] == "tps"
        href = (
            sheet_path(contest.code, c["code"])
            if is_tps
            else reverse("recap", args=[contest.code, c["code"]])
        )
        rows.append(
            Child(
                c["code"],
                c["name"],
                c["level"],
                href,
                c["tps_total"],
                c["tps_reported"],
                c["tps_verified"],
                c.get("suara_sah", 0),
                c.get("suara_tidak_sah", 0),
                _child_votes(c["totals"], columns, party),
                c.get("status", ""),
                c.get("tps_held", 0),
            )
        )
    return rows


def recap_page(region: Region, contest: ContestInfo, user: User | None) -> RecapPage:
    """What `user` may read of the recap: provisional figures, or verified ones only for a
    blind re-entrant (`results.selectors.recap_for`); held sheets are out of both."""
    provisional = recap_for(user, region, contest)
    verified = _verified_numbers(region, contest)
    dapil = dapil_for(contest, region.code)
    party = contest.kind == PARTY
    party_rows = parties() if party else {}
    labels = choice_labels(contest, dapil, party_rows)
    keys = configured_keys(contest, dapil)
    sah = (int(provisional["suara_sah"]), int(verified["suara_sah"]))
    totals, verified_totals = provisional["totals"], verified["totals"]
    if party:
        lines = _party_lines(keys, labels, totals, verified_totals, sah, dapil is not None)
    else:
        every = sorted(set(keys) | set(totals) | set(verified_totals), key=key_order)
        lines = [_line(k, labels, totals, verified_totals, sah) for k in every]
    lines = _with_shares(lines)
    columns = [(ln.key, ln.short, ln.label) for ln in lines]
    children = _children(provisional, contest, [c[0] for c in columns], party)
    stamp = provisional.get("updated_at")
    return RecapPage(
        region,
        contest,
        provisional,
        verified,
        lines,
        columns,
        children,
        dapil,
        datetime.fromisoformat(stamp) if stamp else None,
        bool(provisional["verified_only"]),
    )


def live_etag(region: Region, contest: ContestInfo, user: User | None, *, variant: str) -> str:
    """Changes whenever a number on the page can change, in one or two small queries: the
    region's rollups move with every accepted version below it, and a kelurahan's TPS rows
    (statuses) move with its sheets. `variant` separates language and reader."""
    stamps = sorted(
        Rollup.objects.filter(region=region, contest_id=contest.code).values_list(
            "kind", "updated_at", "tps_reported", "suara_sah"
        )
    )
    basis = f"{variant}|{reader_variant(user, contest)}|{contest.code}|{region.code}|{stamps}"
    if region.level in KELURAHAN_LEVELS:
        sheets = Sheet.objects.filter(contest_id=contest.code, tps__kelurahan=region).aggregate(
            at=Max("updated_at"), n=Count("id")
        )
        basis += f"|{sheets['at']}|{sheets['n']}"
    return '"' + hashlib.sha256(basis.encode()).hexdigest()[:32] + '"'
