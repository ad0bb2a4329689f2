"""Photos of the form: re-encoded, stored by SHA-256, hostile files refused cleanly."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from deskpemilu.results.models import Photo
from deskpemilu.results.tests.sheets import sheet_for_tps

TPS = "5271011004003"
URL = f"/api/v1/results/ppwp/{TPS}"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def entered(api_for, operator):
    client = api_for(operator)
    body = sheet_for_tps(TPS)
    assert client.put(URL, json.dumps(body), content_type="application/json").status_code == 201
    return client


def jpeg(width=800, height=600, gps=False) -> bytes:
    image = Image.new("RGB", (width, height), (240, 240, 230))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "S", 2: (8.0, 34.0, 52.0), 3: "E", 4: (116.0, 4.0, 30.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(client, *files):
    data = {
        "foto": [
            SimpleUploadedFile(f"p{i}.jpg", content, "image/jpeg")
            for i, content in enumerate(files)
        ]
    }
    return client.post(URL + "/photos", data)


@pytest.mark.django_db
def test_it_stores_a_photo_by_hash_and_keeps_gps_for_the_desk(entered):
    response = upload(entered, jpeg(gps=True))
    assert response.status_code == 201, response.content
    digest = response.json()["sha256"][0]
    photo = Photo.objects.get(sha256=digest)
    path = Path(settings.MEDIA_ROOT) / photo.file
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert photo.gps == {
        "lat": pytest.approx(-8.581111, abs=1e-5),
        "lon": pytest.approx(116.075, abs=1e-5),
    }
    with Image.open(path) as stored:
        assert not stored.getexif().get_ifd(0x8825)  # the stored copy carries no GPS
    detail = entered.get(URL).json()
    assert [p["sha256"] for p in detail["photos"]] == [digest]


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_an_image(entered):
    response = upload(entered, b"%PDF-1.4 not a photo")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "foto_rusak"
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_decompression_bomb(entered):
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")  # 144 Mpx in a few kB
    assert len(buffer.getvalue()) < 200_000
    response = upload(entered, buffer.getvalue())
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "foto_terlalu_besar"


@pytest.mark.django_db
def test_it_refuses_a_huge_file(entered):
    response = upload(entered, jpeg() + b"\0" * (16 * 1024 * 1024))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "foto_terlalu_besar"


@pytest.mark.django_db
def test_it_reencodes_a_polyglot(entered):
    hostile = jpeg() + b"<script>alert('x')</script><?php system($_GET['c']); ?>"
    response = upload(entered, hostile)
    assert response.status_code == 201
    photo = Photo.objects.get(sha256=response.json()["sha256"][0])
    stored = (Path(settings.MEDIA_ROOT) / photo.file).read_bytes()
    assert b"<script>" not in stored and b"<?php" not in stored


@pytest.mark.django_db
def test_it_needs_a_sheet_and_a_file(api_for, operator, entered):
    assert entered.post(URL + "/photos", {}).status_code == 422
    other = "/api/v1/results/ppwp/5271011004004/photos"
    assert (
        api_for(operator).post(other, {"foto": SimpleUploadedFile("a.jpg", jpeg())}).status_code
        == 404
    )
