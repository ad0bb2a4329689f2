"""The recap map: kelurahan coloured by the share of their TPS that reported the contest, or a
kelurahan's TPS as dots coloured by their sheet's status. Drawn by `regions.svgmap`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from deskpemilu.accounts.models import User
from deskpemilu.dashboard.selectors import KELURAHAN_LEVELS, Child, percent, sheet_path
from deskpemilu.regions.models import Region, Tps
from deskpemilu.regions.svgmap import MapDot, render_map
from deskpemilu.results.contests import ContestInfo
from deskpemilu.results.models import Rollup, RollupKind

# The boundaries (loaded by the seed and import commands) are not in a drawing's key: a changed
# boundary shows after at most this long. The figures are in it, so they are never stale.
MAP_SECONDS = 600
MAP_PREFIX = "rekap-peta:"

GREY = "#cfd8dc"
OUTLINE = "#dfe9ec"
# Light to dark as more TPS report: (lowest share in %, colour).
BANDS = ((100.0, "#1f6f50"), (75.0, "#4f9a72"), (50.0, "#8cc3a0"), (25.0, "#c4e1cc"))
LOWEST = "#e7f2ea"  # at least one TPS, below a quarter
NOT_IN = "#90a4ae"  # a TPS without a sheet: darker than an area's grey, to stay visible
STATUS_FILL = {
    "belum": NOT_IN,
    "dientri": "#5b8fc7",
    "terverifikasi": "#2e7d4f",
    "selisih": "#b3261e",
}


@dataclass(frozen=True)
class RecapMap:
    svg: SafeString
    legend: list[tuple[str, str]] = field(default_factory=list)


def band(reported: int, total: int) -> str:
    if total <= 0 or reported <= 0:
        return GREY
    share = percent(reported, total)
    for lowest, colour in BANDS:
        if share >= lowest:
            return colour
    return LOWEST


def legend() -> list[tuple[str, str]]:
    return [
        (BANDS[0][1], _("100% TPS melapor")),
        (BANDS[1][1], "75–99%"),
        (BANDS[2][1], "50–74%"),
        (BANDS[3][1], "25–49%"),
        (LOWEST, "< 25%"),
        (GREY, _("belum ada")),
    ]


def recap_map(region: Region, contest: ContestInfo, user: User, children: list[Child]) -> RecapMap:
    if region.level in KELURAHAN_LEVELS:
        return _tps_map(region, contest, user, children)
    under = Region.objects.filter(code__startswith=region.code, level__in=KELURAHAN_LEVELS)
    areas = list(under.defer("boundary"))  # the boundaries only to draw
    reported = dict(
        Rollup.objects.filter(
            region__in=areas, contest_id=contest.code, kind=RollupKind.PROVISIONAL
        ).values_list("region_id", "tps_reported")
    )
    fills, titles, links = {}, {}, {}
    # One reverse() for the whole map: a province's map links thousands of desa.
    href = reverse("recap", args=[contest.code, "0"])
    for area in areas:
        count = int(reported.get(area.code, 0))
        fills[area.code] = band(count, area.tps_count)
        titles[area.code] = _("%(name)s · %(n)s dari %(total)s TPS melapor (%(pct)s%%)") % {
            "name": area.name,
            "n": number_format(count),
            "total": number_format(area.tps_count),
            "pct": number_format(percent(count, area.tps_count), 1),
        }
        if user.in_scope(area.code):
            links[area.code] = href.replace("/0/", f"/{area.code}/")
    caption = _("Peta TPS melapor per kelurahan, %s") % region.name
    # Drawn once per change of what it shows: kept under the hash of its colours, titles, links
    # and caption, so two readers share a drawing only when it says the same to both.
    basis = json.dumps([region.code, caption, fills, titles, links], sort_keys=True)
    key = MAP_PREFIX + hashlib.sha256(basis.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        # A kota map names its kecamatan (fifty kelurahan names would not fit); below, the areas.
        labels = None
        if len(region.code) < 6:
            labels = list(Region.objects.filter(parent=region))
        svg = render_map(
            list(under), fills=fills, links=links, titles=titles, labels=labels, caption=caption
        )
        cache.set(key, str(svg), MAP_SECONDS)
    return RecapMap(mark_safe(svg), legend())  # noqa: S308 - render_map escapes every text


def _tps_map(region: Region, contest: ContestInfo, user: User, children: list[Child]) -> RecapMap:
    status = {c.code: c.status or "belum" for c in children}
    dots = []
    for tps in Tps.objects.filter(kelurahan=region).only("code", "number", "lat", "lon"):
        if tps.lat is None or tps.lon is None:
            continue
        state = status.get(tps.code, "belum")
        title = f"TPS {tps.number:03d} · {state}"
        fill = STATUS_FILL.get(state, NOT_IN)
        dots.append(MapDot(tps.code, tps.lat, tps.lon, title, str(tps.number), fill, radius=6))
    links = {d.code: sheet_path(contest.code, d.code) for d in dots if user.in_scope(d.code)}
    svg = render_map(
        [region],
        fills={region.code: OUTLINE},
        titles={region.code: region.name},
        labels=[],
        dots=dots,
        dot_links=links,
        caption=_("Peta TPS %s") % region.name,
    )
    return RecapMap(
        svg,
        [
            (STATUS_FILL["terverifikasi"], _("terverifikasi")),
            (STATUS_FILL["dientri"], _("dientri")),
            (STATUS_FILL["selisih"], _("selisih")),
            (NOT_IN, _("belum ada")),
        ],
    )
