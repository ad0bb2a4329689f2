"""The server-drawn SVG maps: the drawing itself (pure) and the maps on the region pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import pytest

from deskpemilu.regions.svgmap import MapDot, Projection, render_map, rings

SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Area:
    code: str
    name: str
    boundary: Any
    label_lat: float | None = None
    label_lon: float | None = None


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output


def the_svg(html: str) -> ElementTree.Element:
    found = re.search(r"<svg.*?</svg>", html, re.S)
    assert found is not None
    return parse(found[0])


def paths(svg: ElementTree.Element) -> list[ElementTree.Element]:
    return list(svg.iter(f"{SVG}path"))


# --- The drawing ------------------------------------------------------------------------------


def test_it_draws_one_linked_path_per_region():
    areas = [Area("1", "Satu", square(116.0, -8.6)), Area("2", "Dua", square(116.01, -8.6))]
    svg = parse(
        render_map(
            areas,
            fills={"1": "#ff0000", "2": "#00ff00"},
            links={"1": "/wilayah/1/"},
            titles={"1": "Satu · TPS 3"},
        )
    )
    drawn = paths(svg)
    assert [p.get("data-code") for p in drawn] == ["1", "2"]
    assert [p.get("fill") for p in drawn] == ["#ff0000", "#00ff00"]
    link = svg.find(f"{SVG}a")
    assert link is not None and link.get("href") == "/wilayah/1/"
    assert link.findtext(f"{SVG}title") == "Satu · TPS 3"
    assert svg.find(f"{SVG}g/{SVG}title").text == "Dua"  # no link: a plain group, its name


def test_it_escapes_every_text():
    areas = [Area("1", '<script>alert("x")</script> & co', square(116.0, -8.6), -8.595, 116.005)]
    svg = render_map(
        areas,
        fills={"1": '"/><script>'},
        links={"1": '/x?a=1&b="2"'},
        dots=[MapDot("t", -8.595, 116.005, title="<b>", label="<i>")],
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    parsed = parse(svg)  # still well-formed XML
    assert parsed.find(f"{SVG}a").get("href") == '/x?a=1&b="2"'


def test_it_fits_the_view_box_to_the_regions():
    areas = [Area("1", "A", square(116.0, -8.6, 0.02)), Area("2", "B", square(116.05, -8.55, 0.01))]
    svg = parse(render_map(areas, fills={}, width=600))
    width, height = map(float, svg.get("viewBox").split()[2:])
    assert width == 600
    numbers = [float(n) for p in paths(svg) for n in re.findall(r"[\d.]+", p.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    assert min(xs) >= 0 and max(xs) <= width and min(ys) >= 0 and max(ys) <= height
    assert min(xs) == pytest.approx(8) and max(xs) == pytest.approx(592)  # the padding


def test_it_shortens_longitude_by_the_cosine_of_latitude():
    # One degree by one degree at 60° south is half as wide as it is tall.
    projection = Projection.fit([(10.0, -60.5), (11.0, -59.5)], width=1000, padding=0)
    assert projection.height == pytest.approx(2000, rel=0.01)
    assert projection(10.0, -59.5) == (0, 0)  # north-west corner at the origin


def test_it_draws_multipolygons_and_holes():
    outer = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    hole = [[0.2, 0.2], [0.2, 0.8], [0.8, 0.8], [0.8, 0.2], [0.2, 0.2]]
    island = [[2, 0], [3, 0], [3, 1], [2, 0]]
    geometry = {"type": "MultiPolygon", "coordinates": [[outer, hole], [island]]}
    assert len(rings(geometry)) == 3
    svg = parse(render_map([Area("1", "A", geometry)], fills={}))
    (path,) = paths(svg)
    assert path.get("d").count("M") == 3
    assert path.get("fill-rule") == "evenodd"


@pytest.mark.parametrize(
    "boundary",
    [
        None,
        "POLYGON",
        {"type": "Point", "coordinates": [116, -8]},
        {"type": "Polygon", "coordinates": "x"},
        {"type": "Polygon", "coordinates": [[[116, -8], ["a", None], [True, 1]]]},
        {"type": "Polygon", "coordinates": [[[float("nan"), -8], [116, -8]]]},
    ],
)
def test_it_skips_broken_boundaries(boundary):
    areas = [Area("bad", "Rusak", boundary), Area("ok", "Baik", square(116.0, -8.6))]
    svg = parse(render_map(areas, fills={}))
    assert [p.get("data-code") for p in paths(svg)] == ["ok"]


def test_it_draws_nothing_without_geometry():
    assert render_map([Area("1", "A", None)], fills={}) == ""


def test_it_writes_labels_at_label_points():
    area = Area("1", "Tengah", square(116.0, -8.6), label_lat=-8.595, label_lon=116.005)
    svg = parse(render_map([area], fills={}, width=600, labels=[area]))
    text = svg.find(f"{SVG}text")
    assert text is not None and text.text == "Tengah"
    assert float(text.get("x")) == pytest.approx(300)


def test_it_draws_dots_with_links():
    area = Area("1", "A", square(116.0, -8.6))
    dots = [MapDot("t1", -8.595, 116.005, "TPS 001", "1")]
    svg = parse(render_map([area], fills={}, dots=dots, dot_links={"t1": "/wilayah/tps/t1/"}))
    circle = svg.find(f"{SVG}a/{SVG}circle")
    assert circle is not None and circle.get("data-code") == "t1"


# --- On the pages -----------------------------------------------------------------------------


def test_it_maps_the_fifty_kelurahan_on_the_city_page(client_for, admin):
    html = client_for(admin).get("/wilayah/5271/").content.decode()
    svg = the_svg(html)
    drawn = paths(svg)
    assert len(drawn) == 50
    assert all(len(p.get("data-code")) == 10 for p in drawn)
    assert len({p.get("fill") for p in drawn}) == 6  # coloured by kecamatan
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert "/wilayah/5271011006/" in links
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert any(t.startswith("Pejeruk · TPS 30 · DPT ") for t in titles)
    assert [t.text for t in svg.iter(f"{SVG}text")] == [
        "Ampenan",
        "Mataram",
        "Cakranegara",
        "Sekarbela",
        "Selaparang",
        "Sandubaya",
    ]
    assert html.count('<li><i style="background: #') == 6  # the legend


def test_it_maps_the_kelurahan_of_a_kecamatan(client_for, admin):
    svg = the_svg(client_for(admin).get("/wilayah/527101/").content.decode())
    assert len(paths(svg)) == 10
    assert "Pejeruk" in [t.text for t in svg.iter(f"{SVG}text")]


def test_it_maps_the_tps_of_a_kelurahan(client_for, lurah):
    svg = the_svg(client_for(lurah).get("/wilayah/5271011006/").content.decode())
    assert [p.get("data-code") for p in paths(svg)] == ["5271011006"]
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert len(links) == 30
    assert "/wilayah/tps/5271011006001/" in links


def test_it_links_the_camat_to_their_kelurahan(client_for, camat):
    svg = the_svg(client_for(camat).get("/wilayah/527106/").content.decode())
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert links and all(href.startswith("/wilayah/527106") for href in links)


def test_it_shows_the_tps_on_its_page(client_for, lurah):
    svg = the_svg(client_for(lurah).get("/wilayah/tps/5271011006001/").content.decode())
    (circle,) = svg.iter(f"{SVG}circle")
    assert circle.get("data-code") == "5271011006001"
