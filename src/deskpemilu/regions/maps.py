"""The maps of the region and TPS pages: what each area is coloured by, says and links to.

`svgmap` draws; this module decides. Areas link only inside the reader's scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from deskpemilu.accounts.models import User
from deskpemilu.regions.models import Region, Tps, kpu_code
from deskpemilu.regions.selectors import KELURAHAN_LEVELS, MAP_KELURAHAN_OF, RegionPage
from deskpemilu.regions.svgmap import DEFAULT_FILL, MapDot, palette_colour, render_map

OUTLINE_FILL = "#dfe9ec"


@dataclass(frozen=True)
class RegionMap:
    svg: SafeString
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, name)


def kecamatan_colour(code: str) -> str:
    """A kecamatan keeps its colour on every map: it comes from its code, not its position."""
    number = code[4:6]
    return palette_colour(int(number) - 1) if number.isdigit() and number != "00" else DEFAULT_FILL


def _title(region: Region) -> str:
    return _("%(name)s · TPS %(tps)s · DPT %(dpt)s") % {
        "name": region.name,
        "tps": number_format(region.tps_count),
        "dpt": number_format(region.dpt),
    }


def _region_links(user: User, regions: list[Region], query: str) -> dict[str, str]:
    return {
        r.code: reverse("region", args=[r.code]) + query for r in regions if user.in_scope(r.code)
    }


def _tps_dot(tps: Tps, *, label: bool = True, radius: float = 4) -> MapDot | None:
    if tps.lat is None or tps.lon is None:
        return None
    title = _("TPS %(number)03d · DPT %(dpt)s") % {
        "number": tps.number,
        "dpt": number_format(tps.dpt),
    }
    text = str(tps.number) if label else ""
    return MapDot(tps.code, tps.lat, tps.lon, title, text, radius=radius)


def region_map(page: RegionPage, user: User, query: str = "") -> RegionMap:
    """A kota: its kelurahan coloured by kecamatan; a kecamatan: its kelurahan; a kelurahan:
    its outline with its TPS as dots. `query` (`?pemilihan=CODE`) keeps the links in the
    election shown."""
    level = page.region.level
    if level in KELURAHAN_LEVELS:
        return _kelurahan_map(page, user, query)
    if level in MAP_KELURAHAN_OF:
        return _kota_map(page, user, query)
    return _children_map(page, user, query)


def _kota_map(page: RegionPage, user: User, query: str) -> RegionMap:
    # Kelurahan coloured by their kecamatan; only the kecamatan names are written on the map
    # (fifty kelurahan names would not fit), the kelurahan names are in each area's tooltip.
    colours = {c.code: kecamatan_colour(c.code) for c in page.children}
    areas = page.map_areas
    svg = render_map(
        areas,
        fills={r.code: colours.get(r.parent_id or "", DEFAULT_FILL) for r in areas},
        links=_region_links(user, areas, query),
        titles={r.code: _title(r) for r in areas},
        labels=page.children,
        caption=_("Peta kelurahan %s menurut kecamatan") % page.region.name,
    )
    return RegionMap(svg, [(colours[c.code], c.name) for c in page.children])


def _children_map(page: RegionPage, user: User, query: str) -> RegionMap:
    areas = page.map_areas
    colour = kecamatan_colour(page.region.code)
    svg = render_map(
        areas,
        fills={r.code: colour for r in areas},
        links=_region_links(user, areas, query),
        titles={r.code: _title(r) for r in areas},
        caption=_("Peta %s") % page.region.name,
    )
    return RegionMap(svg)


def _kelurahan_map(page: RegionPage, user: User, query: str) -> RegionMap:
    dots = [d for d in (_tps_dot(t) for t in page.tps) if d is not None]
    # Links name the TPS by its KPU code, never by its storage key `<code>@<election>`.
    links = {
        d.code: reverse("tps", args=[kpu_code(d.code)]) + query
        for d in dots
        if user.in_scope(d.code)
    }
    svg = render_map(
        page.map_areas,
        fills={page.region.code: OUTLINE_FILL},
        titles={page.region.code: _title(page.region)},
        labels=[],
        dots=dots,
        dot_links=links,
        caption=_("Peta TPS %s") % page.region.name,
    )
    return RegionMap(svg)


def tps_map(tps: Tps) -> RegionMap:
    """The TPS's kelurahan outline with the TPS on it."""
    kelurahan = tps.kelurahan
    dot = _tps_dot(tps, label=False, radius=8)
    svg = render_map(
        [kelurahan],
        fills={kelurahan.code: OUTLINE_FILL},
        titles={kelurahan.code: kelurahan.name},
        labels=[],
        dots=[dot] if dot else [],
        caption=_("Letak TPS %(number)03d di %(name)s")
        % {"number": tps.number, "name": kelurahan.name},
    )
    return RegionMap(svg)
