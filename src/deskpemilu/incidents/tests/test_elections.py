"""Incidents and requests belong to an election: filed under the active one, listed one
election at a time (`?pemilihan=`), and read-only once another election is active."""

import io

import pytest
from django.core.management import call_command

from deskpemilu.audit.models import AuditEntry
from deskpemilu.incidents.models import FacilitationRequest, Incident
from deskpemilu.incidents.tests.helpers import PEJERUK, body, post, report, step

REQUESTS = "/api/v1/requests"


def switch_to_pilkada():
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())


def numbers(response):
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["items"]]


def request_body(**overrides):
    data = {
        "kind": "kendaraan",
        "description": "Dua mobil untuk distribusi kotak suara ke PPS Pejeruk",
        "region_code": "527101",
        "needed_by": "2024-02-13T07:00:00+08:00",
        "requested_by_agency": "kpu",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_a_report_is_filed_under_the_active_election(api_for, lurah):
    made = report(api_for(lurah))
    assert Incident.objects.get(pk=made["id"]).election_id == "pemilu2024"
    switch_to_pilkada()
    later = report(api_for(lurah), tps_code=None, region_code=PEJERUK)
    assert Incident.objects.get(pk=later["id"]).election_id == "pilkada2024"
    entry = AuditEntry.objects.filter(action="incident.report").order_by("seq").last()
    assert entry is not None and entry.payload["election"] == "pilkada2024"


@pytest.mark.django_db
def test_the_client_does_not_choose_the_election(api_for, lurah):
    response = post(api_for(lurah), "/api/v1/incidents", body(election="pilkada2024"))
    assert response.status_code == 422, response.content
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_the_list_shows_the_active_election_and_browses_another(api_for, lurah, admin):
    old = report(api_for(lurah))
    switch_to_pilkada()
    new = report(api_for(lurah), tps_code=None, region_code=PEJERUK)
    desk = api_for(admin)
    assert numbers(desk.get("/api/v1/incidents")) == [new["number"]]
    assert numbers(desk.get("/api/v1/incidents?pemilihan=pemilu2024")) == [old["number"]]
    assert numbers(desk.get("/api/v1/incidents?pemilihan=pilkada2024")) == [new["number"]]
    rows = desk.get("/api/v1/incidents?pemilihan=pemilu2024").json()["items"]
    assert rows[0]["election"] == "pemilu2024"
    # One incident is readable whatever its election.
    detail = desk.get(f"/api/v1/incidents/{old['id']}")
    assert detail.status_code == 200 and detail.json()["election"] == "pemilu2024"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["pilkada2029", "x" * 21, "pemilu\x002024"])
def test_an_unknown_election_is_refused(api_for, client_for, admin, code):
    response = api_for(admin).get("/api/v1/incidents", {"pemilihan": code})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "pemilihan_tidak_dikenal"
    assert api_for(admin).get(REQUESTS, {"pemilihan": code}).status_code == 422
    assert client_for(admin).get("/kejadian/", {"pemilihan": code}).status_code == 404


@pytest.mark.django_db
def test_a_closed_elections_incident_is_read_only(api_for, lurah, admin):
    old = report(api_for(lurah))
    switch_to_pilkada()
    desk = api_for(admin)
    before = AuditEntry.objects.count()
    response = step(desk, old["id"], status="diverifikasi", note="cek")
    assert response.status_code == 409, response.content
    assert response.json()["errors"][0]["code"] == "pemilihan_tidak_aktif"
    assert Incident.objects.get(pk=old["id"]).status == "baru"
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_closed_elections_incident_is_no_duplicate_target(api_for, lurah, admin):
    old = report(api_for(lurah))
    switch_to_pilkada()
    new = report(api_for(lurah), tps_code=None, region_code=PEJERUK)
    response = step(api_for(admin), new["id"], duplicate_of=str(old["id"]))
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["code"] == "duplikat_pemilihan_lain"


@pytest.mark.django_db
def test_the_board_shows_one_election_with_its_counts(client_for, api_for, lurah, admin):
    old = report(api_for(lurah))
    switch_to_pilkada()
    desk = client_for(admin)
    page = desk.get("/kejadian/")
    assert page.status_code == 200
    assert old["number"] not in page.content.decode()
    assert page.context["counts"].open_total == 0
    browsed = desk.get("/kejadian/?pemilihan=pemilu2024")
    html = browsed.content.decode()
    assert old["number"] in html and "hanya dapat dibaca" in html
    assert browsed.context["counts"].open_total == 1
    assert 'value="pemilu2024" selected' in html


@pytest.mark.django_db
def test_the_incident_page_refuses_a_step_into_a_closed_election(client_for, api_for, lurah, admin):
    old = report(api_for(lurah))
    switch_to_pilkada()
    page = client_for(admin).get(f"/kejadian/{old['id']}/")
    assert page.status_code == 200 and "hanya dapat dibaca" in page.content.decode()
    response = client_for(admin).post(
        f"/kejadian/{old['id']}/langkah/", {"action": "catatan", "note": "cek"}
    )
    assert response.status_code == 409
    assert not Incident.objects.get(pk=old["id"]).timeline.filter(note="cek").exists()


@pytest.mark.django_db
def test_the_situation_counts_the_active_elections_incidents(api_for, lurah, admin):
    report(api_for(lurah))
    desk = api_for(admin)
    assert desk.get("/api/v1/situation/summary").json()["incidents"]["open_total"] == 1
    switch_to_pilkada()
    assert desk.get("/api/v1/situation/summary").json()["incidents"]["open_total"] == 0


@pytest.mark.django_db
def test_requests_belong_to_an_election(api_for, client_for, admin):
    made = post(api_for(admin), REQUESTS, request_body())
    assert made.status_code == 201, made.content
    old = made.json()
    assert FacilitationRequest.objects.get(pk=old["id"]).election_id == "pemilu2024"
    switch_to_pilkada()
    desk = api_for(admin)
    assert numbers(desk.get(REQUESTS)) == []
    assert numbers(desk.get(f"{REQUESTS}?pemilihan=pemilu2024")) == [old["number"]]
    refused = post(desk, f"{REQUESTS}/{old['id']}/events", {"note": "cek"})
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "pemilihan_tidak_aktif"
    new = post(desk, REQUESTS, request_body()).json()
    assert FacilitationRequest.objects.get(pk=new["id"]).election_id == "pilkada2024"
    page = client_for(admin).get("/kejadian/permintaan/?pemilihan=pemilu2024&status=")
    html = page.content.decode()
    assert page.status_code == 200 and old["number"] in html and new["number"] not in html
    assert "hanya dapat dibaca" in html
    detail = client_for(admin).get(f"/kejadian/permintaan/{old['id']}/").content.decode()
    assert "hanya dapat dibaca" in detail and "request_step" not in detail
    assert f"/kejadian/permintaan/{old['id']}/langkah/" not in detail


@pytest.mark.django_db
def test_only_the_active_elections_incidents_are_escalated(api_for, lurah):
    from datetime import timedelta

    from django.utils import timezone

    from deskpemilu.incidents.escalation import incidents_escalate

    old = report(api_for(lurah), severity="kritis")
    switch_to_pilkada()
    later = timezone.now() + timedelta(minutes=16)  # past the 15-minute ack SLA of kritis
    assert incidents_escalate(now=later) == 0
    assert Incident.objects.get(pk=old["id"]).escalation_level == 0
