"""The situation room's map: the kelurahan of the installation coloured by the measure the desk
chooses (`?peta=`): readiness, TPS reported, turnout, open incidents. Drawn by
`regions.svgmap`; each area links where the caller says (the region page, which lists its TPS).

`measure_values` is separate from the drawing so the daily report's PDF map and the tests read
the same numbers and colours.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deskpemilu.readiness import kerawanan
from deskpemilu.readiness import maps as readiness_maps
from deskpemilu.readiness.selectors import kelurahan_percent
from deskpemilu.regions.installation import is_nation
from deskpemilu.regions.models import Level, Region
from deskpemilu.regions.svgmap import render_map
from deskpemilu.results.models import Rollup, RollupKind

READINESS = "kesiapan"
REPORTED = "hasil"
TURNOUT = "partisipasi"
INCIDENTS = "kejadian"
KERAWANAN = "kerawanan"
MEASURES = {
    READINESS: gettext_lazy("Kesiapan TPS"),
    REPORTED: gettext_lazy("TPS melapor (PPWP)"),
    TURNOUT: gettext_lazy("Partisipasi (PPWP)"),
    INCIDENTS: gettext_lazy("Kejadian terbuka"),
    KERAWANAN: gettext_lazy("Kerawanan TPS"),
}
DEFAULT_MEASURE = READINESS
TURNOUT_CONTEST = "ppwp"
KELURAHAN_LEVELS = (Level.KELURAHAN, Level.DESA)

# A drawing is keyed by what it shows, so it never goes stale on the figures; the boundaries
# (loaded by the seed and import commands) are not in the key: a changed boundary shows after
# at most this long.
MAP_SECONDS = 600
MAP_PREFIX = "peta:"

GREY = "#cfd8dc"
# Light to dark as a share grows: (lowest percent, colour).
SHARE_BANDS = ((100.0, "#1f6f50"), (75.0, "#4f9a72"), (50.0, "#8cc3a0"), (25.0, "#c4e1cc"))
SHARE_LOWEST = "#e7f2ea"
TURNOUT_BANDS = ((90.0, "#08519c"), (80.0, "#3182bd"), (70.0, "#6baed6"), (60.0, "#9ecae1"))
TURNOUT_LOWEST = "#deebf7"
SEVERITY_FILL = {
    "kritis": "#b3261e",
    "tinggi": "#e0612f",
    "sedang": "#f0a24a",
    "rendah": "#f3d27a",
}
NO_INCIDENT = "#e3efe6"
SEVERITY_ORDER = ("kritis", "tinggi", "sedang", "rendah")


@dataclass(frozen=True)
class AreaValue:
    code: str
    fill: str
    title: str
    value: float  # the number behind the colour (percent, or open incidents)


@dataclass(frozen=True)
class MeasureMap:
    measure: str
    svg: SafeString
    legend: list[tuple[str, str]]
    areas: list[Region]
    values: dict[str, AreaValue] = field(default_factory=dict)


def kelurahan_of(region: Region, *, boundaries: bool = True) -> list[Region]:
    """The kelurahan/desa under `region`, with their boundaries unless told (one query). None
    for the nation: ~84,000 desa make no readable map; its pages show the provinces' figures."""
    if is_nation(region.code):
        return []
    rows = Region.objects.filter(code__startswith=region.code, level__in=KELURAHAN_LEVELS)
    return list(rows if boundaries else rows.defer("boundary"))


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def _band(share: float, bands: Sequence[tuple[float, str]], lowest: str) -> str:
    for bottom, colour in bands:
        if share >= bottom:
            return colour
    return lowest


