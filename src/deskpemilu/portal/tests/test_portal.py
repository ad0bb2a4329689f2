"""The public portal: 404 until the desk turns it on; results down to each TPS with verified
beside provisional; the verified forms' photos without GPS; open data carrying the audit head;
no personal data; served from the cache (zero queries on a hit, ETag, Cache-Control public)."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from deskpemilu.audit.models import AuditEntry
from deskpemilu.audit.services import head
from deskpemilu.portal.selectors import ENABLED_SECONDS
from deskpemilu.portal.services import ENABLED_CACHE_KEY
from deskpemilu.results.tests.sheets import sheet_for_tps
from deskpemilu.situation.tests.helpers import AMPENAN_SELATAN, enter, tps_of, verify

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/publik/",
    "/publik/wilayah/527101/",
    f"/publik/wilayah/{AMPENAN_SELATAN}/",
    "/publik/tps/5271011004001/",
    "/publik/data/",
    "/publik/data/ppwp/5271.csv",
    "/publik/data/ppwp/527101/tps.csv",
    "/publik/kpu/",
    "/publik/kpu/527101/",
    "/publik/kpu/5271/selisih.csv",
]


@pytest.fixture(autouse=True)
def fresh(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on(settings):
    settings.DESKPEMILU_PUBLIC_PORTAL = True


def jpeg_with_gps(shade: int = 240) -> bytes:
    image = Image.new("RGB", (600, 800), (shade, 240, 230))
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (8.0, 34.0, 52.0), 3: "E", 4: (116.0, 4.0, 30.0)}
    exif[0x010F] = "KameraHP"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def add_photo(client: Client, tps: str, shade: int = 240) -> str:
    upload = SimpleUploadedFile("c-hasil.jpg", jpeg_with_gps(shade), "image/jpeg")
    response = client.post(f"/api/v1/results/ppwp/{tps}/photos", {"foto": [upload]})
    assert response.status_code == 201, response.content
    return str(response.json()["sha256"][0])


@pytest.fixture
def counted(api_for, admin, verifier):
    """Three TPS of Ampenan Selatan: two verified (one with a photo), one only entered."""
    desk, second = api_for(admin), api_for(verifier)
    codes = tps_of(AMPENAN_SELATAN, 3)
    for seed, tps in enumerate(codes):
        enter(desk, tps, sheet_for_tps(tps, seed=seed))
    photo = add_photo(desk, codes[0])
    unverified_photo = add_photo(desk, codes[2], shade=200)
    verify(second, codes[0])
    verify(second, codes[1])
    return {"codes": codes, "photo": photo, "unverified_photo": unverified_photo}


def test_it_is_404_while_off(client, client_for, admin):
    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 404, url
        assert client_for(admin).get(url).status_code == 404, url


def test_it_opens_with_the_setting(client, on):
    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 200, url


def test_it_opens_and_closes_with_the_desks_switch(client, client_for, admin, viewer):
    desk = client_for(admin)
    page = desk.get("/situasi/portal/").content.decode()
    assert 'data-testid="portal-on"' in page
    before, _ = head()
    assert desk.post("/situasi/portal/", {"aktif": "1"}).status_code == 302
    entry = AuditEntry.objects.get(seq=before + 1)
    assert (entry.action, entry.payload["enabled"]) == ("portal.on", True)
    assert client.get("/publik/").status_code == 200
    desk.post("/situasi/portal/", {"aktif": "0"})
    assert AuditEntry.objects.filter(action="portal.off").count() == 1
    assert client.get("/publik/").status_code == 404
    # Only the desk turns it.
    assert client_for(viewer).post("/situasi/portal/", {"aktif": "1"}).status_code == 403
    assert client.get("/publik/").status_code == 404


def in_another_process(work: Callable[[], object]) -> None:
    """As another gunicorn worker would: a process of its own, with its own memory."""
    worker = multiprocessing.get_context("fork").Process(target=work)
    worker.start()
    worker.join(timeout=30)
    assert worker.exitcode == 0


def test_the_desks_switch_reaches_every_server_process(client, client_for, admin):
    """A worker that read the switch as off just before the desk turned it on must not go on
    answering 404: the flag lives in the cache that every process shares."""
    in_another_process(lambda: cache.set(ENABLED_CACHE_KEY, False, ENABLED_SECONDS))
    assert cache.get(ENABLED_CACHE_KEY) is False
    client_for(admin).post("/situasi/portal/", {"aktif": "1"})
    assert cache.get(ENABLED_CACHE_KEY) is None
    assert client.get("/publik/").status_code == 200


def test_it_shows_verified_figures_only(client, api_for, admin, on, counted):
    """The public reads verified sheets only: the third TPS, entered but not verified, is in
    no figure of the page; the shares are the API's (largest remainder, summing to 100)."""
    recap = api_for(admin).get(f"/api/v1/recap/ppwp/{AMPENAN_SELATAN}").json()
    verified = api_for(admin).get(f"/api/v1/recap/ppwp/{AMPENAN_SELATAN}?verified_only=true").json()
    page = client.get(f"/publik/wilayah/{AMPENAN_SELATAN}/").content.decode()
    assert f'data-testid="tps-reported">{recap["tps_reported"]}<' in page
    assert f'data-testid="tps-verified">{recap["tps_verified"]}<' in page
    assert 'data-testid="votes-' not in page  # no provisional column
    for key in ("1", "2", "3"):
        ver = f"{verified['totals'][key]:,}".replace(",", ".")
        assert f'data-testid="verified-{key}">{ver}<' in page
        share = verified["shares"][key].replace(".", ",")
        assert f'data-testid="share-{key}">{share}<' in page
    assert sum(Decimal(v) for v in verified["shares"].values()) == 100
    # The kelurahan lists its TPS, each linked to its public page.
    for tps in counted["codes"]:
        assert f'href="/publik/tps/{tps}/"' in page


