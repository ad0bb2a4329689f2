"""The two-person rule: a sheet is verified only by someone other than its author."""

import json

import pytest

from deskpemilu.results.models import Contest, Sheet, SheetVersion
from deskpemilu.results.rollups import check_rollups
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps, with_votes

TPS = "5271011004002"
URL = f"/api/v1/results/ppwp/{TPS}"


def put(client, body, url=URL):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def verify(client, body, url=URL):
    return client.post(url + "/verify", data=json.dumps(body), content_type="application/json")


@pytest.fixture
def entered(api_for, operator):
    body = sheet_for_tps(TPS)
    client = api_for(operator)
    assert put(client, body).status_code == 201
    attach_photo(client, "ppwp", TPS)
    return body


@pytest.mark.django_db
def test_it_verifies_against_the_photo(api_for, verifier, entered):
    response = verify(api_for(verifier), {"version": 1})
    assert response.status_code == 200
    assert response.json()["status"] == "terverifikasi"
    detail = api_for(verifier).get(URL).json()
    assert detail["status"] == "terverifikasi"
    assert detail["history"][0]["verified_by"][0].startswith(verifier.username)
    assert check_rollups() == []


@pytest.mark.django_db
def test_it_refuses_the_author_as_verifier(api_for, make_user, operator):
    # An admin enters a sheet and tries to verify it too.
    admin = make_user("admin_dua", "admin")
    client = api_for(admin)
    put(client, sheet_for_tps(TPS))
    response = verify(client, {"version": 1})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "verifikator_sama_dengan_pengentri"
    assert Sheet.objects.get(tps_id=TPS, contest_id="ppwp").status == "dientri"


@pytest.mark.django_db
def test_it_refuses_roles_that_do_not_verify(api_for, operator, viewer, entered):
    assert verify(api_for(operator), {"version": 1}).status_code == 403
    assert verify(api_for(viewer), {"version": 1}).status_code == 403


@pytest.mark.django_db
def test_it_refuses_a_stale_version(api_for, operator, verifier, entered):
    put(api_for(operator), with_votes(entered, {"1": entered["suara"]["1"] + 1}))
    response = verify(api_for(verifier), {"version": 1})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "versi_bukan_terkini"


@pytest.mark.django_db
def test_it_validates_the_verify_body(api_for, verifier, entered):
    client = api_for(verifier)
    assert verify(client, {}).status_code == 422
    assert verify(client, {"version": "1"}).status_code == 422
    assert verify(client, {"version": True}).status_code == 422
    assert verify(client, {"version": 1, "sheet": {"suara": {}}}).status_code == 422


@pytest.mark.django_db
def test_it_verifies_a_matching_blind_entry(api_for, verifier, entered):
    response = verify(api_for(verifier), {"version": 1, "sheet": entered})
    assert response.status_code == 200
    assert response.json()["status"] == "terverifikasi"


@pytest.mark.django_db
def test_it_sends_a_blind_mismatch_to_the_supervisor(api_for, client_for, verifier, admin, entered):
    typed = with_votes(entered, {"2": entered["suara"]["2"] + 3})
    response = verify(api_for(verifier), {"version": 1, **typed})
    assert response.status_code == 409
    errors = response.json()["errors"]
    assert {e["field"] for e in errors} == {
        "suara.2",
        "administrasi.suara_sah",
        "administrasi.suara_tidak_sah",
    }
    assert {e["code"] for e in errors} == {"entri_buta_berbeda"}
    sheet = Sheet.objects.get(tps_id=TPS, contest_id="ppwp")
    assert sheet.status == "selisih"
    # Retrying until the fields match is not allowed: the supervisor decides.
    again = verify(api_for(verifier), {"version": 1, **entered})
    assert again.json()["errors"][0]["code"] == "menunggu_supervisor"
    assert check_rollups() == []


@pytest.mark.django_db
def test_it_requires_blind_entry_when_the_desk_chose_it(api_for, verifier, entered):
    Contest.objects.filter(code="ppwp").update(verification_mode="blind")
    from deskpemilu.results.contests import clear_cache

    clear_cache()
    response = verify(api_for(verifier), {"version": 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "entri_buta_wajib"
    clear_cache()


@pytest.mark.django_db
def test_it_locks_a_verified_sheet(api_for, operator, verifier, admin, entered):
    verify(api_for(verifier), {"version": 1})
    locked = put(api_for(operator), with_votes(entered, {"1": 0}))
    assert locked.status_code == 409
    assert locked.json()["errors"][0]["code"] == "terkunci"
    no_reason = put(api_for(admin), with_votes(entered, {"1": 0}))
    assert no_reason.status_code == 422
    changed = put(
        api_for(admin), {**with_votes(entered, {"1": 0}), "alasan_koreksi": "Putusan pleno PPK"}
    )
    assert changed.status_code == 200
    assert changed.json()["status"] == "dientri"
    assert SheetVersion.objects.filter(sheet__tps_id=TPS).count() == 2
    assert check_rollups() == []


def resolve(client, body, url=URL):
    return client.post(url + "/resolve", data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["pertama", "kedua"])
def test_it_lets_the_supervisor_settle_a_mismatch(api_for, verifier, admin, entered, accept):
    typed = with_votes(entered, {"2": entered["suara"]["2"] + 3})
    verify(api_for(verifier), {"version": 1, "sheet": typed})
    assert resolve(api_for(verifier), {"accept": accept, "note": "x"}).status_code == 403
    assert resolve(api_for(admin), {"accept": accept, "note": ""}).status_code == 422
    response = resolve(api_for(admin), {"accept": accept, "note": "Dicek dengan foto plano"})
    assert response.status_code == 200, response.content
    detail = api_for(admin).get(URL).json()
    assert detail["status"] == "terverifikasi"
    expected = entered if accept == "pertama" else typed
    assert detail["suara"] == expected["suara"]
    assert detail["version"] == (1 if accept == "pertama" else 2)
    assert check_rollups() == []


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["a\x00b", "\ud800"])
def test_it_refuses_a_note_no_database_can_store(api_for, verifier, admin, entered, text):
    # A NUL (PostgreSQL refuses it) or a lone surrogate (JSON "\ud800"): once a 500 on saving.
    response = verify(api_for(verifier), {"version": 1, "catatan_verifikasi": text})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "catatan_verifikasi"
    typed = with_votes(entered, {"2": entered["suara"]["2"] + 3})
    assert verify(api_for(verifier), {"version": 1, "sheet": typed}).status_code == 409
    response = resolve(api_for(admin), {"accept": "kedua", "note": text})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0] == {
        "code": "bukan_teks",
        "field": "note",
        "message": "Harus teks.",
    }
    assert Sheet.objects.get(tps_id=TPS, contest_id="ppwp").status == "selisih"


@pytest.mark.django_db
def test_a_nul_in_the_contest_is_404(api_for, verifier, admin, entered):
    # The contest's verification mode is read from the database: a NUL once reached PostgreSQL.
    for contest in ("%00", "pp%00wp"):
        url = f"/api/v1/results/{contest}/{TPS}"
        assert api_for(verifier).get(url).status_code == 404
        assert verify(api_for(verifier), {"version": 1}, url=url).status_code == 404
        response = resolve(api_for(admin), {"accept": "pertama", "note": "x"}, url=url)
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"
