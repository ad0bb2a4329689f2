"""Maps drawn on the server as inline SVG: no JavaScript, no tiles, no CDN (DESIGN.md).

Pure functions: regions with GeoJSON boundaries (lon/lat) in, SVG text out. What each area is
coloured by, what its tooltip says and where it links are the caller's choice, so the same
drawing serves the region pages now and readiness or turnout maps later.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, Protocol

from django.utils.safestring import SafeString, mark_safe

LonLat = tuple[float, float]
Ring = list[LonLat]

DEFAULT_FILL = "#cfd8dc"
DOT_FILL = "#d9822b"
# Calm colours that stay apart from each other on a phone screen and in print.
PALETTE = (
    "#7fb3c8",
    "#e3b37a",
    "#9cc59a",
    "#c9a3c9",
    "#e59c8c",
    "#c8bd76",
    "#8fa8d6",
    "#a9c7b8",
)
# A single TPS, or a sliver, still gets a map about this wide (degrees; 0.004° ≈ 440 m).
MIN_SPAN = 0.004


class MapRegion(Protocol):
    """What the map needs of a region (the Region model has all of it)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def boundary(self) -> Any: ...
    @property
    def label_lat(self) -> float | None: ...
    @property
    def label_lon(self) -> float | None: ...


@dataclass(frozen=True)
class MapDot:
    """A point on the map, e.g. a TPS."""

    code: str
    lat: float
    lon: float
    title: str = ""
    label: str = ""
    fill: str = DOT_FILL
    radius: float = 4


def palette_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _ring(coordinates: Any) -> Ring:
    points: Ring = []
    if not isinstance(coordinates, list):
        return points
    for position in coordinates:
        if isinstance(position, list | tuple) and len(position) >= 2:
            lon, lat = _number(position[0]), _number(position[1])
            if lon is not None and lat is not None:
                points.append((lon, lat))
    return points


def rings(geometry: Any) -> list[Ring]:
    """Every ring (outer edges and holes) of a GeoJSON Polygon or MultiPolygon. Anything else,
    or malformed parts of it, is skipped: a bad boundary must not break a page."""
    if not isinstance(geometry, dict):
        return []
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coordinates, list):
        return []
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        return []
    result: list[Ring] = []
    for polygon in polygons:
        if isinstance(polygon, list):
            result.extend(r for r in (_ring(c) for c in polygon) if len(r) >= 3)
    return result


@dataclass(frozen=True)
class Projection:
    """Equirectangular: x = lon·cos(φ₀), y = −lat, scaled into a viewBox `width` units wide.
    Over a city (a few tens of km) its distortion is far below what a page map can show."""

    west: float
    north: float
    x_factor: float  # cos of the middle latitude: a degree of longitude is that much shorter
    scale: float
    padding: float
    width: float
    height: float

    @classmethod
    def fit(cls, points: Iterable[LonLat], width: float = 600, padding: float = 8) -> Projection:
        lons, lats = zip(*points, strict=True)
        west, east, south, north = min(lons), max(lons), min(lats), max(lats)
        west, east = _widen(west, east)
        south, north = _widen(south, north)
        x_factor = math.cos(math.radians((north + south) / 2))
        scale = (width - 2 * padding) / ((east - west) * x_factor)
        height = (north - south) * scale + 2 * padding
        return cls(west, north, x_factor, scale, padding, width, round(height, 1))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) * self.x_factor * self.scale + self.padding
        y = (self.north - lat) * self.scale + self.padding
        return round(x, 1), round(y, 1)


def _widen(low: float, high: float) -> tuple[float, float]:
    if high - low >= MIN_SPAN:
        return low, high
    middle = (low + high) / 2
    return middle - MIN_SPAN / 2, middle + MIN_SPAN / 2


