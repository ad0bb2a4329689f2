"""POST /api/v1/incidents: a report from the field, validated, numbered and recorded."""

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.incidents.models import Incident, TimelineEvent
from deskpemilu.incidents.tests.helpers import PEJERUK, PEJERUK_TPS, body, post, report

URL = "/api/v1/incidents"


@pytest.mark.django_db
def test_it_reports_at_a_tps(api_for, lurah):
    data = report(api_for(lurah), lat=-8.5801, lon=116.0912)
    assert data["status"] == "baru"
    assert data["number"].startswith("KJD-") and data["number"].endswith("000001")
    incident = Incident.objects.get(pk=data["id"])
    assert incident.tps_id == PEJERUK_TPS
    assert incident.region_id == PEJERUK  # derived from the TPS
    assert incident.reporter == lurah
    assert (incident.lat, incident.lon) == (-8.5801, 116.0912)
    first = TimelineEvent.objects.get(incident=incident)
    assert first.status == "baru" and first.actor == lurah
    assert AuditEntry.objects.filter(action="incident.report", object_id=str(incident.pk)).exists()


@pytest.mark.django_db
def test_it_numbers_reports_in_sequence(api_for, lurah):
    client = api_for(lurah)
    numbers = [report(client)["number"] for _ in range(3)]
    assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]
    assert len(set(numbers)) == 3


@pytest.mark.django_db
def test_it_reports_in_a_kelurahan_without_a_tps(api_for, lurah):
    data = report(api_for(lurah), tps_code=None, region_code=PEJERUK)
    incident = Incident.objects.get(pk=data["id"])
    assert incident.tps is None and incident.region_id == PEJERUK


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"category": "gempa"}, "kategori_tidak_dikenal", "category"),
        ({"severity": "parah"}, "tingkat_tidak_dikenal", "severity"),
        ({"description": "   "}, "wajib_diisi", "description"),
        ({"tps_code": None}, "lokasi_wajib", "tps_code"),
        ({"tps_code": None, "region_code": "527101"}, "wilayah_bukan_kelurahan", "region_code"),
        ({"region_code": "5271011007"}, "tps_di_luar_wilayah", "tps_code"),
        ({"lat": -8.5}, "posisi_tidak_lengkap", "lat"),
        ({"lat": 95.0, "lon": 116.0}, "posisi_tidak_valid", "lat"),
        ({"occurred_at": "2099-01-01T00:00:00+08:00"}, "waktu_di_masa_depan", "occurred_at"),
        ({"occurred_at": "0001-01-01T00:00:00+08:00"}, "waktu_tidak_valid", "occurred_at"),
        ({"occurred_at": "9999-12-31T23:59:59-12:00"}, "waktu_tidak_valid", "occurred_at"),
        ({"description": "kerumunan\u0000"}, "karakter_tidak_valid", "description"),
    ],
)
def test_it_refuses_bad_input_with_a_code(api_for, admin, overrides, code, field):
    response = post(api_for(admin), URL, body(**overrides))
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert (error["code"], error["field"]) == (code, field)
    assert not Incident.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {},
        [],
        "text",
        None,
        {"category": 1, "severity": True},
        {**body(), "unknown": 1},
        {**body(), "occurred_at": "kemarin"},
        {**body(), "lat": "abc", "lon": 1},
        {**body(), "description": "x" * 5000},
    ],
)
def test_it_never_answers_500_to_odd_bodies(api_for, admin, payload):
    response = post(api_for(admin), URL, payload)
    assert response.status_code == 422, response.content
    assert response.json()["errors"]


@pytest.mark.django_db
def test_it_hides_a_tps_outside_the_reporters_scope(api_for, lurah):
    response = post(api_for(lurah), URL, body(tps_code="5271011004001"))
    assert response.status_code == 404
    response = post(api_for(lurah), URL, body(tps_code=None, region_code="5271011004"))
    assert response.status_code == 404
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_viewer_cannot_report(api_for, viewer):
    assert post(api_for(viewer), URL, body()).status_code == 403


@pytest.mark.django_db
def test_it_needs_authentication(client):
    assert post(client, URL, body()).status_code == 401
    assert client.get(URL).status_code == 401


@pytest.mark.django_db
def test_naive_times_are_wita(api_for, lurah):
    data = report(api_for(lurah), occurred_at="2024-02-14T08:15:00")
    incident = Incident.objects.get(pk=data["id"])
    assert incident.occurred_at.isoformat() == "2024-02-14T00:15:00+00:00"
