"""Elections as data: the list, the one active election, and results refused elsewhere."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from deskpemilu.audit.models import AuditEntry
from deskpemilu.elections.models import Election
from deskpemilu.results.models import Sheet
from deskpemilu.results.tests.pages import form_data
from deskpemilu.results.tests.sheets import sheet_for_tps

TPS = "5271011004001"  # Ampenan Selatan TPS 001, the operator's area


def put(client, contest, body, tps=TPS):
    url = f"/api/v1/results/{contest}/{tps}"
    return client.put(url, data=json.dumps(body), content_type="application/json")


def active_code():
    return Election.objects.get(active=True).code


@pytest.mark.django_db
def test_it_lists_the_elections_with_their_contests(api_for, viewer):
    response = api_for(viewer).get("/api/v1/elections")
    assert response.status_code == 200
    by_code = {e["code"]: e for e in response.json()}
    assert set(by_code) == {"pemilu2024", "pilkada2024"}
    pemilu, pilkada = by_code["pemilu2024"], by_code["pilkada2024"]
    assert pemilu["active"] is True and pilkada["active"] is False
    assert (pemilu["kind"], pemilu["voting_day"]) == ("pemilu", "2024-02-14")
    assert (pilkada["kind"], pilkada["voting_day"]) == ("pilkada", "2024-11-27")
    assert [c["code"] for c in pilkada["contests"]] == ["pkwkp", "pkwkk"]
    assert pilkada["contests"][1]["name"] == "Wali Kota dan Wakil Wali Kota Mataram"
    assert {"ppwp", "dpr", "dpd"} <= {c["code"] for c in pemilu["contests"]}
    assert pemilu["tps_count"] == 1248


@pytest.mark.django_db
def test_it_asks_for_a_sign_in(client):
    assert client.get("/api/v1/elections").status_code == 401


@pytest.mark.django_db
def test_it_refuses_results_into_an_election_that_is_not_active(api_for, operator):
    response = put(api_for(operator), "pkwkk", sheet_for_tps(TPS, "pkwkk"))
    assert response.status_code == 409, response.content
    assert response.json()["errors"][0]["code"] == "pemilihan_tidak_aktif"
    assert not Sheet.objects.filter(contest_id="pkwkk").exists()


@pytest.mark.django_db
def test_it_refuses_verifying_once_the_election_is_closed(api_for, operator, verifier):
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())
    assert put(api_for(operator), "pkwkk", sheet_for_tps(TPS, "pkwkk")).status_code == 201
    call_command("activate_election", "pemilu2024", stdout=io.StringIO())
    response = api_for(verifier).post(
        f"/api/v1/results/pkwkk/{TPS}/verify",
        data=json.dumps({"version": 1}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "pemilihan_tidak_aktif"
    # Still readable.
    read = api_for(verifier).get(f"/api/v1/results/pkwkk/{TPS}")
    assert read.status_code == 200
    assert read.json()["status"] == "dientri"


@pytest.mark.django_db
def test_the_entry_form_refuses_in_indonesian(client_for, operator):
    client = client_for(operator)
    page = client.get(f"/hasil/pkwkk/{TPS}/isi/")
    assert page.status_code == 200
    assert "hanya dapat dibaca" in page.content.decode()
    data = form_data(sheet_for_tps(TPS, "pkwkk"), kunci="0123456789abcdef0123456789abcdef")
    response = client.post(f"/hasil/pkwkk/{TPS}/isi/", data)
    assert response.status_code == 409
    assert "Pemilihan kontes ini tidak aktif" in response.content.decode()
    assert not Sheet.objects.filter(contest_id="pkwkk").exists()


@pytest.mark.django_db
def test_the_results_page_browses_another_election_read_only(client_for, operator):
    client = client_for(operator)
    own = client.get("/hasil/?wilayah=5271011004")
    assert own.status_code == 200 and "PPWP" in own.content.decode()
    other = client.get("/hasil/?wilayah=5271011004&pemilihan=pilkada2024")
    text = other.content.decode()
    assert other.status_code == 200
    assert "Pilwalkot Mataram" in text and "hanya dapat dibaca" in text
    assert f"/hasil/pkwkk/{TPS}/isi/" not in text
    assert client.get("/hasil/?pemilihan=tidak-ada").status_code == 404


@pytest.mark.django_db
def test_the_desk_switches_the_active_election(client_for, admin):
    client = client_for(admin)
    page = client.get("/pemilihan/")
    assert page.status_code == 200
    assert "Pilkada 2024" in page.content.decode()
    response = client.post("/pemilihan/", {"pemilihan": "pilkada2024"})
    assert response.status_code == 302
    assert active_code() == "pilkada2024"
    entry = AuditEntry.objects.filter(action="election.activate").get()
    assert entry.payload == {"from": "pemilu2024", "to": "pilkada2024"}
    assert entry.actor_id == admin.pk


@pytest.mark.django_db
def test_it_refuses_the_switch_to_others(client_for, operator, viewer):
    for user in (operator, viewer):
        response = client_for(user).post("/pemilihan/", {"pemilihan": "pilkada2024"})
        assert response.status_code == 403
    assert active_code() == "pemilu2024"


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_election(client_for, admin):
    response = client_for(admin).post("/pemilihan/", {"pemilihan": "pilkada2099"})
    assert response.status_code == 404
    assert active_code() == "pemilu2024"


@pytest.mark.django_db
def test_the_command_switches_and_records_it(capsys):
    call_command("activate_election", "pilkada2024")
    assert "pilkada2024" in capsys.readouterr().out
    assert active_code() == "pilkada2024"
    call_command("activate_election", "pilkada2024")
    assert "sudah aktif" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="election.activate").count() == 1
    with pytest.raises(CommandError):
        call_command("activate_election", "tidak-ada")


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_election():
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(code="pilkada2024").update(active=True)
