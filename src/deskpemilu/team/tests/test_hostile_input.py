"""Never a 500: ids beyond any key, dates beyond any calendar, NUL bytes, unknown filters."""

import json

import pytest

from deskpemilu.stages.models import Stage

HUGE = 10**30


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_it_answers_huge_ids_without_failing(api_for, client_for, admin):
    api, web = api_for(admin), client_for(admin)
    assert api.get(f"/api/v1/meetings/{HUGE}").status_code == 404
    assert api.get(f"/api/v1/actions/{HUGE}").status_code == 404
    duty = {"date": "2024-03-01", "shift": "pagi", "member_id": HUGE}
    assert post(api, "/api/v1/team/roster", duty).status_code == 422
    action = {"text": "a", "agency": "kpu", "due_on": "2024-02-01", "assignee_id": HUGE}
    meeting = {
        "title": "x",
        "held_at": "2024-02-01T09:00",
        "attendees": [HUGE],
        "actions": [action],
    }
    assert post(api, "/api/v1/meetings", meeting).status_code == 422
    assert web.get(f"/tim/rapat/{HUGE}/").status_code == 404
    form = {
        "title": "x",
        "date": "2024-02-01",
        "time": "09:00",
        "place": "x",
        "keputusan_teks": ["a"],
        "keputusan_instansi": ["kpu"],
        "keputusan_petugas": [str(HUGE)],
        "keputusan_tenggat": ["2024-02-01"],
    }
    assert web.post("/tim/rapat/baru/", form).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"title": "x", "held_at": "9999-12-31T23:59:59-12:00"},
        {"title": "x", "held_at": "0001-01-01T00:00:00+14:00"},
        {
            "title": "x",
            "held_at": "2024-02-01T09:00",
            "actions": [{"text": "a", "agency": "kpu", "due_on": "0001-01-01"}],
        },
    ],
)
def test_it_refuses_dates_out_of_range(api_for, admin, body):
    response = post(api_for(admin), "/api/v1/meetings", body)
    assert response.status_code == 422


@pytest.mark.django_db
def test_it_answers_odd_queries_without_failing(api_for, client_for, admin):
    api, web = api_for(admin), client_for(admin)
    assert api.get("/api/v1/team/on-duty", {"at": "0001-01-01T00:00:00"}).status_code == 422
    assert api.get("/api/v1/team/roster", {"from": "9999-12-30"}).status_code == 422
    assert api.get("/api/v1/team/roster", {"to": "0001-01-03"}).status_code == 422
    assert api.get("/api/v1/stages", {"date": "0001-01-01"}).status_code == 200
    assert web.get("/tim/piket/?dari=9999-12-31").status_code == 200
    assert web.get("/tim/piket.xlsx?dari=9999-12-31&sampai=0001-01-01").status_code == 200
    duty = {"date": "9999-12-31", "shift": "pagi", "member": 1}
    assert web.post("/tim/piket/tambah/", duty).status_code == 302
    assert web.get("/tahapan/?pemilihan=%00").status_code == 404  # no such election
    assert api.get("/api/v1/stages/a%00b").status_code == 404
    assert api.get("/api/v1/actions", {"agency": "\x00"}).json() == []
    assert web.get("/tim/tindak-lanjut/?status=%00&instansi=%00&terlambat=1").status_code == 200
    dates = {"starts_on": "9999-12-31", "ends_on": "9999-12-31"}
    assert web.post("/tahapan/pemungutan/ubah/", dates).status_code == 302
    assert Stage.objects.get(code="pemungutan").starts_on.year == 2024


@pytest.mark.django_db
def test_it_refuses_nul_characters(api_for, admin, camat):
    # PostgreSQL cannot store them: refused with a code on SQLite too, never a 500.
    api = api_for(admin)
    for member in (
        {"name": "x", "agency": "kpu", "email": "a@b.c\x00"},
        {"name": "x\x00", "agency": "kpu"},
        {"name": "x", "agency": "kpu", "username": "a\x00"},
    ):
        assert post(api, "/api/v1/team/members", member).status_code == 422
    for meeting in (
        {"title": "x\x00y", "held_at": "2024-02-01T09:00"},
        {"title": "x", "held_at": "2024-02-01T09:00", "points": ["\x00"]},
        {"title": "x", "held_at": "2024-02-01T09:00", "other_attendees": ["a\x00"]},
    ):
        response = post(api, "/api/v1/meetings", meeting)
        assert response.status_code == 422
        assert response.json()["errors"][0]["code"] == "karakter_tidak_sah"
    status = {"kecamatan_code": "527106", "status": "selesai", "note": "\x00"}
    assert post(api_for(camat), "/api/v1/stages/pemungutan/status", status).status_code == 422


@pytest.mark.django_db
def test_it_refuses_nul_in_an_agency_or_shift_code(api_for, admin):
    # A NUL in a code that is looked up (not stored) once reached PostgreSQL: a DataError, 500.
    api = api_for(admin)
    for agency in ("\x00", "kpu\x00"):
        response = post(api, "/api/v1/team/members", {"name": "x", "agency": agency})
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0]["code"] == "instansi_tidak_dikenal"
        action = {"text": "a", "agency": agency, "due_on": "2024-02-01"}
        meeting = {"title": "x", "held_at": "2024-02-01T09:00", "actions": [action]}
        response = post(api, "/api/v1/meetings", meeting)
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0]["field"] == "actions.0.agency"
    made = post(api, "/api/v1/meetings", {"title": "x", "held_at": "2024-02-01T09:00"})
    action = {"text": "a", "agency": "kpu\x00", "due_on": "2024-02-01"}
    response = post(api, f"/api/v1/meetings/{made.json()['id']}/actions", action)
    assert response.status_code == 422, response.content
    duty = {"date": "2024-03-01", "shift": "pagi\x00", "member_id": 1}
    response = post(api, "/api/v1/team/roster", duty)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["code"] == "sif_tidak_dikenal"


@pytest.mark.django_db
def test_it_refuses_lone_surrogates(api_for, admin):
    # JSON's "\ud800" escape decodes to no character; neither database can encode it (a 500).
    api = api_for(admin)
    for meeting in (
        {"title": "x", "held_at": "2024-02-01T09:00", "points": ["\ud800"]},
        {"title": "x", "held_at": "2024-02-01T09:00", "other_attendees": ["a\udfff"]},
    ):
        response = post(api, "/api/v1/meetings", meeting)
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0]["code"] == "karakter_tidak_sah"
    # A pair of surrogates is one character (an emoji here), and is kept.
    made = post(
        api,
        "/api/v1/meetings",
        {"title": "x", "held_at": "2024-02-01T09:00", "points": ["\U0001f600"]},
    )
    assert made.status_code == 201, made.content
