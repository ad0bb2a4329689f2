"""Reads of the region tree. Callers fetch the region itself through the access helpers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from deskpemilu.regions import installation
from deskpemilu.regions.models import Level, Region, Tps

if TYPE_CHECKING:
    from deskpemilu.elections.models import Election

KELURAHAN_LEVELS = (Level.KELURAHAN, Level.DESA)
# The levels whose page maps the kelurahan/desa below them rather than their direct children:
# the kelurahan is the level the desk works at, and a kota has only a handful of kecamatan.
MAP_KELURAHAN_OF = (Level.KOTA, Level.KABUPATEN)
ANCESTOR_LENGTHS = (2, 4, 6, 10)
# A child row without its boundary, the bulk of a region row. parent_id must stay: the related
# manager reads it on every child, and a deferred field would cost one query per child.
CHILD_FIELDS = ("code", "name", "level", "parent_id", "tps_count", "dpt_l", "dpt_p")
TPS_PAGE_FIELDS = ("code", "kelurahan_id", "number", "address", "dpt_l", "dpt_p", "lat", "lon")


def is_kelurahan(region: Region) -> bool:
    return region.level in KELURAHAN_LEVELS


def region_ancestors(code: str, *, top: str) -> list[Region]:
    """The regions above `code`, from `top` (the reader's scope) down, in one query. Codes nest
    by prefix, so the ancestors' codes are known without walking parent links. From the
    nation ("0"), every region has the nation above its province."""
    if installation.is_nation(top):
        if installation.is_nation(code):
            return []
        return [installation.nation(counts=False), *region_ancestors(code, top="")]
    prefixes = [
        code[:n] for n in ANCESTOR_LENGTHS if len(top) <= n < len(code) and code.startswith(top)
    ]
    if not prefixes:
        return []
    return list(Region.objects.filter(code__in=prefixes).only("code", "name", "level"))


@dataclass(frozen=True)
class RegionPage:
    region: Region
    children: list[Region]  # sub-regions, with their counts (empty for a kelurahan)
    tps: list[Tps]  # a kelurahan's TPS (empty above the kelurahan)
    map_areas: list[Region]  # the areas its map draws
    dpt_is_demo: bool

    @property
    def kelurahan_count(self) -> int:
        return sum(1 for r in self.map_areas if r.level in KELURAHAN_LEVELS)

    @property
    def kelurahan_per_child(self) -> dict[str, int]:
        """For a kota: how many kelurahan each kecamatan holds (empty for other levels)."""
        if self.region.level not in MAP_KELURAHAN_OF:
            return {}
        return dict(Counter(r.parent_id or "" for r in self.map_areas))


def region_page(region: Region, election: Election | None = None) -> RegionPage:
    """What a region page shows, in a fixed number of queries whatever the number of children:
    the TPS, counts and DPT of `election` (the active one when None)."""
    every = Tps.every.filter(election=election) if election is not None else Tps.objects
    if is_kelurahan(region):
        tps = list(every.filter(kelurahan=region).only(*TPS_PAGE_FIELDS, "is_demo"))
        _in_election([region], election)
        return RegionPage(region, [], tps, [region], any(t.is_demo for t in tps))
    children = list(installation.children_of(region))
    if region.level in MAP_KELURAHAN_OF:
        areas = list(
            Region.objects.filter(code__startswith=region.code, level__in=KELURAHAN_LEVELS)
        )
    else:
        areas = children
    _in_election([region, *children, *areas], election)
    under = installation.prefix(region.code)
    demo = every.filter(code__startswith=under, is_demo=True).exists()
    return RegionPage(region, children, [], areas, demo)


def _in_election(regions: list[Region], election: Election | None) -> None:
    """Puts `election`'s counts in the regions' count fields, for the page and its map (the
    fields hold the active election's already)."""
    if election is None:
        return
    for r in regions:
        r.tps_count, r.dpt_l, r.dpt_p = r.counts_in(election.code)


def region_with_children(region: Region, election: Election | None = None) -> dict[str, Any]:
    """A region and its children with the TPS, counts and DPT of `election` (the active one
    when None)."""
    every = Tps.every.filter(election=election) if election is not None else Tps.objects
    if region.level in (Level.KELURAHAN, Level.DESA):
        tps_rows = every.filter(kelurahan=region).only(
            "code", "number", "dpt_l", "dpt_p", "is_demo"
        )
        children = [
            {
                "code": t.kpu_code,
                "name": f"TPS {t.number:03d}",
                "level": "tps",
                "tps_count": 1,
                "dpt": t.dpt,
            }
            for t in tps_rows
        ]
        demo = any(t.is_demo for t in tps_rows)
        if election is not None and not election.active:
            region.tps_count = len(children)
            region.dpt_l = sum(t.dpt_l for t in tps_rows)
            region.dpt_p = sum(t.dpt_p for t in tps_rows)
    else:
        rows = list(installation.children_of(region).only(*CHILD_FIELDS, "election_counts"))
        if election is not None:
            for r in [region, *rows]:
                r.tps_count, r.dpt_l, r.dpt_p = r.counts_in(election.code)
        children = [
            {
                "code": c.code,
                "name": c.name,
                "level": c.level,
                "tps_count": c.tps_count,
                "dpt": c.dpt,
            }
            for c in rows
        ]
        under = installation.prefix(region.code)
        demo = every.filter(code__startswith=under, is_demo=True).exists()
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "tps_count": region.tps_count,
        "dpt": region.dpt,
        "dpt_is_demo": demo,
        "children": children,
    }


def tps_as_dict(tps: Tps) -> dict[str, Any]:
    return {
        "code": tps.kpu_code,
        "election": tps.election_id,
        "number": tps.number,
        "kelurahan": tps.kelurahan_id,
        "kelurahan_name": tps.kelurahan.name,
        "dpt": tps.dpt,
        "dpt_l": tps.dpt_l,
        "dpt_p": tps.dpt_p,
        "address": tps.address,
        "lat": tps.lat,
        "lon": tps.lon,
        "is_demo": tps.is_demo,
    }


def active_tps_by_code(codes: Iterable[str]) -> dict[str, Tps]:
    """The active election's TPS with these 13-digit KPU codes, by that code, whatever their
    storage key (README, "TPS per election"); one query over their kelurahan."""
    wanted = set(codes)
    rows = Tps.objects.filter(kelurahan_id__in={c[:10] for c in wanted})
    return {t.kpu_code: t for t in rows if t.kpu_code in wanted}
