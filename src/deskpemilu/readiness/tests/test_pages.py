"""The readiness pages: the area summary with its map, the TPS checklist form, settings."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from deskpemilu.readiness.maps import GREEN, GREY, RED
from deskpemilu.readiness.models import ChecklistItem, ReadinessReport
from deskpemilu.readiness.tests.helpers import AMPENAN_SELATAN_TPS, PEJERUK_TPS, all_siap, put

PEJERUK = "5271011006"


def form_all_siap(**extra):
    data = {}
    for item in ChecklistItem.objects.filter(is_active=True):
        data[f"status-{item.code}"] = "siap"
        if item.needs_quantity:
            data[f"jumlah-{item.code}"] = "1000"
    data.update(extra)
    return data


def fill_of(html: str, code: str) -> str:
    match = re.search(
        rf'<path d="[^"]*" fill="([^"]+)" fill-rule="evenodd" data-code="{code}"', html
    )
    assert match, f"no path for {code}"
    return match.group(1)


@pytest.mark.django_db
def test_it_saves_the_checklist_from_the_form(client_for, lurah, viewer):
    client = client_for(lurah)
    page = client.get(f"/kesiapan/tps/{PEJERUK_TPS}/")
    assert page.status_code == 200
    assert b'name="status-lokasi"' in page.content
    response = client.post(f"/kesiapan/tps/{PEJERUK_TPS}/", form_all_siap(), follow=True)
    assert response.status_code == 200
    assert b'data-testid="tps-ready"' in response.content
    assert ReadinessReport.objects.filter(tps_id=PEJERUK_TPS, source="web").count() == 17
    city = client_for(viewer).get("/kesiapan/wilayah/5271/")
    assert b'data-testid="tps-ready">1<' in city.content


@pytest.mark.django_db
def test_it_colours_the_map_by_readiness(client_for, lurah, viewer):
    reader = client_for(viewer)
    assert fill_of(reader.get("/kesiapan/wilayah/5271/").content.decode(), PEJERUK) == GREY
    client_for(lurah).post(f"/kesiapan/tps/{PEJERUK_TPS}/", form_all_siap())
    html = reader.get("/kesiapan/wilayah/5271/").content.decode()
    assert fill_of(html, PEJERUK) == RED  # 1 of its TPS ready: under half
    assert fill_of(html, "5271011004") == GREY
    assert f'href="/kesiapan/wilayah/{PEJERUK}/"' in html


@pytest.mark.django_db
def test_it_turns_a_kelurahan_green_when_every_tps_is_ready(api_for, client_for, admin):
    from deskpemilu.regions.models import Tps

    client = api_for(admin)
    for tps in Tps.objects.filter(kelurahan_id=PEJERUK):
        assert put(client, tps.code, all_siap()).status_code == 200
    html = client_for(admin).get("/kesiapan/wilayah/527101/").content.decode()
    assert fill_of(html, PEJERUK) == GREEN


@pytest.mark.django_db
def test_it_shows_form_errors_and_stores_nothing(client_for, lurah):
    data = form_all_siap(**{"jumlah-kpps": "tujuh", "status-tinta": "rusak"})
    response = client_for(lurah).post(f"/kesiapan/tps/{PEJERUK_TPS}/", data)
    assert response.status_code == 422
    assert b"Jumlah harus angka" in response.content
    summary = response.content.decode().split('id="ringkasan-masalah"')[1].split("</div>")[0]
    assert "Kesiapan belum disimpan: 1 masalah" in summary and "autofocus" in summary
    assert '<a href="#butir-kpps">KPPS lengkap: Jumlah harus angka.</a>' in summary
    assert not ReadinessReport.objects.exists()


@pytest.mark.django_db
def test_it_warns_when_ballots_are_short(client_for, lurah):
    data = form_all_siap(**{"jumlah-surat_suara_dpd": "10"})
    response = client_for(lurah).post(f"/kesiapan/tps/{PEJERUK_TPS}/", data, follow=True)
    assert "kurang dari target" in response.content.decode()


@pytest.mark.django_db
def test_it_keeps_a_photo_of_an_item(client_for, lurah, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "tenda.jpg"
    client = client_for(lurah)
    data = {"status-lokasi": "siap", "foto-lokasi": buffer}
    assert client.post(f"/kesiapan/tps/{PEJERUK_TPS}/", data).status_code == 302
    report = ReadinessReport.objects.get(tps_id=PEJERUK_TPS, item__code="lokasi")
    assert len(report.photo_sha256) == 64
    photo = client.get(f"/kesiapan/tps/{PEJERUK_TPS}/foto/{report.photo_sha256}/")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert client.get(f"/kesiapan/tps/{PEJERUK_TPS}/foto/{'0' * 64}/").status_code == 404


@pytest.mark.django_db
def test_it_keeps_a_lurah_to_their_kelurahan(client_for, lurah, viewer):
    client = client_for(lurah)
    assert client.get(f"/kesiapan/tps/{AMPENAN_SELATAN_TPS}/").status_code == 403
    assert client.post(f"/kesiapan/tps/{AMPENAN_SELATAN_TPS}/", form_all_siap()).status_code == 403
    assert client.get("/kesiapan/wilayah/5271/").status_code == 403
    home = client.get("/kesiapan/")
    assert home.status_code == 200 and "Pejeruk" in home.content.decode()
    # A reader sees the checklist but cannot save it.
    reader = client_for(viewer)
    page = reader.get(f"/kesiapan/tps/{PEJERUK_TPS}/")
    assert page.status_code == 200 and b'type="submit"' not in page.content
    assert reader.post(f"/kesiapan/tps/{PEJERUK_TPS}/", form_all_siap()).status_code == 403
    assert not ReadinessReport.objects.exists()


@pytest.mark.django_db
def test_it_shows_the_past(client_for, api_for, lurah):
    put(api_for(lurah), PEJERUK_TPS, all_siap())
    client = client_for(lurah)
    page = client.get(f"/kesiapan/wilayah/{PEJERUK}/?pada=h-3")
    assert page.status_code == 200
    assert b'data-testid="tps-ready">0<' in page.content
    assert client.get(f"/kesiapan/wilayah/{PEJERUK}/?pada=besok").status_code == 400
    past = client.get(f"/kesiapan/tps/{PEJERUK_TPS}/?pada=h-3")
    assert b'type="submit"' not in past.content


@pytest.mark.django_db
def test_it_reads_the_city_page_in_few_queries(client_for, admin, django_assert_max_num_queries):
    client = client_for(admin)
    with django_assert_max_num_queries(25):
        assert client.get("/kesiapan/wilayah/5271/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/kesiapan/wilayah/{PEJERUK}/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/kesiapan/tps/{PEJERUK_TPS}/").status_code == 200


@pytest.mark.django_db
def test_it_lets_the_desk_configure_the_checklist(client_for, admin, lurah):
    client = client_for(admin)
    assert client.get("/kesiapan/butir/").status_code == 200
    response = client.post(
        "/kesiapan/butir/",
        {"code": "genset", "label": "Genset", "target_rule": "tidak_ada", "is_active": "on"},
    )
    assert response.status_code == 302
    assert ChecklistItem.objects.get(code="genset").is_active
    bad = client.post("/kesiapan/butir/", {"code": "Bad Code!", "label": ""})
    assert bad.status_code == 422
    assert client_for(lurah).get("/kesiapan/butir/").status_code == 403
