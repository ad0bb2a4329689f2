"""The stage calendar per election: the list shows one election's calendar (`?pemilihan=`,
default the active one); the desk edits the dates of the active election's stages, audited;
another election's stages are read-only."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from deskpemilu.audit.models import AuditEntry
from deskpemilu.stages.models import Stage

URL = "/api/v1/stages"


def put(client, code, **body):
    return client.put(f"{URL}/{code}", data=json.dumps(body), content_type="application/json")


def switch_to_pilkada():
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_list_shows_the_active_elections_calendar(api_for, client_for, admin):
    desk = api_for(admin)
    assert {s["election"] for s in desk.get(URL).json()} == {"pemilu2024"}
    pilkada = desk.get(URL, {"pemilihan": "pilkada2024"}).json()
    assert pilkada and {s["election"] for s in pilkada} == {"pilkada2024"}
    assert desk.get(URL, {"pemilihan": "pilkada2029"}).json()["errors"][0]["code"] == (
        "pemilihan_tidak_dikenal"
    )
    page = client_for(admin).get("/tahapan/")
    assert [s.election_id for s in page.context["stages"]] == ["pemilu2024"] * len(
        page.context["stages"]
    )
    switch_to_pilkada()
    assert {s["election"] for s in desk.get(URL).json()} == {"pilkada2024"}
    page = client_for(admin).get("/tahapan/")
    assert {s.election_id for s in page.context["stages"]} == {"pilkada2024"}


@pytest.mark.django_db
def test_the_page_browses_another_elections_calendar_read_only(client_for, admin):
    page = client_for(admin).get("/tahapan/?pemilihan=pilkada2024")
    assert page.status_code == 200
    html = page.content.decode()
    assert "hanya dapat dibaca" in html and 'value="pilkada2024" selected' in html
    assert "pilkada-pemungutan" in html and "/tahapan/pemungutan/" not in html
    assert client_for(admin).get("/tahapan/?pemilihan=pemilu2099").status_code == 404
    detail = client_for(admin).get("/tahapan/pilkada-pemungutan/")
    assert detail.status_code == 200
    assert detail.context["stage_form"] is None and detail.context["form"] is None
    assert "hanya dapat dibaca" in detail.content.decode()


@pytest.mark.django_db
def test_the_desk_edits_the_active_elections_dates_on_the_page(client_for, admin):
    response = client_for(admin).post(
        "/tahapan/distribusi-ppk/ubah/",
        {"starts_on": "2024-02-07", "ends_on": "2024-02-10", "active": "on"},
    )
    assert response.status_code == 302
    stage = Stage.objects.get(code="distribusi-ppk")
    assert (stage.starts_on, stage.ends_on) == (date(2024, 2, 7), date(2024, 2, 10))
    entry = AuditEntry.objects.get(action="stage.change", object_id="distribusi-ppk")
    assert entry.payload["election"] == "pemilu2024"
    assert entry.payload["before"]["starts_on"] == "2024-02-08"
    assert entry.payload["after"]["starts_on"] == "2024-02-07"


@pytest.mark.django_db
def test_the_desk_edits_the_active_elections_dates_through_the_api(api_for, admin, camat):
    desk = api_for(admin)
    response = put(desk, "pemungutan", starts_on="2024-02-14", ends_on="2024-02-15")
    assert response.status_code == 200, response.content
    assert (response.json()["ends_on"], response.json()["active"]) == ("2024-02-15", True)
    assert AuditEntry.objects.filter(action="stage.change", object_id="pemungutan").count() == 1
    reversed_ = put(desk, "pemungutan", starts_on="2024-02-15", ends_on="2024-02-14")
    assert reversed_.status_code == 422
    assert reversed_.json()["errors"][0]["code"] == "rentang_terbalik"
    assert (
        put(api_for(camat), "pemungutan", starts_on="2024-02-14", ends_on="2024-02-14").status_code
        == 403
    )
    assert put(desk, "tidak-ada", starts_on="2024-02-14", ends_on="2024-02-14").status_code == 404


@pytest.mark.django_db
def test_another_elections_stages_are_read_only(api_for, client_for, admin):
    before = Stage.objects.get(code="pilkada-pemungutan")
    refused = put(
        api_for(admin), "pilkada-pemungutan", starts_on="2024-11-26", ends_on="2024-11-27"
    )
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "pemilihan_tidak_aktif"
    page = client_for(admin).post(
        "/tahapan/pilkada-pemungutan/ubah/",
        {"starts_on": "2024-11-26", "ends_on": "2024-11-27", "active": "on"},
    )
    assert page.status_code == 409
    after = Stage.objects.get(code="pilkada-pemungutan")
    assert (after.starts_on, after.active) == (before.starts_on, before.active)
    assert not AuditEntry.objects.filter(action="stage.change").exists()
    # Once Pemilu 2024 is closed, its calendar is the read-only one.
    switch_to_pilkada()
    assert (
        put(api_for(admin), "pemungutan", starts_on="2024-02-14", ends_on="2024-02-14").status_code
        == 409
    )
    moved = put(api_for(admin), "pilkada-pemungutan", starts_on="2024-11-27", ends_on="2024-11-27")
    assert moved.status_code == 200


@pytest.mark.django_db
def test_todays_stages_are_the_active_elections(api_for, admin, monkeypatch):
    from datetime import datetime

    from django.utils import timezone

    from deskpemilu.stages.selectors import stages_today

    wita = timezone.get_fixed_timezone(8 * 60)
    monkeypatch.setattr(timezone, "now", lambda: datetime(2024, 2, 14, 10, 0, tzinfo=wita))
    assert [t.stage.code for t in stages_today()] == ["pemungutan", "penghitungan"]
    switch_to_pilkada()
    assert stages_today() == []
