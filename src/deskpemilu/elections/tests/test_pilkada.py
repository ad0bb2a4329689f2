"""Pilkada 2024 beside Pemilu 2024: its sheets (C.Hasil-KWK, `suara` keyed by paslon number)
entered, verified and recapped once the desk opens it, while Pemilu 2024's figures stay as they
were and readable."""

import json

import pytest

from deskpemilu.results.rollups import check_rollups
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps

TPS = "5271011004003"
OTHER_TPS = "5271011004004"


def put(client, contest, body, tps=TPS):
    url = f"/api/v1/results/{contest}/{tps}"
    return client.put(url, data=json.dumps(body), content_type="application/json")


def enter_and_verify(operator_client, verifier_client, contest, tps=TPS):
    body = sheet_for_tps(tps, contest)
    assert put(operator_client, contest, body, tps).status_code == 201
    attach_photo(operator_client, contest, tps)
    response = verifier_client.post(
        f"/api/v1/results/{contest}/{tps}/verify",
        data=json.dumps({"version": 1}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return body


@pytest.mark.django_db
def test_pilkada_is_entered_verified_and_recapped_beside_pemilu(
    api_for, client_for, operator, verifier, admin, viewer
):
    entering, checking, reader = api_for(operator), api_for(verifier), api_for(viewer)
    pemilu = enter_and_verify(entering, checking, "ppwp")
    before = reader.get("/api/v1/recap/ppwp/5271").json()
    assert all(before["totals"][k] == v for k, v in pemilu["suara"].items())

    assert client_for(admin).post("/pemilihan/", {"pemilihan": "pilkada2024"}).status_code == 302
    walikota = enter_and_verify(entering, checking, "pkwkk")
    gubernur = enter_and_verify(entering, checking, "pkwkp")
    assert set(walikota["suara"]) == {"1", "2"}
    assert set(gubernur["suara"]) == {"1", "2", "3"}
    entered_only = sheet_for_tps(OTHER_TPS, "pkwkk", seed=2)
    assert put(entering, "pkwkk", entered_only, OTHER_TPS).status_code == 201

    recap = reader.get("/api/v1/recap/pkwkk/5271").json()
    both = {k: walikota["suara"][k] + entered_only["suara"][k] for k in ("1", "2")}
    assert recap["totals"] == both
    assert (recap["tps_reported"], recap["tps_verified"]) == (2, 1)
    verified = reader.get("/api/v1/recap/pkwkk/5271?verified_only=true").json()
    assert verified["totals"] == walikota["suara"]
    assert reader.get("/api/v1/recap/pkwkp/527101").json()["totals"] == gubernur["suara"]

    # Pemilu 2024: closed for entry, its figures unchanged and readable.
    assert put(entering, "ppwp", pemilu).status_code == 409
    after = reader.get("/api/v1/recap/ppwp/5271").json()
    assert after["totals"] == before["totals"]
    assert after["tps_verified"] == before["tps_verified"]
    sheet = reader.get(f"/api/v1/results/ppwp/{TPS}").json()
    assert sheet["status"] == "terverifikasi"
    page = client_for(viewer).get(f"/hasil/ppwp/{TPS}/")
    assert page.status_code == 200
    assert "hanya dapat dibaca" in page.content.decode()
    assert check_rollups() == []


@pytest.mark.django_db
def test_it_compares_an_area_with_the_previous_election(
    api_for, client_for, operator, admin, viewer
):
    entering, reader = api_for(operator), api_for(viewer)
    pemilu = sheet_for_tps(TPS, "ppwp")
    assert put(entering, "ppwp", pemilu).status_code == 201
    client_for(admin).post("/pemilihan/", {"pemilihan": "pilkada2024"})
    pilkada = sheet_for_tps(TPS, "pkwkk", turnout=0.6)
    assert put(entering, "pkwkk", pilkada).status_code == 201

    response = reader.get("/api/v1/recap/pkwkk/527101/compare")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["contest"]["code"], data["previous"]["code"]) == ("pkwkk", "ppwp")
    kelurahan = next(c for c in data["children"] if c["code"] == "5271011004")
    assert kelurahan["now"]["totals"] == pilkada["suara"]
    assert kelurahan["before"]["totals"] == pemilu["suara"]
    assert float(kelurahan["now"]["turnout"]) < float(kelurahan["before"]["turnout"])
    assert sum(float(v) for v in kelurahan["now"]["shares"].values()) == 100
    elsewhere = next(c for c in data["children"] if c["code"] != "5271011004")
    assert elsewhere["now"]["turnout"] is None

    assert reader.get("/api/v1/recap/ppwp/527101/compare").status_code == 422
    same = reader.get("/api/v1/recap/pkwkk/527101/compare?banding=pkwkp")
    assert same.json()["errors"][0]["code"] == "tidak_ada_pembanding"
    assert reader.get("/api/v1/recap/nope/527101/compare").status_code == 404
    assert entering.get("/api/v1/recap/pkwkk/527103/compare").status_code in (403, 404)


@pytest.mark.django_db
def test_the_recap_page_compares_with_the_previous_election(api_for, client_for, operator, admin):
    assert put(api_for(operator), "ppwp", sheet_for_tps(TPS, "ppwp")).status_code == 201
    client_for(admin).post("/pemilihan/", {"pemilihan": "pilkada2024"})
    assert put(api_for(operator), "pkwkk", sheet_for_tps(TPS, "pkwkk")).status_code == 201
    web = client_for(admin)
    recap = web.get("/rekap/pkwkk/527101/")
    assert "/rekap/pkwkk/527101/banding/" in recap.content.decode()
    page = web.get("/rekap/pkwkk/527101/banding/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Dibanding pemilihan sebelumnya" in text and 'data-code="5271011004"' in text
    assert web.get("/rekap/ppwp/527101/banding/").status_code == 404
