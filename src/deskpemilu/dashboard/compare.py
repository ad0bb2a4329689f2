"""How an area voted last time: a contest's turnout and results per child region beside those of
a contest of an earlier election ("how did this kelurahan vote in the Pemilu?").

Read from the rollups (O(children), two contests, one query), in the kind each reader may see
(`results.selectors.reader_kinds`: provisional, or verified only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from deskpemilu.accounts.models import User
from deskpemilu.elections.models import Election
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region
from deskpemilu.results.contests import ContestInfo, contests
from deskpemilu.results.models import Rollup
from deskpemilu.results.recap import rollups_of
from deskpemilu.results.selectors import reader_kinds
from deskpemilu.tally.recap import shares


def previous_contest(contest: ContestInfo) -> ContestInfo | None:
    """The first contest (ballot order) of the election that voted last before `contest`'s."""
    day = Election.objects.filter(code=contest.election).values_list("voting_day", flat=True)
    earlier = Election.objects.filter(voting_day__lt=day[:1]).order_by("-voting_day").first()
    if earlier is None:
        return None
    found = [c for c in contests().values() if c.election == earlier.code]
    return min(found, key=lambda c: (c.order, c.code), default=None)


def is_earlier(contest: ContestInfo, other: ContestInfo) -> bool:
    days = dict(
        Election.objects.filter(code__in=[contest.election, other.election]).values_list(
            "code", "voting_day"
        )
    )
    return days[other.election] < days[contest.election]


def _figures(rollup: Rollup | None) -> dict[str, Any]:
    if rollup is None:
        return {"tps_reported": 0, "turnout": None, "suara_sah": 0, "totals": {}, "shares": {}}
    turnout = None
    if rollup.pemilih_dpt:
        turnout = round(Decimal(100 * rollup.surat_suara_digunakan) / rollup.pemilih_dpt, 2)
    totals = {k: int(v) for k, v in rollup.totals.items()}
    return {
        "tps_reported": rollup.tps_reported,
        "turnout": turnout,
        "suara_sah": rollup.suara_sah,
        "totals": totals,
        "shares": shares(totals) if totals else {},
    }


def comparison(
    user: User, region: Region, contest: ContestInfo, previous: ContestInfo
) -> dict[str, Any]:
    below = installation.children_of(region).order_by("code")
    children = [c for c in below if user.in_scope(c.code)]
    areas = [region, *children]
    kinds = reader_kinds(user)
    wanted = {contest.code: kinds[contest.code], previous.code: kinds[previous.code]}
    rows = list(
        Rollup.objects.filter(region_id__in=[a.code for a in areas], contest_id__in=list(wanted))
    )
    if installation.is_nation(region.code):  # no row of its own: the sums of the provinces
        rows += [r for r in rollups_of(region.code) if r.contest_id in wanted]
    found = {(r.region_id, r.contest_id): r for r in rows if wanted[r.contest_id] == r.kind}

    def area(r: Region) -> dict[str, Any]:
        return {
            "code": r.code,
            "name": r.name,
            "now": _figures(found.get((r.code, contest.code))),
            "before": _figures(found.get((r.code, previous.code))),
        }

    return {
        "contest": {"code": contest.code, "name": contest.name, "election": contest.election},
        "previous": {"code": previous.code, "name": previous.name, "election": previous.election},
        **area(region),
        "children": [area(c) for c in children],
    }
