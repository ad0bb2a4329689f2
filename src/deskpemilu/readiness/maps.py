"""The readiness map: kelurahan coloured by the share of their TPS that are ready, or a
kelurahan's TPS as dots coloured by their own state. Drawn by `regions.svgmap`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from deskpemilu.accounts.models import User
from deskpemilu.readiness import kerawanan
from deskpemilu.readiness.selectors import KELURAHAN_LEVELS, kelurahan_percent
from deskpemilu.regions.models import Region, Tps
from deskpemilu.regions.svgmap import MapDot, render_map

GREY = "#cfd8dc"  # no report yet
RED = "#e58a7c"  # below half of the TPS ready
AMBER = "#f0c462"  # half or more, not all
GREEN = "#6dbb84"  # every TPS ready
OUTLINE = "#dfe9ec"


@dataclass(frozen=True)
class ReadinessMap:
    svg: SafeString
    legend: list[tuple[str, str]] = field(default_factory=list)


def legend() -> list[tuple[str, str]]:
    return [
        (GREEN, _("semua TPS siap")),
        (AMBER, _("≥ 50% TPS siap")),
        (RED, _("< 50% TPS siap")),
        (GREY, _("belum ada laporan")),
    ]


def band(ready: int, total: int, reported: int) -> str:
    """The colour of an area: grey until a TPS reports, then red, amber, green by share ready."""
    if total <= 0 or reported <= 0:
        return GREY
    if ready >= total:
        return GREEN
    return AMBER if 2 * ready >= total else RED


def _percent_text(ready: int, total: int) -> str:
    share = 100 * ready / total if total else 0
    return number_format(share, 1)


def readiness_map(region: Region, user: User, *, at: datetime | None = None) -> ReadinessMap:
    if region.level in KELURAHAN_LEVELS:
        return _kelurahan_map(region, user, at)
    areas = list(Region.objects.filter(code__startswith=region.code, level__in=KELURAHAN_LEVELS))
    counts = kelurahan_percent(region, at=at)
    fills, titles, links = {}, {}, {}
    suffix = f"?pada={at.strftime('%Y-%m-%dT%H:%M')}" if at else ""
    for area in areas:
        c = counts.get(area.code, {"tps_total": 0, "tps_ready": 0, "tps_reported": 0})
        fills[area.code] = band(c["tps_ready"], c["tps_total"], c["tps_reported"])
        titles[area.code] = _("%(name)s · %(ready)s/%(total)s TPS siap (%(pct)s%%)") % {
            "name": area.name,
            "ready": number_format(c["tps_ready"]),
            "total": number_format(c["tps_total"]),
            "pct": _percent_text(c["tps_ready"], c["tps_total"]),
        }
        if user.in_scope(area.code):
            links[area.code] = reverse("readiness_region", args=[area.code]) + suffix
    labels = list(region.children.all()) if len(region.code) < 6 else []
    svg = render_map(
        areas,
        fills=fills,
        links=links,
        titles=titles,
        labels=labels,
        caption=_("Peta kesiapan TPS per kelurahan, %s") % region.name,
    )
    return ReadinessMap(svg, legend())


def tps_colour(summary: dict[str, Any] | None) -> str:
    if summary is None or not summary.get("reported"):
        return GREY
    if summary.get("tps_ready"):
        return GREEN
    return RED if summary.get("problems") else AMBER


def _kelurahan_map(region: Region, user: User, at: datetime | None) -> ReadinessMap:
    from deskpemilu.readiness.selectors import region_summary

    rows = {c["code"]: c for c in region_summary(region, at=at, limit=0)["children"]}
    dots = []
    for tps in Tps.objects.filter(kelurahan=region).only("code", "number", "lat", "lon"):
        if tps.lat is None or tps.lon is None:
            continue
        row = rows.get(tps.code)
        title = _("TPS %(number)03d · %(pct)s%% butir siap") % {
            "number": tps.number,
            "pct": number_format(row["percent_ready"] if row else 0, 1),
        }
        dots.append(MapDot(tps.code, tps.lat, tps.lon, title, str(tps.number), tps_colour(row)))
    return ReadinessMap(
        _tps_dots_map(region, user, dots, _("Peta kesiapan TPS %s") % region.name),
        [
            (GREEN, _("TPS siap")),
            (AMBER, _("sebagian siap")),
            (RED, _("ada masalah")),
            (GREY, _("belum ada laporan")),
        ],
    )


# --- The kerawanan layer ----------------------------------------------------------------------


def kerawanan_title(name: str, levels: dict[str, int]) -> str:
    """An area's tooltip and text: its TPS per level."""
    return _("%(name)s · %(sangat)s TPS sangat rawan, %(rawan)s rawan, %(tidak)s tidak rawan") % {
        "name": name,
        "sangat": number_format(levels.get("sangat_rawan", 0)),
        "rawan": number_format(levels.get("rawan", 0)),
        "tidak": number_format(levels.get("tidak_rawan", 0)),
    }


def kerawanan_map(region: Region, user: User) -> ReadinessMap:
    """Kelurahan filled by their most vulnerable TPS, or a kelurahan's TPS as dots by level."""
    if region.level in KELURAHAN_LEVELS:
        return _kerawanan_dots(region, user)
    areas = list(Region.objects.filter(code__startswith=region.code, level__in=KELURAHAN_LEVELS))
    per_area = kerawanan.area_counts(region)
    fills, titles, links = {}, {}, {}
    for area in areas:
        levels = per_area.get(area.code, {})
        fills[area.code] = kerawanan.COLOUR.get(
            kerawanan.worst(levels), kerawanan.NOT_MAPPED_COLOUR
        )
        titles[area.code] = kerawanan_title(area.name, levels)
        if user.in_scope(area.code):
            links[area.code] = reverse("readiness_region", args=[area.code]) + "?lapisan=kerawanan"
    labels = list(region.children.all()) if len(region.code) < 6 else []
    svg = render_map(
        areas,
        fills=fills,
        links=links,
        titles=titles,
        labels=labels,
        caption=_("Peta kerawanan TPS per kelurahan (TPS paling rawan), %s") % region.name,
    )
    return ReadinessMap(svg, kerawanan.legend())


def _kerawanan_dots(region: Region, user: User) -> ReadinessMap:
    tps_rows = list(Tps.objects.filter(kelurahan=region).only("code", "number", "lat", "lon"))
    levels = kerawanan.levels_of(t.code for t in tps_rows)
    dots = []
    for tps in tps_rows:
        if tps.lat is None or tps.lon is None:
            continue
        level = levels.get(tps.code, kerawanan.NOT_MAPPED)
        title = _("TPS %(number)03d · %(level)s") % {
            "number": tps.number,
            "level": kerawanan.label(level),
        }
        fill = kerawanan.COLOUR.get(level, kerawanan.NOT_MAPPED_COLOUR)
        dots.append(MapDot(tps.code, tps.lat, tps.lon, title, str(tps.number), fill))
    svg = _tps_dots_map(region, user, dots, _("Peta kerawanan TPS %s") % region.name)
    return ReadinessMap(svg, kerawanan.legend())


def _tps_dots_map(region: Region, user: User, dots: list[MapDot], caption: str) -> SafeString:
    """A kelurahan's outline with its TPS as dots, each linked to its page where the reader
    may open it."""
    links = {d.code: reverse("readiness_tps", args=[d.code]) for d in dots if user.in_scope(d.code)}
    return render_map(
        [region],
        fills={region.code: OUTLINE},
        titles={region.code: region.name},
        labels=[],
        dots=dots,
        dot_links=links,
        caption=caption,
    )
