"""The kelurahan map of a PDF report, drawn with ReportLab from the GeoJSON boundaries (the same
projection and label points as the SVG maps of the pages)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.graphics.shapes import FILL_EVEN_ODD, Drawing, Rect, String
from reportlab.graphics.shapes import Path as ShapePath
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from deskpemilu.regions.svgmap import Projection, label_point, rings


def map_drawing(
    areas: Sequence[Any],
    fills: Mapping[str, str],
    *,
    labels: Sequence[Any] = (),
    legend: Sequence[tuple[str, str]] = (),
    width: float = 170 * mm,
    font: str = "Helvetica",
) -> Drawing:
    """The areas' GeoJSON boundaries as filled paths (holes kept: even-odd), names of `labels`
    at their label points, and a legend of (colour, text) underneath."""
    shapes = {a.code: rings(a.boundary) for a in areas}
    points = [pt for shape in shapes.values() for ring in shape for pt in ring]
    legend_height = 14 if legend else 0
    if not points:
        return Drawing(width, legend_height)
    project = Projection.fit(points, width=width, padding=4)
    height = project.height
    drawing = Drawing(width, height + legend_height)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        x, y = project(lon, lat)
        return x, height - y + legend_height

    for area in areas:
        shape = shapes[area.code]
        if not shape:
            continue
        path = ShapePath(
            fillColor=colors.HexColor(fills.get(area.code, "#cfd8dc")),
            strokeColor=colors.white,
            strokeWidth=0.6,
            fillMode=FILL_EVEN_ODD,  # a hole in a kelurahan stays a hole
        )
        for ring in shape:
            for i, (lon, lat) in enumerate(ring):
                x, y = xy(lon, lat)
                if i == 0:
                    path.moveTo(x, y)
                else:
                    path.lineTo(x, y)
            path.closePath()
        drawing.add(path)
    for region in labels:
        point = label_point(region, rings(region.boundary))
        if point is None:
            continue
        x, y = xy(*point)
        drawing.add(String(x, y, region.name, fontName=font, fontSize=7, textAnchor="middle"))
    x = 0.0
    for colour, text in legend:
        drawing.add(Rect(x, 2, 8, 8, fillColor=colors.HexColor(colour), strokeColor=None))
        drawing.add(String(x + 11, 3, text, fontName=font, fontSize=7))
        x += 14 + pdfmetrics.stringWidth(text, font, 7) + 8
    return drawing
