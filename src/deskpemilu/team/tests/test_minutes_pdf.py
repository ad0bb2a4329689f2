"""A meeting's minutes (notulen) as a PDF made on the server."""

import re
from datetime import date

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.audit.services import head
from deskpemilu.team.documents import tanggal
from deskpemilu.team.tests.conftest import meeting_body, post_json


def pdf_of(client, meeting_id):
    response = client.get(f"/tim/rapat/{meeting_id}/notulen.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


@pytest.mark.django_db
def test_it_makes_a_valid_pdf(client_for, viewer, meeting):
    response = pdf_of(client_for(viewer), meeting["id"])
    content = response.content
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert len(content) > 2000
    assert b"/Type /Page" in content
    assert 'filename="notulen-rapat-' in response["Content-Disposition"]


@pytest.mark.django_db
def test_it_records_the_export_with_the_head_it_prints(client_for, viewer, meeting):
    client = client_for(viewer)  # signing in is itself recorded
    seq_before, _hash = head()
    pdf_of(client, meeting["id"])
    entry = AuditEntry.objects.filter(action="meeting.minutes").latest("seq")
    assert entry.actor_name == viewer.username
    assert entry.payload["meeting"] == meeting["id"]
    assert entry.payload["audit_seq_in_file"] == seq_before
    assert len(entry.payload["sha256"]) == 64


@pytest.mark.django_db
def test_it_survives_any_text(api_for, client_for, admin):
    hostile = "<b>Rapat & </para> ⚠ 选举 🗳️ \u202e =cmd|' /C calc'!A0"
    body = meeting_body(title=hostile, points=[hostile] * 30, other_attendees=[hostile])
    body["actions"] = [{**a, "text": hostile * 5} for a in body["actions"]] * 10
    response = post_json(api_for(admin), "/api/v1/meetings", body)
    assert response.status_code == 201
    content = pdf_of(client_for(admin), response.json()["id"]).content
    assert content.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", content)) >= 2  # it runs over several pages


@pytest.mark.django_db
def test_it_keeps_the_minutes_from_others(client_for, polri, meeting):
    assert client_for(polri).get(f"/tim/rapat/{meeting['id']}/notulen.pdf").status_code == 403
    assert client_for(polri).get("/tim/rapat/999999/notulen.pdf").status_code == 403


@pytest.mark.django_db
def test_it_denies_a_missing_meeting(client_for, viewer):
    assert client_for(viewer).get("/tim/rapat/999999/notulen.pdf").status_code == 404


def test_it_writes_dates_in_indonesian():
    assert tanggal(date(2024, 2, 5)) == "Senin, 5 Februari 2024"
    assert tanggal(date(2024, 2, 14)) == "Rabu, 14 Februari 2024"
    assert tanggal(date(2024, 11, 27), with_day=False) == "27 November 2024"
