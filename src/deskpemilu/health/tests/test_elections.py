"""Health cases belong to an election: the active one when reported, listed one election at a
time (`?pemilihan=`), read-only once another election is active."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from deskpemilu.health.models import FollowUp, HealthIncident

URL = "/api/v1/health/incidents"
CASE = {
    "tps_code": "5271011006003",  # Pejeruk TPS 003
    "person_role": "kpps",
    "condition": "dirawat",
    "occurred_at": "2024-02-14T22:15:00+08:00",
    "note": "Pingsan saat penghitungan suara",
}


@pytest.fixture(autouse=True)
def election_night(monkeypatch):
    import datetime as dt

    from django.utils import timezone

    fixed = dt.datetime(2024, 2, 15, 1, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: fixed)


@pytest.fixture
def nurse(make_user):
    return make_user("pkm_ampenan", "health", "527101")


@pytest.fixture
def case(api_for, nurse):
    response = api_for(nurse).post(URL, data=json.dumps(CASE), content_type="application/json")
    assert response.status_code == 201, response.content
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())
    return response.json()


@pytest.mark.django_db
def test_a_case_is_filed_under_the_active_election(case):
    assert case["election"] == "pemilu2024"
    assert HealthIncident.objects.get(pk=case["id"]).election_id == "pemilu2024"


@pytest.mark.django_db
def test_the_list_and_summary_show_the_active_election(api_for, nurse, case):
    client = api_for(nurse)
    assert client.get(URL).json() == []
    assert [c["id"] for c in client.get(URL, {"pemilihan": "pemilu2024"}).json()] == [case["id"]]
    assert client.get("/api/v1/health/summary").json()["totals"]["total"] == 0
    summary = client.get("/api/v1/health/summary", {"pemilihan": "pemilu2024"}).json()
    assert summary["totals"]["total"] == 1
    refused = client.get(URL, {"pemilihan": "pilkada2029"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "pemilihan_tidak_dikenal"


@pytest.mark.django_db
def test_a_closed_elections_case_takes_no_follow_up(api_for, nurse, case):
    response = api_for(nurse).post(
        f"{URL}/{case['id']}/followups",
        data=json.dumps({"note": "Pulih", "close": True}),
        content_type="application/json",
    )
    assert response.status_code == 409, response.content
    assert response.json()["errors"][0]["code"] == "pemilihan_tidak_aktif"
    assert not FollowUp.objects.exists()
    assert HealthIncident.objects.get(pk=case["id"]).status == "terbuka"


@pytest.mark.django_db
def test_the_pages_show_one_election(client_for, nurse, case):
    client = client_for(nurse)
    home = client.get("/kesehatan/")
    assert home.status_code == 200 and home.context["totals"]["total"] == 0
    browsed = client.get("/kesehatan/?pemilihan=pemilu2024")
    assert browsed.context["totals"]["total"] == 1
    assert "hanya dapat dibaca" in browsed.content.decode()
    assert client.get("/kesehatan/?pemilihan=nope").status_code == 404
    page = client.get(f"/kesehatan/kasus/{case['id']}/")
    assert page.status_code == 200 and "hanya dapat dibaca" in page.content.decode()
    assert page.context["can_follow"] is False
    posted = client.post(f"/kesehatan/kasus/{case['id']}/", {"note": "Pulih"})
    assert posted.status_code == 409
    assert not FollowUp.objects.exists()
