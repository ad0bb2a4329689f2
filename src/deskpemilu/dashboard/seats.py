"""Seat projections per dapil: the dapil's party totals from the rollups of its regions, seats
by Sainte-Laguë (`tally.seats`), optionally after the DPR threshold.

A projection is shown for the dapil that lie wholly inside the region the reader asked for, so
it never sums votes outside the reader's scope. National votes are not in this installation:
the DPR threshold is computed either from this installation's own totals (labelled as such) or
from national totals the reader types in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from deskpemilu.dashboard.selectors import PARTY, is_party_key, key_order, parties, percent
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region
from deskpemilu.results.contests import ContestInfo
from deskpemilu.results.models import Contest, Dapil, Party, Rollup, RollupKind
from deskpemilu.tally.recap import legislative_party_totals, shares
from deskpemilu.tally.seats import passes_threshold, quotient_table, sainte_lague

NO_THRESHOLD = "tanpa"
INSTALLATION = "instalasi"
NATIONAL = "nasional"
THRESHOLD_MODES = (NO_THRESHOLD, INSTALLATION, NATIONAL)


@dataclass(frozen=True)
class Quotient:
    value: Fraction
    divisor: int
    won: bool

    @property
    def decimal(self) -> float:
        return float(self.value)


@dataclass(frozen=True)
class Candidate:
    key: str
    label: str
    votes: int


@dataclass(frozen=True)
class PartyResult:
    key: str
    abbr: str
    name: str
    votes: int
    percent: float
    seats: int
    eligible: bool
    quotients: list[Quotient]
    elected: list[Candidate]  # the candidates with the most votes, one per seat


@dataclass(frozen=True)
class Projection:
    dapil: Dapil
    seats: int
    parties: list[PartyResult]
    votes_total: int
    tps_total: int
    tps_reported: int
    updated_at: datetime | None
    last_quotient: Fraction | None  # the smallest quotient that won a seat

    @property
    def reported_percent(self) -> float:
        return percent(self.tps_reported, self.tps_total)

    @property
    def divisors(self) -> list[int]:
        return [2 * i + 1 for i in range(self.seats)]


@dataclass(frozen=True)
class Threshold:
    mode: str
    percent: Fraction
    basis: dict[str, int] = field(default_factory=dict)
    eligible: set[str] | None = None

    @property
    def applied(self) -> bool:
        return self.eligible is not None


def threshold_percent(contest_code: str) -> Fraction:
    value = Contest.objects.filter(code=contest_code).values_list("threshold_percent", flat=True)
    first = value.first()
    return Fraction(str(first)) if first else Fraction(0)


def _own_regions(dapil: Dapil) -> list[Region]:
    """The dapil's regions without any that another of its regions already contains."""
    rows = list(dapil.regions.all())
    codes = [r.code for r in rows]
    return [r for r in rows if not any(r.code != c and r.code.startswith(c) for c in codes)]


def dapils_within(contest: ContestInfo, region: Region) -> list[Dapil]:
    rows = Dapil.objects.filter(contest_id=contest.code).prefetch_related("regions")
    under = installation.prefix(region.code)  # the nation holds every dapil
    return [
        d
        for d in rows.order_by("code")
        if d.regions.all() and all(r.code.startswith(under) for r in d.regions.all())
    ]


def _elected(
    party: str, seats: int, totals: dict[str, int], labels: dict[str, str]
) -> list[Candidate]:
    keys = [k for k in totals if k.partition(".")[0] == party and not is_party_key(k)]
    ranked = sorted(keys, key=lambda k: (-totals[k], key_order(k)))[:seats]
    return [Candidate(k, labels.get(k, k), totals[k]) for k in ranked if totals[k] > 0]


