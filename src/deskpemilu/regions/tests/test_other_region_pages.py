"""Another kota/kabupaten served end to end: with DESKPEMILU_REGION=5207 (Kabupaten Sumbawa
Barat, loaded by `load_regions` beside Kota Mataram) every page of the menu answers 200 and the
header names the kabupaten, not Kota Mataram."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from deskpemilu.regions.models import Region
from deskpemilu.regions.seed import DATA_DIR

from .conftest import csv_bytes

KSB = "5207"
GOA = "5207012001"  # a desa of Kecamatan Jereweh
TALIWANG = "520702"
HEADER_NAME = "Kabupaten Sumbawa Barat"


@pytest.fixture
def sumbawa_barat(db, settings, tmp_path):
    """The second region loaded the documented way (regions, then a TPS list), and served."""
    out = io.StringIO()
    call_command("load_regions", str(DATA_DIR / "sumbawa_barat_wilayah.csv"), stdout=out)
    tps = tmp_path / "tps.csv"
    tps.write_bytes(
        csv_bytes(
            [
                [f"{GOA}001", "1", "SDN 1 Goa", "150", "160", "", ""],
                [f"{GOA}002", "2", "Balai Desa Goa", "140", "145", "", ""],
            ]
        )
    )
    call_command("import_tps", str(tps), stdout=out)
    settings.DESKPEMILU_INSTALLATION_REGION = KSB
    return Region.objects.get(code=KSB)


def _header(body: str) -> str:
    return body.split("</header>", 1)[0]


def _menu(body: str) -> list[str]:
    nav = body.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def test_the_loaded_region_counts_its_tps(sumbawa_barat):
    assert sumbawa_barat.tps_count == 2
    assert sumbawa_barat.dpt == 595


def test_every_page_of_the_menu_answers_for_the_second_region(sumbawa_barat, admin, client_for):
    web = client_for(admin)
    home = web.get("/")
    assert home.status_code == 200
    body = home.content.decode()
    assert HEADER_NAME in _header(body)
    assert "Kota Mataram" not in _header(body)
    links = _menu(body)
    assert len(links) >= 10
    extra = [
        "/situasi/",
        "/situasi/tv/",
        f"/rekap/ppwp/{KSB}/",
        f"/rekap/ppwp/{TALIWANG}/",
        f"/rekap/ppwp/{GOA}/",
        f"/rekap/dpd/{KSB}/",
        f"/rekap/ppwp/{KSB}/dhasil/",
        f"/kesiapan/wilayah/{KSB}/",
        f"/kesiapan/tps/{GOA}001/",
        f"/wilayah/{TALIWANG}/",
        f"/wilayah/tps/{GOA}001/",
        "/laporan/",
    ]
    for url in dict.fromkeys(links + extra):
        answer = web.get(url)
        assert answer.status_code == 200, url
        if answer["Content-Type"].startswith("text/html") and "<header" in answer.content.decode():
            header = _header(answer.content.decode())
            assert HEADER_NAME in header, url
            assert "Kota Mataram" not in header, url


def test_the_pages_open_at_the_second_region(sumbawa_barat, admin, client_for):
    web = client_for(admin)
    # The menu's "Wilayah" and the recap start at the installation's region, its kecamatan below.
    assert f'href="/wilayah/{KSB}/"' in web.get("/").content.decode()
    assert "Jereweh" in web.get(f"/wilayah/{KSB}/").content.decode()
    assert web.get("/rekap/?kontes=ppwp")["Location"] == f"/rekap/ppwp/{KSB}/"
    assert "Taliwang" in web.get(f"/rekap/ppwp/{KSB}/").content.decode()
    assert "Taliwang" in web.get("/kesiapan/").content.decode()


def test_the_daily_report_is_of_the_second_region(sumbawa_barat, admin, client_for):
    answer = client_for(admin).get("/laporan/harian.pdf")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    assert "TIM DESK PEMILU KABUPATEN SUMBAWA BARAT" in text
    assert "MATARAM" not in text.upper().split("LAPORAN HARIAN")[0]  # the letterhead


def test_an_operator_of_the_second_region_lands_on_a_home(sumbawa_barat, make_user, client_for):
    operator = make_user("op_goa", "operator", GOA, "diskominfo")
    web = client_for(operator)
    home = web.get("/")
    assert home.status_code == 200
    assert HEADER_NAME in _header(home.content.decode())
    for url in _menu(home.content.decode()):
        assert web.get(url).status_code == 200, url


def test_a_region_not_loaded_yet_says_what_to_do(db, settings, admin, client_for):
    settings.DESKPEMILU_INSTALLATION_REGION = "5201"  # Lombok Barat: not in the database
    answer = client_for(admin).get("/")
    assert answer.status_code == 503
    body = answer.content.decode()
    assert "Wilayah belum dimuat" in body
    assert "deskpemilu load_regions" in body
    assert "5201" in _header(body)  # the header names the code until the region is loaded


def test_the_installable_app_is_named_after_the_region(sumbawa_barat, client):
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["name"] == "Desk Pemilu Kabupaten Sumbawa Barat"


def test_no_page_of_the_second_region_names_kota_mataram_as_its_own(
    sumbawa_barat, admin, client_for
):
    web = client_for(admin)
    for url in ("/laporan/", f"/rekap/ppwp/{KSB}/dhasil/", "/situasi/"):
        body = web.get(url).content.decode()
        assert "Pemerintah Kota Mataram" not in body, url
        assert HEADER_NAME in body, url


def test_the_second_regions_boundaries_draw_its_maps(sumbawa_barat, admin, client_for, tmp_path):
    import json

    ring = [[116.80, -8.70], [116.85, -8.70], [116.85, -8.65], [116.80, -8.65], [116.80, -8.70]]
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "label_lat": -8.675, "label_lng": 116.825},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for code in ("52.07", "52.07.01", "52.07.01.2001")
    ]
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    wilayah = str(DATA_DIR / "sumbawa_barat_wilayah.csv")
    call_command("load_regions", wilayah, "--batas", str(path), stdout=io.StringIO())
    web = client_for(admin)
    pages = ("/situasi/", f"/kesiapan/wilayah/{KSB}/", f"/rekap/ppwp/{KSB}/", f"/wilayah/{KSB}/")
    for url in pages:
        body = web.get(url).content.decode()
        assert f'data-code="{GOA}"' in body or 'data-code="520701"' in body, url
