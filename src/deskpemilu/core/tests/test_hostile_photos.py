"""Photo uploads: the pixels a request would decode are counted from the headers first, so ten
39-megapixel PNGs (131 KB each) are refused at once instead of holding a worker for 40 s."""

import io
import json
import time
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from deskpemilu.core.photos import MAX_REQUEST_PIXELS
from deskpemilu.incidents.tests.helpers import report
from deskpemilu.results.models import Photo
from deskpemilu.results.tests.sheets import sheet_for_tps

TPS = "5271011004003"
URL = f"/api/v1/results/ppwp/{TPS}"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@cache
def big_png() -> bytes:
    """39 megapixels of one colour: a few hundred kilobytes, seconds to decode."""
    buffer = io.BytesIO()
    Image.new("L", (7800, 5000), 200).save(buffer, "PNG")
    return buffer.getvalue()


def big_jpeg(size=(6000, 4000)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (240, 240, 230)).save(buffer, "JPEG", quality=50)
    return buffer.getvalue()


def files(*contents: bytes, kind: str = "png") -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"p{i}.{kind}", c, f"image/{kind}") for i, c in enumerate(contents)]


@pytest.fixture
def entered(api_for, operator):
    client = api_for(operator)
    body = sheet_for_tps(TPS)
    assert client.put(URL, json.dumps(body), content_type="application/json").status_code == 201
    return client


@pytest.mark.django_db
def test_it_refuses_ten_huge_pngs_of_a_sheet_before_decoding_any(entered):
    started = time.monotonic()
    response = entered.post(URL + "/photos", {"foto": files(*[big_png()] * 10)})
    elapsed = time.monotonic() - started
    assert response.status_code == 413, response.content
    assert response.json()["errors"][0]["code"] == "foto_kiriman_terlalu_besar"
    assert not Photo.objects.exists()
    assert elapsed < 30  # not a timing benchmark: only "not decoded" (ten decodes took 43 s)


@pytest.mark.django_db
def test_it_refuses_ten_huge_pngs_of_an_incident(api_for, lurah):
    client = api_for(lurah)
    incident = report(client)
    url = f"/api/v1/incidents/{incident['id']}/photos"
    response = client.post(url, {"foto": files(*[big_png()] * 10)})
    assert response.status_code == 413, response.content
    assert response.json()["errors"][0]["code"] == "foto_kiriman_terlalu_besar"


@pytest.mark.django_db
def test_it_answers_the_incident_page_with_413_and_an_indonesian_message(client, lurah):
    client.force_login(lurah)
    response = client.post(
        "/kejadian/lapor/",
        {
            "category": "keamanan",
            "severity": "tinggi",
            "kelurahan": "5271011006",
            "occurred_at": "2024-02-14T08:15",
            "description": "Kerumunan",
            "foto": files(*[big_png()] * 5),
        },
    )
    assert response.status_code == 413
    assert "terlalu besar" in response.content.decode()


@pytest.mark.django_db
def test_it_still_accepts_a_few_phone_photos_decoded_reduced(entered):
    # A 24-megapixel JPEG is decoded at a quarter of its pixels (draft): ten fit the budget.
    assert MAX_REQUEST_PIXELS < 10 * 24_000_000
    response = entered.post(URL + "/photos", {"foto": files(*[big_jpeg()] * 10, kind="jpeg")})
    assert response.status_code == 201, response.content
    assert Photo.objects.count() == 1  # the same picture ten times is one stored file


@pytest.mark.django_db
def test_it_accepts_ten_photos_of_a_phone_camera(entered):
    phone = big_jpeg((4000, 3000))  # 12 megapixels: too small to decode reduced
    response = entered.post(URL + "/photos", {"foto": files(*[phone] * 10, kind="jpeg")})
    assert response.status_code == 201, response.content