def _readiness(region: Region, areas: list[Region]) -> dict[str, AreaValue]:
    counts = kelurahan_percent(region)
    result = {}
    for a in areas:
        c = counts.get(a.code, {"tps_total": a.tps_count, "tps_ready": 0, "tps_reported": 0})
        share = _pct(c["tps_ready"], c["tps_total"])
        title = _("%(name)s · %(ready)s dari %(total)s TPS siap (%(pct)s%%)") % {
            "name": a.name,
            "ready": number_format(c["tps_ready"]),
            "total": number_format(c["tps_total"]),
            "pct": number_format(share, 1),
        }
        fill = readiness_maps.band(c["tps_ready"], c["tps_total"], c["tps_reported"])
        result[a.code] = AreaValue(a.code, fill, title, share)
    return result


def _ppwp_rollups(areas: list[Region], kind: str = RollupKind.PROVISIONAL) -> dict[str, Rollup]:
    rows = Rollup.objects.filter(
        region__in=[a.code for a in areas],
        contest_id=TURNOUT_CONTEST,
        kind=kind,
    ).only("region_id", "tps_reported", "surat_suara_digunakan", "pemilih_dpt")
    return {r.region_id: r for r in rows}


def _reported(areas: list[Region]) -> dict[str, AreaValue]:
    rollups = _ppwp_rollups(areas)
    result = {}
    for a in areas:
        row = rollups.get(a.code)
        n = row.tps_reported if row else 0
        share = _pct(n, a.tps_count)
        fill = GREY if n == 0 else _band(share, SHARE_BANDS, SHARE_LOWEST)
        title = _("%(name)s · %(n)s dari %(total)s TPS melapor PPWP (%(pct)s%%)") % {
            "name": a.name,
            "n": number_format(n),
            "total": number_format(a.tps_count),
            "pct": number_format(share, 1),
        }
        result[a.code] = AreaValue(a.code, fill, title, share)
    return result


def _turnout(areas: list[Region], kind: str) -> dict[str, AreaValue]:
    """Ballots used per DPT from the sheets the reader may read (`kind`: verified only for a
    blind re-entrant of PPWP or the public): a kelurahan's turnout repeats its sheets' numbers."""
    rollups = _ppwp_rollups(areas, kind)
    result = {}
    for a in areas:
        row = rollups.get(a.code)
        if row is None or not row.pemilih_dpt:
            title = _("%(name)s · belum ada lembar PPWP") % {"name": a.name}
            result[a.code] = AreaValue(a.code, GREY, title, 0.0)
            continue
        share = _pct(row.surat_suara_digunakan, row.pemilih_dpt)
        title = _(
            "%(name)s · partisipasi %(pct)s%% (%(used)s surat suara digunakan, DPT %(dpt)s, "
            "%(n)s TPS)"
        ) % {
            "name": a.name,
            "pct": number_format(share, 1),
            "used": number_format(row.surat_suara_digunakan),
            "dpt": number_format(row.pemilih_dpt),
            "n": number_format(row.tps_reported),
        }
        result[a.code] = AreaValue(
            a.code, _band(share, TURNOUT_BANDS, TURNOUT_LOWEST), title, share
        )
    return result


def _incidents(areas: list[Region], open_by_area: Mapping[str, list[str]]) -> dict[str, AreaValue]:
    result = {}
    for a in areas:
        severities = open_by_area.get(a.code, [])
        worst = next((s for s in SEVERITY_ORDER if s in severities), "")
        fill = SEVERITY_FILL.get(worst, NO_INCIDENT)
        if severities:
            title = _("%(name)s · %(n)s kejadian terbuka, terberat: %(worst)s") % {
                "name": a.name,
                "n": number_format(len(severities)),
                "worst": worst,
            }
        else:
            title = _("%(name)s · tidak ada kejadian terbuka") % {"name": a.name}
        result[a.code] = AreaValue(a.code, fill, title, float(len(severities)))
    return result


