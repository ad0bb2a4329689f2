"""Schemas of the dashboard's API (the anomaly list)."""

from __future__ import annotations

from decimal import Decimal

from ninja import Schema


class FlagOut(Schema):
    code: str
    field: str
    message: str


class KelurahanRef(Schema):
    code: str
    name: str


class AnomalyOut(Schema):
    contest: str
    tps: str
    kelurahan: KelurahanRef
    kecamatan: str
    status: str
    version: int
    flags: list[FlagOut]
    author: str
    at: str
    sheet_url: str
    photo_url: str | None


class AnomalyPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[AnomalyOut]


class ContestRefOut(Schema):
    code: str
    name: str
    election: str


class FiguresOut(Schema):
    tps_reported: int
    turnout: Decimal | None
    suara_sah: int
    totals: dict[str, int]
    shares: dict[str, Decimal]


class CompareAreaOut(Schema):
    code: str
    name: str
    now: FiguresOut
    before: FiguresOut


class CompareOut(Schema):
    contest: ContestRefOut
    previous: ContestRefOut
    code: str
    name: str
    now: FiguresOut
    before: FiguresOut
    children: list[CompareAreaOut]


COMPARE_DESCRIPTION = (
    "How the region and each of its child regions voted in this contest (`now`) beside a contest "
    "of an earlier election (`before`): `?banding=CONTEST` (default: the first contest of the "
    "election that voted last before this one, e.g. `ppwp` of Pemilu 2024 for `pkwkk` of Pilkada "
    "2024). Each side gives `tps_reported`, `turnout` (ballots used over the sheets' DPT, in "
    "percent; null before any sheet), `suara_sah`, `totals` and `shares` (sum to 100). The "
    "figures are those the caller may read (provisional, or verified only in a blind contest for "
    "its verifiers). 422 `tidak_ada_pembanding` when no earlier election's contest is known; "
    "`banding` must be a contest of an earlier election."
)
