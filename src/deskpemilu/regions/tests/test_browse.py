"""Region pages (/wilayah/<code>/): kota → kecamatan → kelurahan, scoped to the reader."""

from __future__ import annotations

import re

import pytest

from deskpemilu.regions.models import Tps

KOTA = "5271"
AMPENAN = "527101"
AMPENAN_SELATAN = "5271011004"
PEJERUK = "5271011006"
SANDUBAYA = "527106"


def page(client, code: str) -> str:
    response = client.get(f"/wilayah/{code}/")
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    """The page's own content, without the layout (which holds the URL and a CSRF token)."""
    return html.split('<main id="isi">')[1].split("</main>")[0]


def stats(html: str) -> dict[str, str]:
    """The figures at the top of a page, by label: {"TPS": "1.248", ...}."""
    block = re.search(r'<ul class="stats">(.*?)</ul>', html, re.S)
    assert block is not None
    return {
        label.strip(): value
        for label, value in re.findall(
            r"<li>([^<]*)(?:<span[^>]*>[^<]*</span>)?<b>([^<]*)</b>", block[1]
        )
    }


def test_it_shows_the_city(client_for, admin):
    html = page(client_for(admin), KOTA)
    assert "<h1>Kota Mataram" in html
    assert stats(html) == {"Kecamatan": "6", "Kelurahan": "50", "TPS": "1.248", "DPT": "315.549"}


def test_it_lists_the_kecamatan_with_counts(client_for, admin):
    html = page(client_for(admin), KOTA)
    for name in ["Ampenan", "Mataram", "Cakranegara", "Sekarbela", "Selaparang", "Sandubaya"]:
        assert f">{name}</a>" in html
    assert 'href="/wilayah/527101/"' in html
    # The footer row sums the table in Indonesian format.
    assert '<th class="num">1.248</th>' in html
    assert '<th class="num">315.549</th>' in html


def test_it_shows_a_kecamatan(client_for, admin):
    html = page(client_for(admin), AMPENAN)
    assert "<h1>Kecamatan Ampenan" in html
    assert stats(html)["Kelurahan"] == "10"
    assert 'href="/wilayah/5271011006/">Pejeruk</a>' in html


def test_it_lists_the_tps_of_a_kelurahan(client_for, admin):
    html = page(client_for(admin), PEJERUK)
    assert "<h1>Kelurahan Pejeruk" in html
    assert stats(html)["TPS"] == "30"
    assert html.count('href="/wilayah/tps/5271011006') >= 30
    assert 'href="/wilayah/tps/5271011006030/">TPS 030</a>' in html


def test_it_marks_demo_dpt(client_for, admin):
    html = page(client_for(admin), PEJERUK)
    assert '<span class="badge demo"' in html
    assert "sampai daftar TPS dari KPU diimpor" in html


def test_it_drops_the_demo_mark_once_real_data_is_in(client_for, admin):
    Tps.objects.filter(kelurahan_id=PEJERUK).update(is_demo=False)
    html = page(client_for(admin), PEJERUK)
    assert "badge demo" not in html


def test_it_shows_breadcrumbs_from_the_city(client_for, admin):
    html = page(client_for(admin), PEJERUK)
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S)
    assert crumbs is not None
    assert re.findall(r'href="/wilayah/(\d+)/"', crumbs[0]) == [KOTA, AMPENAN]


def test_it_shows_breadcrumbs_only_inside_the_scope(client_for, camat):
    html = page(client_for(camat), "5271061001")
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S)
    assert crumbs is not None
    assert re.findall(r'href="/wilayah/(\d+)/"', crumbs[0]) == [SANDUBAYA]


def test_it_shows_the_lurah_their_kelurahan(client_for, lurah):
    html = page(client_for(lurah), PEJERUK)
    assert 'class="breadcrumb"' not in html  # nothing above their own scope
    assert 'href="/wilayah/5271/"' not in main(html)


@pytest.mark.parametrize("code", [KOTA, AMPENAN, AMPENAN_SELATAN, "52", "5271031001"])
def test_it_hides_other_regions_from_the_lurah(client_for, lurah, code):
    assert client_for(lurah).get(f"/wilayah/{code}/").status_code == 403


def test_it_lets_the_camat_see_the_kecamatan(client_for, camat):
    assert client_for(camat).get(f"/wilayah/{SANDUBAYA}/").status_code == 200
    assert client_for(camat).get(f"/wilayah/{KOTA}/").status_code == 403
    assert client_for(camat).get(f"/wilayah/{AMPENAN}/").status_code == 403


@pytest.mark.parametrize("code", [AMPENAN, AMPENAN_SELATAN, PEJERUK])
def test_it_keeps_the_outsider_out_of_ampenan(client_for, outsider, code):
    assert client_for(outsider).get(f"/wilayah/{code}/").status_code == 403


def test_it_says_outside_the_area_without_revealing_what_exists(client_for, lurah):
    client = client_for(lurah)
    assert client.get("/wilayah/52710110069/").status_code == 404  # in the scope, no such region
    hidden = client.get(f"/wilayah/{AMPENAN_SELATAN}/")
    missing = client.get("/wilayah/5271011099/")  # outside the scope, no such region
    assert missing.status_code == hidden.status_code == 403
    assert main(missing.content.decode()) == main(hidden.content.decode())
    text = main(hidden.content.decode())
    assert "Di luar wilayah tugas Anda" in text and "Kelurahan Pejeruk" in text
    assert "tidak ditemukan" not in text


@pytest.mark.parametrize("code", ["abc", "5271'--", "%F0%9F%98%80", "²"])
def test_it_answers_404_for_nonsense(client_for, admin, code):
    assert client_for(admin).get(f"/wilayah/{code}/").status_code == 404


def test_it_lets_the_viewer_browse_everything(client_for, viewer):
    assert client_for(viewer).get(f"/wilayah/{KOTA}/").status_code == 200
    assert client_for(viewer).get(f"/wilayah/{PEJERUK}/").status_code == 200


def test_it_sends_strangers_to_login(client):
    response = client.get(f"/wilayah/{KOTA}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_offers_exports_to_the_desk_only(client_for, admin, viewer):
    assert "/wilayah/ekspor/?format=csv&amp;region=5271" in page(client_for(admin), KOTA)
    assert "/wilayah/ekspor/" not in page(client_for(viewer), KOTA)


def test_it_redirects_a_tps_code_to_its_page(client_for, lurah):
    response = client_for(lurah).get("/wilayah/5271011006001/")
    assert response.status_code == 302
    assert response["Location"] == "/wilayah/tps/5271011006001/"
    assert client_for(lurah).get("/wilayah/5271011004001/").status_code == 403


def test_it_shows_the_outsider_their_own_kelurahan(client_for, outsider):
    assert "Cakranegara Timur" in page(client_for(outsider), "5271031006")
