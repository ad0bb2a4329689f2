"""The incident list filtered by the vulnerability of the incident's TPS ("TPS rawan/sangat
rawan"), on the page and in the API; an unknown value is refused."""

from __future__ import annotations

import json

import pytest

from deskpemilu.incidents.tests.helpers import PEJERUK_TPS, report

pytestmark = pytest.mark.django_db

RAWAN_TPS = "5271011006002"
PLAIN_TPS = "5271011006003"


@pytest.fixture
def three(api_for, admin, polri):
    desk = api_for(admin)
    for tps, level in ((PEJERUK_TPS, "sangat_rawan"), (RAWAN_TPS, "rawan")):
        response = api_for(polri).put(
            f"/api/v1/tps/{tps}/kerawanan",
            data=json.dumps({"tingkat": level, "alasan": "Pemetaan Polresta", "petugas": 2}),
            content_type="application/json",
        )
        assert response.status_code == 200
    return {
        tps: report(desk, tps_code=tps, description=f"Kejadian di {tps}")["number"]
        for tps in (PEJERUK_TPS, RAWAN_TPS, PLAIN_TPS)
    }


def test_it_filters_the_api_list_by_kerawanan(api_for, admin, three):
    client = api_for(admin)
    rawan = client.get("/api/v1/incidents?kerawanan=rawan").json()
    assert sorted(i["number"] for i in rawan["items"]) == sorted(
        [three[PEJERUK_TPS], three[RAWAN_TPS]]
    )
    sangat = client.get("/api/v1/incidents?kerawanan=sangat_rawan").json()
    assert [i["number"] for i in sangat["items"]] == [three[PEJERUK_TPS]]
    assert client.get("/api/v1/incidents").json()["count"] >= 3
    bad = client.get("/api/v1/incidents?kerawanan=gawat")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["code"] == "kerawanan_tidak_dikenal"


def test_it_filters_the_board_by_kerawanan(client_for, admin, three):
    web = client_for(admin)
    html = web.get("/kejadian/?kerawanan=rawan").content.decode()
    assert three[PEJERUK_TPS] in html and three[RAWAN_TPS] in html
    assert three[PLAIN_TPS] not in html
    assert 'value="rawan" selected' in html
    only = web.get("/kejadian/?kerawanan=sangat_rawan").content.decode()
    assert three[PEJERUK_TPS] in only and three[RAWAN_TPS] not in only
    assert web.get("/kejadian/?kerawanan=gawat").status_code == 404