def _kerawanan(region: Region, areas: list[Region]) -> dict[str, AreaValue]:
    """Each kelurahan by its most vulnerable TPS (Polri's and Bawaslu's mapping)."""
    per_area = kerawanan.area_counts(region)
    result = {}
    for a in areas:
        levels = per_area.get(a.code, {})
        fill = kerawanan.COLOUR.get(kerawanan.worst(levels), kerawanan.NOT_MAPPED_COLOUR)
        title = readiness_maps.kerawanan_title(a.name, levels)
        value = float(levels.get("rawan", 0) + levels.get("sangat_rawan", 0))
        result[a.code] = AreaValue(a.code, fill, title, value)
    return result


def legend(measure: str) -> list[tuple[str, str]]:
    if measure == KERAWANAN:
        return kerawanan.legend()
    if measure == READINESS:
        return readiness_maps.legend()
    if measure == TURNOUT:
        return [
            (TURNOUT_BANDS[0][1], "≥ 90%"),
            (TURNOUT_BANDS[1][1], "80–89%"),
            (TURNOUT_BANDS[2][1], "70–79%"),
            (TURNOUT_BANDS[3][1], "60–69%"),
            (TURNOUT_LOWEST, "< 60%"),
            (GREY, _("belum ada")),
        ]
    if measure == INCIDENTS:
        return [(SEVERITY_FILL[s], s) for s in SEVERITY_ORDER] + [(NO_INCIDENT, _("tidak ada"))]
    return [
        (SHARE_BANDS[0][1], _("100% TPS melapor")),
        (SHARE_BANDS[1][1], "75–99%"),
        (SHARE_BANDS[2][1], "50–74%"),
        (SHARE_BANDS[3][1], "25–49%"),
        (SHARE_LOWEST, "< 25%"),
        (GREY, _("belum ada")),
    ]


def measure_values(
    measure: str,
    region: Region,
    areas: list[Region],
    *,
    open_by_area: Mapping[str, list[str]] | None = None,
    kind: str = RollupKind.VERIFIED,
) -> dict[str, AreaValue]:
    if measure == READINESS:
        return _readiness(region, areas)
    if measure == TURNOUT:
        return _turnout(areas, kind)
    if measure == INCIDENTS:
        return _incidents(areas, open_by_area or {})
    if measure == KERAWANAN:
        return _kerawanan(region, areas)
    return _reported(areas)


def measure_map(
    region: Region,
    measure: str,
    *,
    link: Callable[[str], str | None],
    open_by_area: Mapping[str, list[str]] | None = None,
    areas: list[Region] | None = None,
    kind: str = RollupKind.VERIFIED,
) -> MeasureMap:
    """The map of `region`'s kelurahan by `measure`; `link(code)` gives each area's href.
    `kind`: the PPWP figures the reader may read (`results.selectors.reader_kind`).

    Drawn once per change of what it shows: the drawing is kept in the cache under the hash of
    its colours, titles, links and caption (so two readers share it only when it says the same
    to both), and the boundaries are read only to draw it."""
    if measure not in MEASURES:
        measure = DEFAULT_MEASURE
    areas = kelurahan_of(region, boundaries=False) if areas is None else areas
    values = measure_values(measure, region, areas, open_by_area=open_by_area, kind=kind)
    links = {a.code: href for a in areas if (href := link(a.code))}
    caption = _("Peta %(measure)s per kelurahan, %(name)s") % {
        "measure": MEASURES[measure],
        "name": region.name,
    }
    basis = json.dumps(
        [region.code, caption, [(c, v.fill, v.title) for c, v in sorted(values.items())], links],
        sort_keys=True,
    )
    key = MAP_PREFIX + hashlib.sha256(basis.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        labels = list(Region.objects.filter(parent=region)) if len(region.code) < 6 else []
        svg = render_map(
            kelurahan_of(region),
            fills={c: v.fill for c, v in values.items()},
            links=links,
            titles={c: v.title for c, v in values.items()},
            labels=labels,
            caption=caption,
        )
        cache.set(key, str(svg), MAP_SECONDS)
    return MeasureMap(measure, mark_safe(svg), legend(measure), areas, values)  # noqa: S308
