"""The TPS page (/wilayah/tps/<code>/): number, address, DPT, coordinates, inside the scope."""

from __future__ import annotations

import pytest

from deskpemilu.regions.models import Tps

OWN = "5271011006001"  # Pejeruk, the lurah's kelurahan
OTHER = "5271011004001"  # Ampenan Selatan


def url(code: str) -> str:
    return f"/wilayah/tps/{code}/"


def test_it_shows_a_tps(client_for, admin):
    Tps.objects.filter(code=OTHER).update(address="SDN 1 Ampenan <Selatan>")
    response = client_for(admin).get(url(OTHER))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>TPS 001" in html
    assert "SDN 1 Ampenan &lt;Selatan&gt;" in html
    assert "<dd>118</dd>" in html  # DPT laki-laki
    assert "<dd>121</dd>" in html  # DPT perempuan
    assert "<dd><b>239</b></dd>" in html
    # Coordinates keep their decimal point, also in Indonesian.
    assert 'href="geo:-8.57857,116.073742"' in html


def test_it_says_when_coordinates_are_missing(client_for, admin):
    Tps.objects.filter(code=OTHER).update(lat=None, lon=None)
    html = client_for(admin).get(url(OTHER)).content.decode()
    assert "geo:" not in html
    assert "belum diisi" in html


def test_it_marks_special_locations(client_for, admin):
    html = client_for(admin).get(url("5271051001901")).content.decode()
    assert "Lapas Perempuan Mataram" in html
    assert "lokasi khusus" in html


def test_it_shows_the_lurah_their_own_tps(client_for, lurah):
    assert client_for(lurah).get(url(OWN)).status_code == 200


@pytest.mark.parametrize("code", [OTHER, "5271031001001", "5271011006999", "527101100600", "x"])
def test_it_hides_other_tps_from_the_lurah(client_for, lurah, code):
    # Outside the area: 403 saying so; a missing TPS of the area or no TPS code at all: 404.
    expected = 403 if code in (OTHER, "5271031001001") else 404
    assert client_for(lurah).get(url(code)).status_code == expected


@pytest.mark.parametrize("code", [OTHER, OWN, "5271011004026"])
def test_it_keeps_the_outsider_out_of_ampenan(client_for, outsider, code):
    assert client_for(outsider).get(url(code)).status_code == 403


def test_it_sends_strangers_to_login(client):
    assert client.get(url(OWN)).status_code == 302


def test_it_shows_the_outsider_their_own_tps(client_for, outsider):
    assert client_for(outsider).get(url("5271031006001")).status_code == 200
