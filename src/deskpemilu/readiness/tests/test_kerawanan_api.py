"""TPS vulnerability through the API: set (desk, Polri and Bawaslu liaisons), listed, history,
refused to everyone else, and bad input answered with a code."""

from __future__ import annotations

import json

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.readiness.models import KerawananEntry
from deskpemilu.readiness.tests.helpers import (
    AMPENAN_SELATAN_TPS,
    PEJERUK_TPS,
    PEJERUK_TPS_2,
    SANDUBAYA_TPS,
)

SANGAT_RAWAN = {
    "tingkat": "sangat_rawan",
    "alasan": "Riwayat bentrok antarpendukung",
    "petugas": 4,
    "nama_petugas": ["Bripka Made", "Brigpol Lalu"],
}


def put(client, tps_code: str, body) -> object:
    return client.put(
        f"/api/v1/tps/{tps_code}/kerawanan",
        data=json.dumps(body) if not isinstance(body, str) else body,
        content_type="application/json",
    )


@pytest.fixture
def bawaslu(make_user):
    return make_user("bawaslu_liaison", "liaison", "", "bawaslu")


@pytest.fixture
def tni(make_user):
    return make_user("tni_liaison", "liaison", "", "tni")


@pytest.mark.django_db
def test_it_lets_polri_set_a_level_with_history_and_audit(api_for, polri, viewer):
    client = api_for(polri)
    response = put(client, PEJERUK_TPS, SANGAT_RAWAN)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["tingkat"], body["petugas"], body["changed"]) == ("sangat_rawan", 4, True)
    assert body["nama_petugas"] == ["Bripka Made", "Brigpol Lalu"]

    again = put(client, PEJERUK_TPS, SANGAT_RAWAN).json()
    assert again["changed"] is False
    lower = {"tingkat": "rawan", "alasan": "Dekat lokasi kampanye", "petugas": 2}
    assert put(client, PEJERUK_TPS, lower).json()["tingkat"] == "rawan"

    detail = api_for(viewer).get(f"/api/v1/tps/{PEJERUK_TPS}/kerawanan").json()
    assert detail["tingkat"] == "rawan"
    assert [(h["tingkat"], h["actor"]) for h in detail["history"]] == [
        ("rawan", "polri_liaison"),
        ("sangat_rawan", "polri_liaison"),
    ]
    entries = AuditEntry.objects.filter(action="kerawanan.set", object_id=PEJERUK_TPS)
    assert [e.payload["tingkat"] for e in entries.order_by("seq")] == ["sangat_rawan", "rawan"]
    assert entries.order_by("seq").last().payload["sebelumnya"] == "sangat_rawan"


@pytest.mark.django_db
def test_it_lets_the_desk_and_bawaslu_set_it(api_for, admin, bawaslu):
    assert put(api_for(admin), PEJERUK_TPS, {"tingkat": "tidak_rawan"}).status_code == 200
    assert put(api_for(bawaslu), SANDUBAYA_TPS, SANGAT_RAWAN).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator", "lurah", "camat", "verifier", "viewer", "tni"])
