"""The election's configuration as data: loading it, and fast lookups for the entry path.

Lookups (which dapil a TPS votes in, the choice keys of a dapil) are cached per process for a
minute: the configuration changes before election day, not during the count, and the entry path
must not pay for it on every sheet. The one setting the desk may change during the count, a
contest's verification mode, is read through `contest_info_fresh` where it matters.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deskpemilu.core.text import storable
from deskpemilu.elections.models import Election
from deskpemilu.results.models import Choice, Contest, Dapil

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_ELECTION = DATA_DIR / "pemilu2024_mataram.json"
# What `seed_mataram` loads: every election the Kota Mataram dataset ships.
SHIPPED_ELECTIONS = [DEFAULT_ELECTION, DATA_DIR / "pilkada2024_mataram.json"]
CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class DapilInfo:
    id: int
    code: str
    name: str
    seats: int
    keys: tuple[str, ...]
    labels: dict[str, str]


@dataclass(frozen=True)
class ContestInfo:
    code: str
    name: str
    short_name: str
    kind: str
    max_voters: int
    verification_mode: str
    order: int
    election: str
    # region code → dapil, for the regions a dapil lists
    dapil_by_region: dict[str, DapilInfo]
    # the dapil of every TPS no listed region covers (ppwp's "nasional"), if the contest has one
    nationwide: DapilInfo | None = None


_cache: dict[str, Any] = {"at": 0.0, "contests": {}}


def clear_cache() -> None:
    _cache["at"] = 0.0


def _load() -> dict[str, ContestInfo]:
    choices: dict[int, list[Choice]] = {}
    for choice in Choice.objects.order_by("dapil_id", "order", "id"):
        choices.setdefault(choice.dapil_id, []).append(choice)
    infos: dict[str, ContestInfo] = {}
    dapil_rows = Dapil.objects.prefetch_related("regions").order_by("contest_id", "code")
    by_contest: dict[str, dict[str, DapilInfo]] = {}
    nationwide: dict[str, DapilInfo] = {}
    for dapil in dapil_rows:
        rows = choices.get(dapil.pk, [])
        info = DapilInfo(
            dapil.pk,
            dapil.code,
            dapil.name,
            dapil.seats,
            tuple(c.key for c in rows),
            {c.key: c.label for c in rows},
        )
        if dapil.nationwide:
            nationwide[dapil.contest_id] = info
        for region in dapil.regions.all():
            by_contest.setdefault(dapil.contest_id, {})[region.code] = info
    for contest in Contest.objects.filter(is_active=True):
        infos[contest.code] = ContestInfo(
            contest.code,
            contest.name,
            contest.short_name,
            contest.kind,
            contest.max_voters_per_tps,
            contest.verification_mode,
            contest.order,
            contest.election_id,
            by_contest.get(contest.code, {}),
            nationwide.get(contest.code),
        )
    return infos


def contests() -> dict[str, ContestInfo]:
    now = time.monotonic()
    if now - _cache["at"] > CACHE_SECONDS:
        _cache["contests"] = _load()
        _cache["at"] = now
    result: dict[str, ContestInfo] = _cache["contests"]
    return result


def contest_info(code: str) -> ContestInfo | None:
    return contests().get(code)


def contest_info_fresh(code: str) -> ContestInfo | None:
    """contest_info, with the verification mode checked against the database.

    For the paths the mode decides (verifying, and whether a verifier may see the first entry's
    numbers): the desk may change it at any time, and each server process keeps its own cache,
    so another process's copy may be up to a minute old. One query by primary key; when it
    disagrees, this process reloads its whole cache."""
    if not storable(code):  # a NUL from the URL: PostgreSQL refuses even to compare it
        return None
    info = contest_info(code)
    mode = (
        Contest.objects.filter(code=code, is_active=True)
        .values_list("verification_mode", flat=True)
        .first()
    )
    if info is not None and info.verification_mode == mode:
        return info
    if info is None and mode is None:
        return None
    clear_cache()
    return contest_info(code)


def active_election_code() -> str:
    """The election open for entry, read fresh (the desk may switch it at any time)."""
    code = Election.objects.filter(active=True).values_list("code", flat=True).first()
    return code or ""


def active_contests(region_code: str = "") -> list[ContestInfo]:
    """The contests of the active election, in ballot order: what is entered and watched now;
    with a region, only those cast in it (`covers`: every page of a region lists the same)."""
    active = active_election_code()
    found = [c for c in contests().values() if c.election == active and covers(c, region_code)]
    return sorted(found, key=lambda c: (c.order, c.code))


def dapil_for(contest: ContestInfo, tps_code: str) -> DapilInfo | None:
    """The dapil whose regions contain the TPS (or region): the longest matching region code
    wins, then the contest's nationwide dapil, if it has one. At most five dict lookups."""
    for length in (10, 6, 4, 2):
        info = contest.dapil_by_region.get(tps_code[:length])
        if info is not None:
            return info
    return contest.nationwide


def covers(contest: ContestInfo, region_code: str) -> bool:
    """Is any of the contest's ballot cast in the region (a dapil inside it, or around it)?
    So a region's pages list the contests its voters vote on: Kabupaten Sumbawa Barat shows the
    presidential and provincial races, not Kota Mataram's DPRD. The nation ("0") holds them all."""
    if region_code in ("", "0") or contest.nationwide is not None:
        return True
    return any(
        code.startswith(region_code) or region_code.startswith(code)
        for code in contest.dapil_by_region
    )


def read_election(path: Path = DEFAULT_ELECTION) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def shipped_elections() -> list[dict[str, Any]]:
    return [read_election(path) for path in SHIPPED_ELECTIONS]
