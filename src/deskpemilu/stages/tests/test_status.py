"""The status of a stage per kecamatan: the camat updates their own, the desk any."""

import io
import json

import pytest
from django.core.management import call_command

from deskpemilu.audit.models import AuditEntry
from deskpemilu.stages.models import StageStatus, StageUpdate

SANDUBAYA = "527106"
AMPENAN = "527101"


def set_status(client, stage, **body):
    return client.post(
        f"/api/v1/stages/{stage}/status", data=json.dumps(body), content_type="application/json"
    )


@pytest.mark.django_db
def test_it_lets_a_camat_update_their_kecamatan(api_for, camat, viewer):
    response = set_status(
        api_for(camat), "distribusi-ppk", kecamatan_code=SANDUBAYA, status="berjalan", note=""
    )
    assert response.status_code == 200
    assert response.json()["status"] == "berjalan"
    done = set_status(
        api_for(camat),
        "distribusi-ppk",
        kecamatan_code=SANDUBAYA,
        status="selesai",
        note="Logistik diterima PPK Sandubaya",
    )
    assert done.status_code == 200
    stage = api_for(viewer).get("/api/v1/stages/distribusi-ppk").json()
    cell = next(k for k in stage["kecamatan"] if k["kecamatan_code"] == SANDUBAYA)
    assert (cell["status"], cell["note"]) == ("selesai", "Logistik diterima PPK Sandubaya")
    assert stage["counts"]["selesai"] == 1
    assert [h["status"] for h in stage["history"]] == ["selesai", "berjalan"]
    assert StageUpdate.objects.filter(stage__code="distribusi-ppk").count() == 2
    entry = AuditEntry.objects.filter(action="stage.status").latest("seq")
    assert entry.object_id == f"distribusi-ppk/{SANDUBAYA}"
    assert entry.payload["from"] == "berjalan"


@pytest.mark.django_db
def test_it_hides_another_kecamatan_from_a_camat(api_for, camat):
    response = set_status(
        api_for(camat), "distribusi-ppk", kecamatan_code=AMPENAN, status="selesai"
    )
    assert response.status_code == 404
    assert (
        set_status(
            api_for(camat), "distribusi-ppk", kecamatan_code="9999", status="selesai"
        ).status_code
        == 404
    )
    assert not StageStatus.objects.exists()


@pytest.mark.django_db
def test_it_lets_the_desk_update_any_kecamatan(api_for, admin):
    for code in (AMPENAN, SANDUBAYA):
        response = set_status(
            api_for(admin),
            "pemungutan",
            kecamatan_code=code,
            status="bermasalah",
            note="TPS tergenang, dipindah",
        )
        assert response.status_code == 200
    assert StageStatus.objects.filter(status="bermasalah").count() == 2


@pytest.mark.django_db
def test_it_refuses_writes_from_others(api_for, viewer, lurah, polri, operator):
    for user in (viewer, lurah, polri, operator):
        response = set_status(
            api_for(user), "pemungutan", kecamatan_code=SANDUBAYA, status="selesai"
        )
        assert response.status_code == 403
        assert set_status(api_for(user), "pemungutan", nonsense=True).status_code == 403
    assert not StageStatus.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"kecamatan_code": SANDUBAYA, "status": "beres"}, "literal_error", "status"),
        ({"kecamatan_code": SANDUBAYA, "status": "bermasalah"}, "catatan_wajib", "note"),
        (
            {"kecamatan_code": SANDUBAYA, "status": "selesai", "note": "x" * 501},
            "string_too_long",
            "note",
        ),
        ({"status": "selesai"}, "missing", "kecamatan_code"),
        ({"kecamatan_code": 527106, "status": "selesai"}, "string_type", "kecamatan_code"),
    ],
)
def test_it_refuses_bad_updates_with_codes(api_for, camat, body, code, field):
    response = set_status(api_for(camat), "pemungutan", **body)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["code"], error["field"]) == (code, field)


@pytest.mark.django_db
def test_it_refuses_an_unfollowed_stage_to_a_camat(api_for, camat, admin):
    body = {"kecamatan_code": SANDUBAYA, "status": "selesai"}
    assert set_status(api_for(camat), "pilkada-pemungutan", **body).status_code == 404
    assert set_status(api_for(camat), "tidak-ada", **body).status_code == 404
    # The desk sees it, but Pilkada 2024 is not the active election: its calendar is read-only.
    assert set_status(api_for(admin), "pilkada-pemungutan", **body).status_code == 409
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())
    assert set_status(api_for(admin), "pilkada-pemungutan", **body).status_code == 200


@pytest.mark.django_db
def test_it_updates_from_the_stage_page(client_for, camat):
    client = client_for(camat)
    response = client.post(
        "/tahapan/distribusi-pps/",
        {"kecamatan": SANDUBAYA, "status": "bermasalah", "note": "Satu kelurahan belum menerima"},
    )
    assert response.status_code == 302
    page = client.get("/tahapan/distribusi-pps/").content.decode()
    assert "Satu kelurahan belum menerima" in page
    assert (
        client.post(
            "/tahapan/distribusi-pps/", {"kecamatan": AMPENAN, "status": "selesai"}
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_it_shows_the_page_error_for_a_missing_note(client_for, camat):
    response = client_for(camat).post(
        "/tahapan/distribusi-pps/", {"kecamatan": SANDUBAYA, "status": "bermasalah", "note": ""}
    )
    assert response.status_code == 200
    assert "Jelaskan masalahnya" in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_page_updates_from_a_viewer(client_for, viewer):
    response = client_for(viewer).post(
        "/tahapan/distribusi-pps/", {"kecamatan": SANDUBAYA, "status": "selesai"}
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_it_lets_the_desk_follow_the_pilkada(client_for, api_for, admin, viewer):
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())
    response = client_for(admin).post(
        "/tahapan/pilkada-pemungutan/ubah/",
        {"starts_on": "2024-11-27", "ends_on": "2024-11-27", "active": "on"},
    )
    assert response.status_code == 302
    assert api_for(viewer).get("/api/v1/stages/pilkada-pemungutan").status_code == 200
    assert AuditEntry.objects.filter(action="stage.change").exists()
    bad = client_for(admin).post(
        "/tahapan/pilkada-pemungutan/ubah/", {"starts_on": "2024-11-28", "ends_on": "2024-11-27"}
    )
    assert bad.status_code == 302
    assert client_for(viewer).post("/tahapan/pemungutan/ubah/", {}).status_code == 403