def test_it_refuses_roles_that_may_not_set_it(api_for, request, who):
    user = request.getfixturevalue(who)
    tps = AMPENAN_SELATAN_TPS if who == "operator" else PEJERUK_TPS
    if who == "camat":
        tps = SANDUBAYA_TPS
    response = put(api_for(user), tps, SANGAT_RAWAN)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "forbidden"
    assert not KerawananEntry.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_tni_liaison_through_the_page_session_too(client_for, tni):
    response = put(client_for(tni), PEJERUK_TPS, SANGAT_RAWAN)
    assert response.status_code == 403


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_tps(api_for, polri):
    assert put(api_for(polri), "5271011006999", SANGAT_RAWAN).status_code == 404
    assert put(api_for(polri), "abc", SANGAT_RAWAN).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"tingkat": "gawat"}, "tingkat_tidak_valid"),
        ({"tingkat": "rawan"}, "alasan_wajib"),
        ({"tingkat": "rawan", "alasan": "x", "petugas": -1}, "di_luar_batas"),
        ({"tingkat": "rawan", "alasan": "x", "petugas": 51}, "di_luar_batas"),
        ({"tingkat": "rawan", "alasan": "x", "petugas": True}, "bukan_bilangan_bulat"),
        ({"tingkat": "rawan", "alasan": "x", "petugas": "4"}, "bukan_bilangan_bulat"),
        ({"tingkat": "rawan", "alasan": "x" * 501}, "terlalu_panjang"),
        ({"tingkat": "rawan", "alasan": "\ud800"}, "bukan_teks"),
        ({"tingkat": "rawan", "alasan": "a\x00"}, "bukan_teks"),
        ({"tingkat": "rawan", "alasan": 5}, "bukan_teks"),
        (
            {"tingkat": "rawan", "alasan": "x", "petugas": 1, "nama_petugas": ["a", "b"]},
            "nama_lebih_dari_jumlah",
        ),
        ({"tingkat": "rawan", "alasan": "x", "nama_petugas": "Made"}, "bukan_daftar"),
        ({"tingkat": "rawan", "alasan": "x", "petugas": 2, "nama_petugas": [1]}, "bukan_teks"),
        ({"alasan": "x"}, "kunci_wajib"),
        ({"tingkat": "rawan", "alasan": "x", "lain": 1}, "kunci_tidak_dikenal"),
        ([], "bukan_objek"),
        ("{not json", "bukan_json"),
    ],
)
def test_it_refuses_bad_input_with_a_code(api_for, polri, body, code):
    response = put(api_for(polri), PEJERUK_TPS, body)
    assert response.status_code == 422, response.content
    assert code in [e["code"] for e in response.json()["errors"]]
    assert not KerawananEntry.objects.exists()


@pytest.mark.django_db
def test_it_lists_and_filters_in_the_readers_scope(api_for, polri, lurah, outsider):
    client = api_for(polri)
    put(client, PEJERUK_TPS, SANGAT_RAWAN)
    put(client, PEJERUK_TPS_2, {"tingkat": "rawan", "alasan": "Banjir", "petugas": 2})
    put(client, SANDUBAYA_TPS, {"tingkat": "tidak_rawan", "petugas": 1})

    everything = client.get("/api/v1/kerawanan").json()
    assert everything["count"] == 3
    assert everything["counts"]["sangat_rawan"] == 1
    assert everything["counts"]["belum_dinilai"] > 1000
    only = client.get("/api/v1/kerawanan?level=sangat_rawan").json()
    assert [i["tps"] for i in only["items"]] == [PEJERUK_TPS]
    assert only["items"][0]["kelurahan_name"] == "Pejeruk"
    in_kecamatan = client.get("/api/v1/kerawanan?kecamatan=527106").json()
    assert [i["tps"] for i in in_kecamatan["items"]] == [SANDUBAYA_TPS]
    in_kelurahan = client.get("/api/v1/kerawanan?kelurahan=5271011006&level=rawan").json()
    assert [i["tps"] for i in in_kelurahan["items"]] == [PEJERUK_TPS_2]

    mine = api_for(lurah).get("/api/v1/kerawanan").json()
    assert sorted(i["tps"] for i in mine["items"]) == [PEJERUK_TPS, PEJERUK_TPS_2]
    assert api_for(outsider).get("/api/v1/kerawanan?kelurahan=5271011006").status_code == 404
    assert api_for(outsider).get(f"/api/v1/tps/{PEJERUK_TPS}/kerawanan").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["level=gawat", "kecamatan=52710", "kelurahan=x", "page=0", "per_page=501", "per_page=x"],
)
def test_it_refuses_bad_filters(api_for, polri, query):
    response = api_for(polri).get(f"/api/v1/kerawanan?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"]


@pytest.mark.django_db
def test_it_lists_in_few_queries(api_for, polri, django_assert_max_num_queries):
    client = api_for(polri)
    for tps in (PEJERUK_TPS, PEJERUK_TPS_2, SANDUBAYA_TPS):
        put(client, tps, SANGAT_RAWAN)
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/kerawanan").json()["count"] == 3
