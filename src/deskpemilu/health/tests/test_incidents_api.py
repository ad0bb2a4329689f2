"""POST/GET /api/v1/health/incidents and their follow-ups."""

from __future__ import annotations

import json

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.health.models import FollowUp, HealthIncident

PEJERUK_TPS = "5271011006003"
AMPENAN_SELATAN_TPS = "5271011004002"
SANDUBAYA_TPS = "5271061001002"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def incident(**overrides):
    return {
        "tps_code": PEJERUK_TPS,
        "person_role": "kpps",
        "condition": "dirawat",
        "occurred_at": "2024-02-14T22:15:00+08:00",
        "note": "Pingsan saat penghitungan suara",
        **overrides,
    }


@pytest.fixture
def nurse(make_user):
    """Puskesmas staff of Kecamatan Ampenan."""
    return make_user("pkm_ampenan", "health", "527101")


@pytest.fixture(autouse=True)
def election_night(settings, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    fixed = dt.datetime(2024, 2, 15, 1, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: fixed)


@pytest.mark.django_db
def test_it_creates_an_incident_with_201(api_for, nurse):
    response = post(api_for(nurse), "/api/v1/health/incidents", incident(puskesmas="pejeruk"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] == HealthIncident.objects.get().pk
    assert body["status"] == "terbuka"
    assert body["condition"] == "dirawat"
    assert body["puskesmas"] == "pejeruk"
    assert body["followups"] == []
    assert AuditEntry.objects.filter(action="health.incident_report").count() == 1


@pytest.mark.django_db
def test_it_follows_an_incident_up_until_it_is_closed(api_for, nurse, viewer):
    client = api_for(nurse)
    incident_id = post(client, "/api/v1/health/incidents", incident()).json()["id"]
    url = f"/api/v1/health/incidents/{incident_id}/followups"
    first = post(client, url, {"note": "Dirujuk ke RSUD Kota Mataram", "condition": "dirujuk_rs"})
    assert first.status_code == 201, first.content
    closed = post(
        client, url, {"note": "Pulih, pulang", "condition": "sakit_ringan", "close": True}
    )
    assert closed.status_code == 201
    again = post(client, url, {"note": "lagi"})
    assert again.status_code == 409
    detail = api_for(viewer).get(f"/api/v1/health/incidents/{incident_id}").json()
    assert detail["status"] == "ditutup"
    assert detail["condition"] == "sakit_ringan"
    assert detail["first_condition"] == "dirawat"
    assert [f["note"] for f in detail["followups"]] == [
        "Dirujuk ke RSUD Kota Mataram",
        "Pulih, pulang",
    ]
    assert FollowUp.objects.count() == 2


@pytest.mark.django_db
def test_it_counts_per_puskesmas_and_kecamatan(api_for, nurse, admin, viewer):
    post(api_for(nurse), "/api/v1/health/incidents", incident(puskesmas="pejeruk"))
    post(
        api_for(nurse),
        "/api/v1/health/incidents",
        incident(condition="meninggal", puskesmas="pejeruk", tps_code=AMPENAN_SELATAN_TPS),
    )
    post(
        api_for(admin),
        "/api/v1/health/incidents",
        incident(tps_code=SANDUBAYA_TPS, condition="sakit_ringan", puskesmas=None),
    )
    summary = api_for(viewer).get("/api/v1/health/summary").json()
    assert summary["totals"]["total"] == 3
    assert summary["totals"]["meninggal"] == 1
    pejeruk = next(r for r in summary["by_puskesmas"] if r["puskesmas"] == "pejeruk")
    assert (pejeruk["total"], pejeruk["open"], pejeruk["dirawat"]) == (2, 2, 1)
    by_kec = {r["kecamatan"]: r["total"] for r in summary["by_kecamatan"]}
    assert by_kec == {"527101": 2, "527106": 1}
    mine = api_for(nurse).get("/api/v1/health/summary").json()
    assert mine["totals"]["total"] == 2


@pytest.mark.django_db
def test_it_assigns_the_only_serving_puskesmas(api_for, admin):
    from deskpemilu.regions.models import Puskesmas

    serving = Puskesmas.objects.filter(kecamatan_id="527106")
    body = post(api_for(admin), "/api/v1/health/incidents", incident(tps_code=SANDUBAYA_TPS)).json()
    if serving.count() == 1:
        assert body["puskesmas"] == serving.get().code
    else:
        assert body["puskesmas"] is None


@pytest.mark.django_db
def test_it_keeps_incidents_inside_the_scope(api_for, nurse, lurah, camat, make_user):
    created = post(api_for(nurse), "/api/v1/health/incidents", incident()).json()
    # Another area's health staff, and a camat of another kecamatan: 404 for the same incident.
    other_nurse = make_user("pkm_sandubaya", "health", "527106")
    for user in (other_nurse, camat):
        client = api_for(user)
        assert client.get(f"/api/v1/health/incidents/{created['id']}").status_code == 404
        assert client.get("/api/v1/health/incidents").json() == []
    assert post(api_for(other_nurse), "/api/v1/health/incidents", incident()).status_code == 404
    followup = post(
        api_for(other_nurse), f"/api/v1/health/incidents/{created['id']}/followups", {"note": "x"}
    )
    assert followup.status_code == 404
    assert api_for(lurah).get(f"/api/v1/health/incidents/{created['id']}").status_code == 200
    assert api_for(nurse).get("/api/v1/health/incidents/999999").status_code == 404
    assert api_for(nurse).get("/api/v1/health/incidents/abc").status_code == 404


@pytest.mark.django_db
def test_it_lets_a_lurah_report_but_not_follow_up(api_for, lurah, nurse, operator, viewer):
    created = post(api_for(lurah), "/api/v1/health/incidents", incident())
    assert created.status_code == 201
    url = f"/api/v1/health/incidents/{created.json()['id']}/followups"
    assert post(api_for(lurah), url, {"note": "dijenguk"}).status_code == 403
    assert post(api_for(viewer), "/api/v1/health/incidents", incident()).status_code == 403
    assert post(api_for(operator), "/api/v1/health/incidents", incident()).status_code == 403
    assert api_for(operator).get("/api/v1/health/incidents").status_code == 403


@pytest.mark.django_db
def test_it_shows_the_name_only_to_health_staff_and_the_desk(api_for, nurse, viewer, admin):
    created = post(api_for(nurse), "/api/v1/health/incidents", incident(name="Ibu Rahmah")).json()
    assert created["name"] == "Ibu Rahmah"
    url = f"/api/v1/health/incidents/{created['id']}"
    assert api_for(viewer).get(url).json()["name"] is None
    assert api_for(admin).get(url).json()["name"] == "Ibu Rahmah"
    entry = AuditEntry.objects.get(action="health.incident_report")
    assert "Rahmah" not in json.dumps(entry.payload)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"person_role": "dokter"}, "person_role"),
        ({"condition": "sehat"}, "condition"),
        ({"occurred_at": "kemarin"}, "occurred_at"),
        ({"occurred_at": "2030-01-01T00:00:00+08:00"}, "occurred_at"),
        ({"name": "5271010101900001"}, "name"),
        ({"note": "NIK 5271010101900001"}, "note"),
        ({"puskesmas": "tidak-ada"}, "puskesmas"),
        ({"nik": "1"}, "nik"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_it_refuses_bad_input(api_for, nurse, overrides, field):
    response = post(api_for(nurse), "/api/v1/health/incidents", incident(**overrides))
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not HealthIncident.objects.exists()


@pytest.mark.django_db
def test_it_lists_in_few_queries(api_for, nurse, admin, django_assert_max_num_queries):
    for n in range(6):
        post(api_for(nurse), "/api/v1/health/incidents", incident(note=f"kasus {n}"))
    client = api_for(admin)
    with django_assert_max_num_queries(8):
        rows = client.get("/api/v1/health/incidents?region=527101").json()
    assert len(rows) == 6
    with django_assert_max_num_queries(10):
        client.get("/api/v1/health/summary?region=5271")


@pytest.mark.django_db
def test_it_answers_odd_filters_and_text_without_a_500(api_for, nurse):
    client = api_for(nurse)
    assert client.get("/api/v1/health/incidents?status=%00").status_code == 422
    assert client.get("/api/v1/health/incidents?puskesmas=a%00b").status_code == 422
    assert client.get("/api/v1/health/incidents?region=%00").status_code == 404
    assert post(client, "/api/v1/health/incidents", incident(note="a\x00b")).status_code == 422
    assert post(client, "/api/v1/health/puskesmas/a%00b/posts", {"name": "x"}).status_code == 404
    assert client.get("/api/v1/health/incidents/%C2%B2").status_code == 404
