"""The health pages: a case entered by puskesmas staff reaches the desk's page with its
follow-ups and in the counts per puskesmas and kecamatan."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from deskpemilu.audit.models import AuditEntry
from deskpemilu.health.models import DutyShift, HealthIncident, HealthPost, PuskesmasCheck

PEJERUK_TPS = "5271011006003"


@pytest.fixture
def nurse(make_user):
    return make_user("pkm_ampenan", "health", "527101")


def report(client, **extra):
    data = {
        "tps_code": PEJERUK_TPS,
        "person_role": "kpps",
        "condition": "dirawat",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "puskesmas": "pejeruk",
        "note": "Kelelahan setelah penghitungan",
        **extra,
    }
    return client.post("/kesehatan/kasus/baru/", data)


@pytest.mark.django_db
def test_it_carries_a_case_to_the_desk_with_its_follow_ups(client_for, nurse, admin, viewer):
    client = client_for(nurse)
    assert client.get("/kesehatan/kasus/baru/").status_code == 200
    response = report(client, name="Pak Made")
    assert response.status_code == 302, response.content
    incident = HealthIncident.objects.get()
    page = client.post(
        f"/kesehatan/kasus/{incident.pk}/",
        {"note": "Dirujuk ke RSUD Kota Mataram", "condition": "dirujuk_rs"},
    )
    assert page.status_code == 302
    desk = client_for(admin).get("/kesehatan/").content.decode()
    assert f'data-id="{incident.pk}"' in desk
    assert "Dirujuk ke RSUD Kota Mataram" in desk
    assert "Pak Made" in desk
    assert 'data-testid="health-total">1<' in desk
    assert 'data-key="pejeruk"' in desk and 'data-key="527101"' in desk
    # The name is for health staff and the desk, not for the leaders' read-only view.
    leaders = client_for(viewer).get("/kesehatan/").content.decode()
    assert f'data-id="{incident.pk}"' in leaders and "Pak Made" not in leaders


@pytest.mark.django_db
def test_it_closes_a_case(client_for, nurse):
    client = client_for(nurse)
    report(client)
    incident = HealthIncident.objects.get()
    url = f"/kesehatan/kasus/{incident.pk}/"
    client.post(url, {"note": "Sudah pulih", "condition": "sakit_ringan", "close": "on"})
    incident.refresh_from_db()
    assert incident.status == "ditutup"
    assert client.post(url, {"note": "lagi"}).status_code == 409


@pytest.mark.django_db
def test_it_refuses_a_case_outside_the_scope(client_for, nurse, make_user):
    other = make_user("pkm_sandubaya", "health", "527106")
    assert report(client_for(other)).status_code == 403
    report(client_for(nurse))
    incident = HealthIncident.objects.get()
    assert client_for(other).get(f"/kesehatan/kasus/{incident.pk}/").status_code == 404
    assert (
        client_for(other).post(f"/kesehatan/kasus/{incident.pk}/", {"note": "x"}).status_code == 404
    )


@pytest.mark.django_db
def test_it_refuses_an_nik(client_for, nurse):
    response = report(client_for(nurse), name="3201234567890123")
    assert response.status_code == 422
    assert "NIK" in response.content.decode()
    assert not HealthIncident.objects.exists()


@pytest.mark.django_db
def test_it_keeps_operators_out(client_for, operator):
    assert client_for(operator).get("/kesehatan/").status_code == 403
    assert client_for(operator).get("/kesehatan/kasus/baru/").status_code == 403


@pytest.mark.django_db
def test_it_records_posts_shifts_and_readiness_from_the_page(client_for, nurse, lurah):
    client = client_for(nurse)
    url = "/kesehatan/puskesmas/pejeruk/"
    assert client.get(url).status_code == 200
    client.post(
        url,
        {"action": "post", "name": "Posko Pejeruk", "hours": "07.00–22.00", "has_ambulance": "on"},
    )
    client.post(
        url,
        {
            "action": "shift",
            "date": timezone.localdate().isoformat(),
            "shift": "pagi",
            "dokter": 1,
            "perawat": 2,
            "bidan": 1,
            "sopir_ambulans": 1,
        },
    )
    client.post(url, {"action": "check", "status-ambulans": "siap", "status-obat": "belum"})
    assert HealthPost.objects.get().has_ambulance
    assert DutyShift.objects.get().perawat == 2
    assert PuskesmasCheck.objects.count() == 2
    page = client_for(lurah).get("/kesehatan/").content.decode()
    assert "Posko Pejeruk" in page
    assert client_for(lurah).post(url, {"action": "post", "name": "x"}).status_code == 403


@pytest.mark.django_db
def test_it_lets_the_desk_set_a_service_area(client_for, admin, nurse):
    url = "/kesehatan/puskesmas/pejeruk/"
    client_for(admin).post(url, {"action": "area", "kelurahan": ["5271011006", "5271011007"]})
    assert AuditEntry.objects.filter(action="health.service_area_set").exists()
    assert (
        client_for(nurse).post(url, {"action": "area", "kelurahan": ["5271011006"]}).status_code
        == 403
    )


@pytest.mark.django_db
def test_it_exports_formula_safe_xlsx(client_for, nurse):
    report(client_for(nurse), note="=cmd|' /C calc'!A0")
    response = client_for(nurse).get("/kesehatan/ekspor/")
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(response.content))["Kasus kesehatan"].iter_rows(values_only=True)
    )
    assert rows[1][10] == "'=cmd|' /C calc'!A0"
    assert AuditEntry.objects.filter(action="health.export").exists()


@pytest.mark.django_db
def test_it_reads_the_desk_page_in_few_queries(
    client_for, nurse, admin, django_assert_max_num_queries
):
    for _ in range(5):
        report(client_for(nurse))
    desk = client_for(admin)
    with django_assert_max_num_queries(20):
        assert desk.get("/kesehatan/").status_code == 200
