"""Meetings (and their decisions) belong to an election: the active one when recorded, listed
one election at a time (`?pemilihan=`), read-only once another election is active."""

import io

import pytest
from django.core.management import call_command

from deskpemilu.team.models import ActionItem, Meeting
from deskpemilu.team.tests.conftest import THREE_DECISIONS, meeting_body, post_json


def switch_to_pilkada():
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_meeting_is_filed_under_the_active_election(api_for, admin, meeting):
    assert Meeting.objects.get(pk=meeting["id"]).election_id == "pemilu2024"
    assert meeting["election"] == "pemilu2024"
    switch_to_pilkada()
    # The client does not choose the election: a field naming one is not read.
    body = meeting_body(actions=[], election="pemilu2024")
    made = post_json(api_for(admin), "/api/v1/meetings", body)
    assert made.status_code == 201, made.content
    assert Meeting.objects.get(pk=made.json()["id"]).election_id == "pilkada2024"


@pytest.mark.django_db
def test_the_lists_show_the_active_election_and_browse_another(api_for, admin, polri, meeting):
    switch_to_pilkada()
    desk = api_for(admin)
    assert desk.get("/api/v1/meetings").json() == []
    old = desk.get("/api/v1/meetings?pemilihan=pemilu2024").json()
    assert [(m["id"], m["election"]) for m in old] == [(meeting["id"], "pemilu2024")]
    assert desk.get("/api/v1/actions").json() == []
    assert len(desk.get("/api/v1/actions?pemilihan=pemilu2024").json()) == 3
    assert api_for(polri).get("/api/v1/actions").json() == []
    refused = desk.get("/api/v1/meetings?pemilihan=pilkada2029")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "pemilihan_tidak_dikenal"
    assert desk.get("/api/v1/actions?pemilihan=x").status_code == 422


@pytest.mark.django_db
def test_a_closed_elections_meeting_is_read_only(api_for, admin, polri, meeting):
    switch_to_pilkada()
    desk = api_for(admin)
    url = f"/api/v1/meetings/{meeting['id']}/actions"
    added = post_json(desk, url, THREE_DECISIONS[0])
    assert added.status_code == 409, added.content
    assert added.json()["errors"][0]["code"] == "pemilihan_tidak_aktif"
    item = next(a for a in meeting["actions"] if a["agency"]["slug"] == "polri")
    done = post_json(desk, f"/api/v1/actions/{item['id']}/events", {"status": "selesai"})
    assert done.status_code == 409
    assert ActionItem.objects.get(pk=item["id"]).status == "terbuka"
    assert ActionItem.objects.filter(meeting_id=meeting["id"]).count() == 3


@pytest.mark.django_db
def test_the_pages_show_one_election(client_for, admin, meeting):
    switch_to_pilkada()
    desk = client_for(admin)
    page = desk.get("/tim/rapat/")
    assert page.status_code == 200 and meeting["title"] not in page.content.decode()
    browsed = desk.get("/tim/rapat/?pemilihan=pemilu2024").content.decode()
    assert meeting["title"] in browsed and "hanya dapat dibaca" in browsed
    assert "Catat rapat baru" not in browsed
    detail = desk.get(f"/tim/rapat/{meeting['id']}/").content.decode()
    assert "hanya dapat dibaca" in detail
    actions = desk.get("/tim/tindak-lanjut/?pemilihan=pemilu2024")
    assert actions.status_code == 200 and len(actions.context["actions"]) == 3
    assert desk.get("/tim/tindak-lanjut/").context["actions"] == []
    assert desk.get("/tim/rapat/?pemilihan=nope").status_code == 404
