"""TPS vulnerability in the situation room: a map measure (colour per level, legend, a title
per kelurahan as its text), and in the daily report: TPS per level and the sangat rawan TPS."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from deskpemilu.readiness import kerawanan

pytestmark = pytest.mark.django_db

PEJERUK = "5271011006"
PEJERUK_TPS = "5271011006001"
SANDUBAYA_TPS = "5271061001001"


def put(client, tps: str, body: dict) -> None:
    response = client.put(
        f"/api/v1/tps/{tps}/kerawanan", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content


@pytest.fixture
def mapped(api_for, polri):
    client = api_for(polri)
    put(client, PEJERUK_TPS, {"tingkat": "sangat_rawan", "alasan": "Riwayat bentrok", "petugas": 4})
    put(client, SANDUBAYA_TPS, {"tingkat": "rawan", "alasan": "Dekat pasar", "petugas": 2})


def test_it_maps_kerawanan_in_the_situation_room(client_for, admin, mapped):
    html = client_for(admin).get("/situasi/?peta=kerawanan").content.decode()
    pejeruk = re.search(
        rf'<a href="/wilayah/{PEJERUK}/"><title>([^<]*)</title><path d="[^"]*" fill="([^"]+)"',
        html,
    )
    assert pejeruk is not None
    assert "1 TPS sangat rawan" in pejeruk.group(1)
    assert pejeruk.group(2) == kerawanan.COLOUR["sangat_rawan"]
    assert "Belum dinilai" in html  # the legend
    assert '?peta=kerawanan" aria-current="true"' in html


def test_it_counts_kerawanan_in_the_daily_report(client_for, viewer, mapped):
    response = client_for(viewer).get("/laporan/harian.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "sangat rawan 1, rawan 1, tidak rawan 0" in text
    assert "TPS sangat rawan / rawan" in text
    assert "Riwayat bentrok" in text  # the sangat rawan TPS listed with its reason
    assert "Dekat pasar" not in text  # rawan TPS are counted, not listed
