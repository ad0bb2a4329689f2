"""Schemas of /api/v1/elections."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Schema

ELECTIONS_DESCRIPTION = (
    "Every election the installation knows (`pemilihan`), newest first: `pemilu2024` and "
    "`pilkada2024` in the shipped data. Exactly one is `active`: open for entry, and the one "
    "whose `voting_day` the readiness windows (H-3, H-1, H) count from. A `PUT` or `POST` of "
    "results into a contest of another election answers 409 `pemilihan_tidak_aktif`; its "
    "results stay readable. Contest codes are unique in the installation (KPU's: `ppwp`, "
    "`pkwkp`, `pkwkk`); a later election of the same kind takes a code with its year "
    "(`pkwkk2029`). The desk switches the active election at `/pemilihan/` or with "
    "`deskpemilu activate_election CODE` (audited)."
)


class ContestRef(Schema):
    code: str
    name: str


class ElectionOut(Schema):
    code: str
    name: str
    kind: Literal["pemilu", "pilkada"]
    voting_day: date
    active: bool
    tps_count: int
    contests: list[ContestRef]