def test_it_walks_down_from_the_city(client, on, counted):
    city = client.get("/publik/").content.decode()
    assert 'href="/publik/wilayah/527101/?kontes=ppwp"' in city
    assert "<svg" in city  # the map of TPS reported
    kecamatan = client.get("/publik/wilayah/527101/").content.decode()
    assert f'href="/publik/wilayah/{AMPENAN_SELATAN}/?kontes=ppwp"' in kecamatan
    dpr = client.get("/publik/?kontes=dpr")
    assert dpr.status_code == 200
    assert client.get("/publik/?kontes=tidak-ada").status_code == 404
    assert client.get("/publik/wilayah/6471/").status_code == 404  # not this installation
    assert client.get("/publik/wilayah/abc/").status_code == 404


def test_it_shows_a_tps_with_the_verified_forms_photos(client, on, counted):
    first, _second, third = counted["codes"]
    page = client.get(f"/publik/tps/{first}/").content.decode()
    assert 'data-testid="status-ppwp">terverifikasi<' in page
    assert f'src="/publik/foto/{counted["photo"]}.jpg"' in page
    unverified = client.get(f"/publik/tps/{third}/").content.decode()
    assert 'data-testid="status-ppwp">sementara<' in unverified
    assert counted["unverified_photo"] not in unverified
    assert "setelah lembar ini terverifikasi" in unverified


def test_it_serves_public_photos_without_gps(client, on, counted):
    response = client.get(f"/publik/foto/{counted['photo']}.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("public")
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    exif = image.getexif()
    assert not exif.get_ifd(0x8825)  # no GPS
    assert 0x010F not in exif  # nothing else from the camera either
    # Not verified: not public.
    assert client.get(f"/publik/foto/{counted['unverified_photo']}.jpg").status_code == 404
    assert client.get(f"/publik/foto/{'0' * 64}.jpg").status_code == 404


def test_it_withdraws_a_photo_when_a_correction_unverifies_the_sheet(
    client, api_for, admin, on, counted
):
    first = counted["codes"][0]
    body = {**sheet_for_tps(first, seed=5), "alasan_koreksi": "Salah ketik kolom paslon"}
    response = api_for(admin).put(
        f"/api/v1/results/ppwp/{first}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert client.get(f"/publik/foto/{counted['photo']}.jpg").status_code == 404


def test_it_names_no_person(client, on, counted, admin, verifier):
    for url in [*PUBLIC_URLS, f"/publik/tps/{counted['codes'][0]}/"]:
        body = client.get(url).content.decode()
        assert admin.username not in body, url
        assert verifier.username not in body, url


def test_it_offers_open_data_with_the_audit_head(client, on, counted, api_for, admin):
    response = client.get(f"/publik/data/ppwp/{AMPENAN_SELATAN}/tps.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    first, rest = text.split("\r\n", 1)
    seq, digest = response["X-Audit-Head"].split(":")
    assert first.startswith("# ") and f"{seq}:{digest}" in first
    rows = list(csv.DictReader(io.StringIO(rest)))
    # Verified sheets only: the third, entered but not verified, is not open data.
    assert [r["kode_tps"] for r in rows] == counted["codes"][:2]
    assert [r["status"] for r in rows] == ["terverifikasi", "terverifikasi"]
    detail = api_for(admin).get(f"/api/v1/results/ppwp/{counted['codes'][0]}").json()
    assert int(rows[0]["suara_sah"]) == detail["administrasi"]["suara_sah"]
    assert int(rows[0]["suara_1"]) == detail["suara"]["1"]

    recap = api_for(admin).get("/api/v1/recap/ppwp/527101").json()
    verified = api_for(admin).get("/api/v1/recap/ppwp/527101?verified_only=true").json()
    region = client.get("/publik/data/ppwp/527101.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(region.split("\r\n", 1)[1])))
    assert rows[-1]["kode_wilayah"] == "527101"
    assert int(rows[-1]["tps_masuk"]) == recap["tps_reported"]
    assert "sementara_2" not in rows[-1]
    assert int(rows[-1]["terverifikasi_2"]) == verified["totals"]["2"]
    assert int(rows[-1]["tps_ditahan"]) == 0
    ampenan_selatan = next(r for r in rows if r["kode_wilayah"] == AMPENAN_SELATAN)
    assert int(ampenan_selatan["tps_terverifikasi"]) == 2


def test_it_serves_a_rush_from_the_cache(client, on, counted, django_assert_num_queries):
    url = f"/publik/wilayah/{AMPENAN_SELATAN}/"
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=30"
    etag = first["ETag"]
    with django_assert_num_queries(0):
        for _ in range(20):
            again = client.get(url)
            assert again.status_code == 200
            assert again["ETag"] == etag
    with django_assert_num_queries(0):
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_it_keeps_the_cache_apart_per_ballot(client, on, counted):
    ppwp = client.get("/publik/?kontes=ppwp").content
    dpr = client.get("/publik/?kontes=dpr").content
    assert ppwp != dpr
    assert re.search(rb'aria-current="true">DPR', dpr)


def test_it_is_the_same_page_for_a_signed_in_user(client, client_for, admin, on):
    """No account on a public page (it is cached and shared): no name, no form, no token."""
    body = client_for(admin).get("/publik/").content.decode()
    assert admin.username not in body
    assert "csrfmiddlewaretoken" not in body
    assert "<form" not in body


def test_it_refuses_writes(client, on):
    assert client.post("/publik/").status_code == 405