def project(
    dapil: Dapil,
    rollups: dict[str, Rollup],
    party_rows: dict[str, Party],
    labels: dict[str, str],
    eligible: set[str] | None,
    election: str = "",
) -> Projection:
    regions = _own_regions(dapil)
    totals: Counter[str] = Counter()
    reported = 0
    stamps = []
    for region in regions:
        row = rollups.get(region.code)
        if row is not None:
            totals.update(row.totals)
            reported += row.tps_reported
            if row.updated_at:
                stamps.append(row.updated_at)
    votes = legislative_party_totals(totals)
    for key in party_rows:
        votes.setdefault(key, 0)
    won = sainte_lague(votes, dapil.seats, eligible)
    table = quotient_table(votes, dapil.seats)
    all_votes = sum(votes.values())
    # Largest-remainder shares in ballot order, like every other table: they sum to 100.
    share = shares({k: votes[k] for k in sorted(votes, key=key_order)})
    results = []
    for key in sorted(votes, key=lambda k: (-votes[k], key_order(k))):
        party = party_rows.get(key)
        quotients = [Quotient(q, 2 * i + 1, i < won[key]) for i, q in enumerate(table.get(key, []))]
        results.append(
            PartyResult(
                key,
                party.abbr if party else key,
                party.name if party else key,
                votes[key],
                float(share[key]),
                won[key],
                eligible is None or key in eligible,
                quotients,
                _elected(key, won[key], dict(totals), labels),
            )
        )
    winning = [q.value for r in results for q in r.quotients if q.won]
    return Projection(
        dapil,
        dapil.seats,
        results,
        all_votes,
        # The TPS of the contest's election (README, "TPS per election").
        sum(r.counts_in(election)[0] if election else r.tps_count for r in regions),
        reported,
        max(stamps) if stamps else None,
        min(winning) if winning else None,
    )


def projections(
    contest: ContestInfo,
    region: Region,
    *,
    verified_only: bool = False,
    threshold: Threshold | None = None,
    party_rows: dict[str, Party] | None = None,
) -> tuple[list[Projection], Threshold]:
    """Every dapil of the contest inside `region`, in a fixed number of queries."""
    if contest.kind != PARTY:
        raise ValueError("seat projections are for party contests")
    dapils = dapils_within(contest, region)
    codes = {r.code for d in dapils for r in d.regions.all()}
    kind = RollupKind.VERIFIED if verified_only else RollupKind.PROVISIONAL
    rollups = {
        r.region_id: r
        for r in Rollup.objects.filter(region_id__in=codes, contest_id=contest.code, kind=kind)
    }
    party_rows = parties() if party_rows is None else party_rows
    labels = {d.id: d.labels for d in contest.dapil_by_region.values()}
    threshold = threshold or Threshold(NO_THRESHOLD, Fraction(0))
    if threshold.mode == INSTALLATION:
        basis: Counter[str] = Counter()
        for row in rollups.values():
            basis.update(legislative_party_totals(row.totals))
        eligible = passes_threshold(basis, threshold.percent) if basis else None
        threshold = Threshold(INSTALLATION, threshold.percent, dict(basis), eligible)
    result = [
        project(d, rollups, party_rows, labels.get(d.pk, {}), threshold.eligible, contest.election)
        for d in dapils
    ]
    return result, threshold


def national_threshold(national: dict[str, int], threshold_percent_value: Fraction) -> Threshold:
    """The threshold from national totals typed in by the reader (parties missing count 0)."""
    eligible = passes_threshold(national, threshold_percent_value)
    return Threshold(NATIONAL, threshold_percent_value, dict(national), eligible)


@dataclass(frozen=True)
class SeatTotal:
    key: str
    abbr: str
    per_dapil: list[int]
    total: int


def seat_totals(result: list[Projection]) -> list[SeatTotal]:
    """Seats per party over every projected dapil (the whole council for DPRD Kota)."""
    rows: dict[str, SeatTotal] = {}
    for i, proj in enumerate(result):
        for party in proj.parties:
            row = rows.setdefault(party.key, SeatTotal(party.key, party.abbr, [0] * len(result), 0))
            row.per_dapil[i] = party.seats
    totals = [SeatTotal(r.key, r.abbr, r.per_dapil, sum(r.per_dapil)) for r in rows.values()]
    return sorted((t for t in totals if t.total), key=lambda t: (-t.total, key_order(t.key)))
