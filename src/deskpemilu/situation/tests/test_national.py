"""The nation in pages: with DESKPEMILU_REGION=0 the recap, the situation room and the daily
report work at national, province and kab/kota level, as the API already did (the top-level
regions of the database are the nation's children: here Nusa Tenggara Barat, with Kota Mataram
and Kabupaten Sumbawa Barat loaded)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from deskpemilu.regions.seed import DATA_DIR
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps

AMPENAN_SELATAN_TPS = "5271011004001"
LEVELS = ["0", "52", "5271"]  # the nation, a province, a kota


@pytest.fixture
def nation(db, settings, api_for, admin):
    call_command("load_regions", str(DATA_DIR / "sumbawa_barat_wilayah.csv"), stdout=io.StringIO())
    client = api_for(admin)
    body = json.dumps(sheet_for_tps(AMPENAN_SELATAN_TPS))
    url = f"/api/v1/results/ppwp/{AMPENAN_SELATAN_TPS}"
    assert client.put(url, body, content_type="application/json").status_code == 201
    attach_photo(client, "ppwp", AMPENAN_SELATAN_TPS)
    settings.DESKPEMILU_INSTALLATION_REGION = "0"


def _header(body: str) -> str:
    return body.split("</header>", 1)[0]


@pytest.mark.parametrize("code", LEVELS)
def test_the_recap_pages_answer_at_every_level(nation, admin, client_for, code):
    web = client_for(admin)
    for url in (
        f"/rekap/ppwp/{code}/",
        f"/rekap/ppwp/{code}/fragmen/",
        f"/rekap/ppwp/{code}/dhasil/",
        f"/rekap/ppwp/{code}/ekspor.csv",
        f"/rekap/ppwp/{code}/ekspor.xlsx",
        f"/rekap/dpr/{code}/kursi/",
    ):
        assert web.get(url).status_code == 200, url


def test_the_national_recap_lists_the_provinces_and_sums_them(nation, admin, client_for):
    web = client_for(admin)
    page = web.get("/rekap/ppwp/0/").content.decode()
    assert "Nusa Tenggara Barat" in page
    assert 'href="/rekap/ppwp/52/' in page
    province = web.get("/rekap/ppwp/52/").content.decode()
    assert "Kota Mataram" in province and "Kabupaten Sumbawa Barat" in province
    national = web.get("/rekap/ppwp/0/ekspor.csv").content.decode()
    by_province = web.get("/rekap/ppwp/52/ekspor.csv").content.decode()
    # Children first, then the total: the nation's one province row, the nation's total and
    # the province's own total carry the same figures (after kode, nama, tingkat).
    ntb_row, national_total = national.splitlines()[1:3]
    province_total = next(ln for ln in by_province.splitlines() if ln.startswith("52,Jumlah"))
    assert ntb_row.split(",")[:2] == ["52", "Nusa Tenggara Barat"]
    assert ntb_row.split(",")[3:] == national_total.split(",")[3:] == province_total.split(",")[3:]
    assert national_total.split(",")[3:6] == ["1248", "1", "0"]  # 1 TPS reported
    assert web.get("/rekap/?kontes=ppwp")["Location"] == "/rekap/ppwp/0/"


@pytest.mark.parametrize("code", LEVELS)
def test_the_situation_room_and_report_answer_at_every_level(nation, admin, client_for, code):
    web = client_for(admin)
    query = "" if code == "0" else f"?wilayah={code}"
    for url in (
        f"/situasi/{query}",
        f"/situasi/fragmen/{query}",
        f"/situasi/tv/{query}",
        f"/laporan/{query}",
        f"/laporan/situasi.xlsx{query}",
    ):
        assert web.get(url).status_code == 200, url
    report = web.get(f"/laporan/harian.pdf{query}")
    assert report.status_code == 200
    assert report["Content-Type"] == "application/pdf"


def test_home_is_the_national_situation_room(nation, admin, client_for):
    web = client_for(admin)
    home = web.get("/")
    assert home.status_code == 200
    body = home.content.decode()
    assert "Nasional" in _header(body)
    assert "Kota Mataram" not in _header(body)
    assert 'href="/wilayah/0/"' in _header(body)
    assert "Nusa Tenggara Barat" in web.get("/situasi/").content.decode()


def test_the_situation_room_narrows_to_a_province(nation, admin, client_for):
    body = client_for(admin).get("/situasi/?wilayah=52").content.decode()
    assert "Nusa Tenggara Barat" in body


def test_every_page_of_the_menu_answers_in_national_mode(nation, admin, client_for):
    web = client_for(admin)
    nav = web.get("/").content.decode().split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    import re

    for url in re.findall(r'href="([^"]+)"', nav):
        assert web.get(url).status_code == 200, url


def test_a_scoped_account_gets_no_national_page(nation, lurah, client_for):
    web = client_for(lurah)
    assert web.get("/rekap/ppwp/0/").status_code == 403
    assert web.get("/rekap/ppwp/52/").status_code == 403
    assert web.get("/").status_code == 200  # its own home, in its own kelurahan


def test_the_national_figures_are_the_sums_of_the_provinces(nation, admin, api_for, settings):
    """The situation summary of the nation counts what its regions count (not zeros)."""
    client = api_for(admin)
    national = client.get("/api/v1/situation/summary").json()
    settings.DESKPEMILU_INSTALLATION_REGION = "52"
    province = client.get("/api/v1/situation/summary").json()
    assert national["region"]["code"] == "0"
    ppwp = {r["contest"]: r for r in national["results"]}["ppwp"]
    assert (ppwp["tps_total"], ppwp["tps_reported"]) == (1248, 1)
    assert national["results"] == province["results"]
    assert national["readiness"]["tps_total"] == province["readiness"]["tps_total"] == 1248
    assert [c["code"] for c in national["readiness"]["children"]] == ["52"]


def test_the_pages_below_lead_back_to_the_nation(nation, admin, client_for):
    web = client_for(admin)
    recap = web.get("/rekap/ppwp/5271/").content.decode()
    assert 'href="/rekap/ppwp/0/' in recap
    assert 'href="/rekap/ppwp/52/' in recap
    regions = web.get("/wilayah/0/").content.decode()
    assert 'href="/wilayah/52/"' in regions
    assert 'href="/wilayah/0/"' in web.get("/wilayah/5271/").content.decode()


def test_the_public_portal_opens_at_the_nation(nation, settings, client):
    settings.DESKPEMILU_PUBLIC_PORTAL = True
    assert client.get("/publik/").status_code == 200
    assert "Nusa Tenggara Barat" in client.get("/publik/").content.decode()
    assert client.get("/publik/wilayah/52/").status_code == 200
    assert client.get("/publik/wilayah/5271/").status_code == 200
    assert client.get("/publik/data/ppwp/0.csv").status_code == 200


def test_the_stages_and_the_incident_form_list_the_nations_areas(nation, admin, client_for):
    web = client_for(admin)
    assert "Ampenan" in web.get("/tahapan/").content.decode()
    form = web.get("/kejadian/lapor/").content.decode()
    assert "Ampenan Selatan" in form and "Jereweh" in form


def test_the_national_dhasil_results_and_tps_export_cover_the_provinces(nation, admin, client_for):
    web = client_for(admin)
    assert "Nusa Tenggara Barat" in web.get("/rekap/ppwp/0/dhasil/").content.decode()
    results = web.get("/hasil/").content.decode()
    assert "Nusa Tenggara Barat" in results
    rows = web.get("/rekap/tps.csv?contest=ppwp&region=0").content.decode().splitlines()
    assert any(row.startswith(AMPENAN_SELATAN_TPS) for row in rows)
    assert len([r for r in rows if r[:1].isdigit()]) == 1248


def test_the_national_readiness_export_lists_every_tps(nation, admin, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    answer = client_for(admin).get("/kesiapan/ekspor/")
    assert answer.status_code == 200
    sheet = load_workbook(BytesIO(answer.content), read_only=True).worksheets[0]
    codes = [row[0] for row in sheet.iter_rows(values_only=True) if str(row[0]).isdigit()]
    assert len(codes) == 1248


def test_the_national_comparison_sums_the_provinces(nation, admin, client_for, api_for):
    web = client_for(admin)
    web.post("/pemilihan/", {"pemilihan": "pilkada2024"})
    body = json.dumps(sheet_for_tps(AMPENAN_SELATAN_TPS, "pkwkk"))
    url = f"/api/v1/results/pkwkk/{AMPENAN_SELATAN_TPS}"
    assert api_for(admin).put(url, body, content_type="application/json").status_code == 201
    page = web.get("/rekap/pkwkk/0/banding/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-code="52"' in text
    national = api_for(admin).get("/api/v1/recap/pkwkk/0/compare").json()
    province = api_for(admin).get("/api/v1/recap/pkwkk/52/compare").json()
    # The nation's own figures are its one province's, now and at the election before.
    assert national["now"]["turnout"] is not None
    assert (national["now"], national["before"]) == (province["now"], province["before"])
    assert [c["code"] for c in national["children"]] == ["52"]


@pytest.mark.parametrize("who", ["polri", "viewer", "verifier", "camat"])
def test_every_role_finds_its_pages_in_national_mode(nation, request, client_for, who):
    import re

    web = client_for(request.getfixturevalue(who))
    home = web.get("/")
    assert home.status_code == 200
    nav = home.content.decode().split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    for url in re.findall(r'href="([^"]+)"', nav):
        assert web.get(url).status_code == 200, (who, url)


def test_the_national_seat_projection_holds_every_dapil(nation, admin, client_for):
    web = client_for(admin)
    national = web.get("/rekap/dprd-kabkota/0/kursi/").content.decode()
    city = web.get("/rekap/dprd-kabkota/5271/kursi/").content.decode()
    for dapil in ("Dapil Kota Mataram 1 (Mataram)", "Dapil Kota Mataram 6 (Sandubaya)"):
        assert dapil in national and dapil in city


@pytest.mark.parametrize("bad", ["abc", "５２", "99", "52;drop", "0" * 40])
def test_a_bad_area_is_a_404_never_a_500(nation, admin, client_for, bad):
    web = client_for(admin)
    for url in ("/situasi/", "/situasi/fragmen/", "/situasi/tv/", "/laporan/harian.pdf"):
        assert web.get(url, {"wilayah": bad}).status_code == 404, (url, bad)