def _path_data(shape: list[Ring], project: Projection) -> str:
    parts: list[str] = []
    for ring in shape:
        points: list[tuple[float, float]] = []
        for lon, lat in ring:
            point = project(lon, lat)
            if not points or points[-1] != point:  # rounding merges close vertices
                points.append(point)
        if len(points) >= 3:
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
    return "".join(parts)


def _centre(shape: list[Ring]) -> LonLat:
    lons = [lon for ring in shape for lon, _lat in ring]
    lats = [lat for ring in shape for _lon, lat in ring]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


def label_point(region: MapRegion, shape: list[Ring]) -> LonLat | None:
    """The stored label point (chosen to fall inside the area), else the middle of its box."""
    lat, lon = _number(region.label_lat), _number(region.label_lon)
    if lat is not None and lon is not None:
        return lon, lat
    return _centre(shape) if shape else None


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _linked(inner: str, title: str, href: str | None) -> str:
    title_tag = f"<title>{escape(title)}</title>" if title else ""
    if href:
        return f'<a href="{_attr(href)}">{title_tag}{inner}</a>'
    return f"<g>{title_tag}{inner}</g>"


def _area(
    region: MapRegion, shape: list[Ring], project: Projection, fill: str, title: str, href: str
) -> str:
    path = (
        f'<path d="{_path_data(shape, project)}" fill="{_attr(fill)}" fill-rule="evenodd"'
        f' data-code="{_attr(region.code)}"/>'
    )
    return _linked(path, title or region.name, href)


def _dot(dot: MapDot, project: Projection, href: str) -> str:
    x, y = project(dot.lon, dot.lat)
    circle = (
        f'<circle cx="{x:g}" cy="{y:g}" r="{dot.radius:g}" fill="{_attr(dot.fill)}"'
        f' data-code="{_attr(dot.code)}"/>'
    )
    if dot.label:
        circle += f'<text class="dot-label" x="{x + 5:g}" y="{y - 4:g}">{escape(dot.label)}</text>'
    return _linked(circle, dot.title or dot.code, href)


def _text(text: str, point: LonLat, project: Projection) -> str:
    x, y = project(*point)
    return f'<text x="{x:g}" y="{y:g}" text-anchor="middle">{escape(text)}</text>'


def render_map(
    regions: Sequence[MapRegion],
    *,
    fills: Mapping[str, str],
    links: Mapping[str, str] | None = None,
    titles: Mapping[str, str] | None = None,
    labels: Sequence[MapRegion] | None = None,
    dots: Sequence[MapDot] = (),
    dot_links: Mapping[str, str] | None = None,
    caption: str = "",
    width: float = 600,
) -> SafeString:
    """An inline <svg>: one <path> per region (inside an <a> where `links` has its code), each
    with a <title>; `dots` drawn over them; region names written at their label points
    (`labels`, by default the regions themselves). Empty when there is nothing to draw."""
    links, titles, dot_links = links or {}, titles or {}, dot_links or {}
    shapes = {r.code: rings(r.boundary) for r in regions}
    label_regions = regions if labels is None else labels
    label_shapes = {r.code: shapes.get(r.code) or rings(r.boundary) for r in label_regions}
    points = [p for shape in shapes.values() for ring in shape for p in ring]
    points += [(d.lon, d.lat) for d in dots]
    if not points:
        return SafeString("")
    project = Projection.fit(points, width)
    body = [
        _area(
            r,
            shapes[r.code],
            project,
            fills.get(r.code, DEFAULT_FILL),
            titles.get(r.code, ""),
            links.get(r.code, ""),
        )
        for r in regions
        if shapes[r.code]
    ]
    body += [_dot(d, project, dot_links.get(d.code, "")) for d in dots]
    for region in label_regions:
        point = label_point(region, label_shapes[region.code])
        if point is not None:
            body.append(_text(region.name, point, project))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {project.width:g} '
        f'{project.height:g}" role="group" aria-label="{_attr(caption)}">'
        + "".join(body)
        + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text and attribute above is escaped
