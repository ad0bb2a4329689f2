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
