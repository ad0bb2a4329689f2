"""The incident map: kelurahan coloured by their worst open incident, markers at the reported
position, or at the kelurahan's label point (one marker with a count) when none was sent.
Drawn by regions.svgmap on the server: no tiles, no script."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from deskpemilu.accounts.access import regions_for
from deskpemilu.accounts.models import User
from deskpemilu.incidents.models import OPEN_STATUSES, SEVERITY_RANK, Incident, Severity
from deskpemilu.regions import installation
from deskpemilu.regions.models import Level, Region
from deskpemilu.regions.svgmap import MapDot, label_point, render_map, rings

MARKER = {
    Severity.KRITIS: "#b3261e",
    Severity.TINGGI: "#d9822b",
    Severity.SEDANG: "#c8a23a",
    Severity.RENDAH: "#4f8fa8",
}
AREA = {
    Severity.KRITIS: "#f1b7b2",
    Severity.TINGGI: "#f6d0a6",
    Severity.SEDANG: "#f4e6bd",
    Severity.RENDAH: "#d3e6ee",
}
QUIET = "#e4ebee"
MAX_MARKERS = 400
MAP_FIELDS = ("code", "name", "boundary", "label_lat", "label_lon")


@dataclass(frozen=True)
class IncidentMap:
    svg: SafeString
    legend: list[tuple[str, str]] = field(default_factory=list)


def map_regions(user: User) -> list[Region]:
    """The kelurahan the reader's map shows: those of their scope, else the installation's."""
    qs = regions_for(user).filter(level__in=(Level.KELURAHAN, Level.DESA))
    if user.sees_all_areas:
        qs = qs.filter(code__startswith=installation.code_prefix())
    return list(qs.only(*MAP_FIELDS))


def _worst(severities: list[str]) -> str:
    return max(severities, key=lambda s: SEVERITY_RANK.get(Severity(s), 0))


def incident_map(user: User, incidents: QuerySet[Incident]) -> IncidentMap:
    """`incidents`: the reader's, already filtered; only the open ones are drawn."""
    regions = map_regions(user)
    rows = list(
        incidents.filter(status__in=OPEN_STATUSES)
        .order_by("-reported_at")
        .values_list("pk", "number", "severity", "region_id", "lat", "lon")[:MAX_MARKERS]
    )
    per_region: dict[str, list[str]] = defaultdict(list)
    unplaced: dict[str, list[str]] = defaultdict(list)  # sent without a position
    dots: list[MapDot] = []
    links: dict[str, str] = {}
    for pk, number, severity, region_id, lat, lon in rows:
        per_region[region_id].append(severity)
        if lat is not None and lon is not None:
            code = f"kjd-{pk}"
            dots.append(
                MapDot(code, lat, lon, f"{number} ({severity})", "", MARKER[Severity(severity)], 5)
            )
            links[code] = reverse("incident_detail", args=[pk])
        else:
            unplaced[region_id].append(severity)
    by_code = {r.code: r for r in regions}
    for code, severities in unplaced.items():
        region = by_code.get(code)
        if region is None:
            continue
        point = label_point(region, rings(region.boundary))
        if point is None:
            continue
        worst = _worst(severities)
        title = _("%(name)s: %(n)s kejadian terbuka") % {"name": region.name, "n": len(severities)}
        dot_code = f"kel-{code}"
        dots.append(
            MapDot(
                dot_code,
                point[1],
                point[0],
                title,
                str(len(severities)),
                MARKER[Severity(worst)],
                6,
            )
        )
        links[dot_code] = reverse("incident_board") + f"?region={code}&status=terbuka"
    fills = {
        r.code: AREA[Severity(_worst(per_region[r.code]))] if r.code in per_region else QUIET
        for r in regions
    }
    svg = render_map(
        regions,
        fills=fills,
        titles={r.code: r.name for r in regions},
        labels=[],
        dots=dots,
        dot_links=links,
        caption=_("Peta kejadian terbuka per kelurahan"),
    )
    legend = [(MARKER[s], str(s.label)) for s in reversed(Severity)]
    return IncidentMap(svg, legend)


def incident_spot(incident: Incident) -> IncidentMap:
    """The incident's kelurahan with the incident on it (detail page)."""
    region = incident.region
    lat, lon = incident.lat, incident.lon
    if lat is None or lon is None:
        point = label_point(region, rings(region.boundary))
        if point is None:
            return IncidentMap(SafeString(""))
        lon, lat = point
    dot = MapDot(
        incident.number, lat, lon, incident.number, "", MARKER[Severity(incident.severity)], 8
    )
    svg = render_map(
        [region],
        fills={region.code: AREA[Severity(incident.severity)]},
        titles={region.code: region.name},
        labels=[],
        dots=[dot],
        caption=_("Letak %(number)s di %(name)s")
        % {"number": incident.number, "name": region.name},
    )
    return IncidentMap(svg)
