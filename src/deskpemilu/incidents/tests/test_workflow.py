"""POST /api/v1/incidents/{id}/events: the workflow of CONTRACT.md, step by step."""

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.incidents.models import Forward, Incident, TimelineEvent
from deskpemilu.incidents.tests.helpers import report, step


@pytest.fixture
def tni(make_user):
    return make_user("tni_liaison", "liaison", "", "tni")


@pytest.mark.django_db
def test_the_election_morning_flow(api_for, lurah, admin, polri):
    reporter, desk, police = api_for(lurah), api_for(admin), api_for(polri)
    incident = report(reporter)["id"]

    assert step(desk, incident, status="diverifikasi", note="Dicek via telepon").status_code == 201
    response = step(desk, incident, forward_to=["polri"], note="Mohon pengamanan")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "diteruskan"  # forwarding moves it on
    assert step(police, incident, status="ditangani", note="Unit meluncur").status_code == 201
    assert step(reporter, incident, note="Massa sudah bubar").status_code == 201
    assert step(desk, incident, status="selesai", note="Aman").status_code == 201

    detail = desk.get(f"/api/v1/incidents/{incident}").json()
    assert detail["status"] == "selesai"
    assert detail["forwarded_to"] == ["polri"]
    assert [(e["actor"], e["status"]) for e in detail["timeline"]] == [
        ("lurah_pejeruk", "baru"),
        ("admin_desk", "diverifikasi"),
        ("admin_desk", "diteruskan"),
        ("polri_liaison", "ditangani"),
        ("lurah_pejeruk", None),
        ("admin_desk", "selesai"),
    ]
    assert detail["timeline"][2]["forward_to"] == ["polri"]
    assert detail["acknowledged_at"] and detail["resolved_at"]
    assert AuditEntry.objects.filter(action="incident.step", object_id=str(incident)).count() == 5


@pytest.mark.django_db
def test_the_desk_forwards_to_several_agencies_once_each(api_for, lurah, admin):
    incident = report(api_for(lurah))["id"]
    desk = api_for(admin)
    assert step(desk, incident, forward_to=["polri", "tni"]).status_code == 201
    assert step(desk, incident, forward_to=["tni", "bpbd"]).status_code == 201
    slugs = Forward.objects.filter(incident_id=incident).values_list("agency__slug", flat=True)
    assert sorted(slugs) == ["bpbd", "polri", "tni"]
    last = TimelineEvent.objects.filter(incident_id=incident).last()
    assert last.forward_to == ["bpbd"]


@pytest.mark.django_db
def test_it_refuses_an_unknown_agency_or_status(api_for, lurah, admin):
    incident = report(api_for(lurah))["id"]
    desk = api_for(admin)
    response = step(desk, incident, forward_to=["fbi"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "instansi_tidak_dikenal"
    response = step(desk, incident, status="hilang")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "status_tidak_dikenal"
    response = step(desk, incident, status="diteruskan")
    assert response.json()["errors"][0]["code"] == "tujuan_wajib"
    assert step(desk, incident).json()["errors"][0]["code"] == "langkah_kosong"
    for odd in ({"forward_to": ["pol\u0000ri"]}, {"duplicate_of": "KJD\u0000"}, {"note": "\u0000"}):
        assert step(desk, incident, **odd).status_code == 422, odd
    assert TimelineEvent.objects.filter(incident_id=incident).count() == 1


@pytest.mark.django_db
def test_a_liaison_may_only_answer_what_was_forwarded(api_for, lurah, admin, polri, tni):
    incident = report(api_for(lurah))["id"]
    step(api_for(admin), incident, forward_to=["polri"])
    response = step(api_for(polri), incident, status="selesai")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "status_tidak_diizinkan"
    assert step(api_for(polri), incident, forward_to=["tni"]).status_code == 403
    # TNI was not asked: it cannot even see the incident.
    assert step(api_for(tni), incident, note="kami bantu").status_code == 404


@pytest.mark.django_db
def test_a_liaison_cannot_handle_a_closed_incident(api_for, lurah, admin, polri):
    incident = report(api_for(lurah))["id"]
    desk = api_for(admin)
    step(desk, incident, forward_to=["polri"])
    step(desk, incident, status="selesai")
    response = step(api_for(polri), incident, status="ditangani")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "transisi_tidak_valid"


@pytest.mark.django_db
def test_the_reporter_may_only_add_notes(api_for, lurah):
    client = api_for(lurah)
    incident = report(client)["id"]
    assert step(client, incident, note="Tambahan: ada provokator").status_code == 201
    assert step(client, incident, status="selesai").status_code == 403
    assert Incident.objects.get(pk=incident).status == "baru"


@pytest.mark.django_db
def test_others_in_the_area_read_but_do_not_write(api_for, lurah, make_user, viewer, verifier):
    incident = report(api_for(lurah))["id"]
    other_lurah_staff = make_user("sekretaris_pejeruk", "operator", "5271011006", "diskominfo")
    assert api_for(other_lurah_staff).get(f"/api/v1/incidents/{incident}").status_code == 200
    assert step(api_for(other_lurah_staff), incident, note="x").status_code == 403
    assert api_for(viewer).get(f"/api/v1/incidents/{incident}").status_code == 200
    assert step(api_for(viewer), incident, note="x").status_code == 403
    assert step(api_for(verifier), incident, note="x").status_code == 403


@pytest.mark.django_db
def test_the_desk_merges_a_duplicate(api_for, lurah, admin):
    reporter, desk = api_for(lurah), api_for(admin)
    first = report(reporter)
    second = report(reporter)["id"]
    response = step(desk, second, duplicate_of=first["number"], note="Laporan sama")
    assert response.status_code == 201, response.content
    merged = Incident.objects.get(pk=second)
    assert merged.status == "ditolak" and merged.duplicate_of_id == first["id"]
    root_notes = list(
        TimelineEvent.objects.filter(incident_id=first["id"]).values_list("note", flat=True)
    )
    assert any(merged.number in n for n in root_notes)
    # Merging into itself, or into its own duplicate, is refused.
    assert step(desk, first["id"], duplicate_of=str(first["id"])).status_code == 422
    assert step(desk, first["id"], duplicate_of=str(second)).status_code == 422


@pytest.mark.django_db
def test_the_timeline_is_append_only(api_for, lurah):
    from django.db import IntegrityError, transaction
    from django.db.utils import DatabaseError

    incident = report(api_for(lurah))["id"]
    event = TimelineEvent.objects.get(incident_id=incident)
    for change in (
        lambda: TimelineEvent.objects.filter(pk=event.pk).update(note="diubah"),
        lambda: TimelineEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            change()
    assert TimelineEvent.objects.get(pk=event.pk).note == event.note
