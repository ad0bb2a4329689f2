"""Stored XSS: a hostile text put into every free-text field that a page shows back comes out
escaped, never as markup.

Each field is written the way a user would write it (the JSON API, the account service, the
TPS import command), then the pages that show it are read: the escaped text must be there
(proving the field is shown), the raw markup never.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from deskpemilu.accounts.models import User
from deskpemilu.accounts.services import account_save
from deskpemilu.conftest import AMPENAN_SELATAN
from deskpemilu.security.tests.conftest import AMPENAN_SELATAN_TPS, SHEET, send

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
RAW = ["<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>"]
# What a page shows when it escapes the text (a page may shorten it; the start is enough).
SHOWN = escape("<script>alert(1)</script>")


def assert_escaped(client: Client, url: str, *, shown: bool = True) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    for raw in RAW:
        assert raw not in html, f"{url} shows {raw!r} unescaped"
    if shown:
        assert SHOWN in html, f"{url} does not show the text at all"


def created(response: Any) -> Any:
    # A refusal would leave nothing to check: the payload is ordinary storable text, so it must
    # be stored and then shown escaped.
    assert response.status_code in (200, 201), response.content
    return response.json()


@pytest.fixture
def desk(admin: User, client_for: Callable[[User], Client]) -> Client:
    return client_for(admin)


@pytest.fixture
def api(admin: User, api_for: Callable[[User], Client]) -> Client:
    return api_for(admin)


def test_account_name(desk, admin, client_for, make_user) -> None:
    user, _created = account_save(
        actor=admin, username="nama_jahat", role="viewer", first_name=PAYLOAD[:150]
    )
    assert_escaped(desk, "/accounts/users/")
    assert_escaped(desk, f"/accounts/users/{user.pk}/")
    assert_escaped(client_for(user), "/accounts/me/")


def test_tps_address_from_an_import(desk, tmp_path: Path) -> None:
    path = tmp_path / "tps.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["kode_tps", "nomor", "alamat", "dpt_l", "dpt_p", "lat", "lon"])
        writer.writerow([AMPENAN_SELATAN_TPS, "1", PAYLOAD, "120", "125", "", ""])
    call_command("import_tps", str(path), stdout=StringIO(), stderr=StringIO())
    assert_escaped(desk, f"/wilayah/tps/{AMPENAN_SELATAN_TPS}/")
    assert_escaped(desk, f"/wilayah/{AMPENAN_SELATAN}/", shown=False)


def test_sheet_note(desk, api) -> None:
    body = {**SHEET, "catatan": PAYLOAD}
    created(send(api, "PUT", f"/api/v1/results/ppwp/{AMPENAN_SELATAN_TPS}", body))
    assert_escaped(desk, f"/hasil/ppwp/{AMPENAN_SELATAN_TPS}/")
    assert_escaped(desk, "/hasil/verifikasi/", shown=False)


def test_incident_description_and_timeline_note(desk, api, polri, client_for) -> None:
    incident = created(
        send(
            api,
            "POST",
            "/api/v1/incidents",
            {
                "category": "keamanan",
                "severity": "tinggi",
                "tps_code": AMPENAN_SELATAN_TPS,
                "occurred_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
                "description": PAYLOAD,
            },
        )
    )
    event = {"note": PAYLOAD + " catatan", "status": "diteruskan", "forward_to": ["polri"]}
    created(send(api, "POST", f"/api/v1/incidents/{incident['id']}/events", event))
    assert_escaped(desk, f"/kejadian/{incident['id']}/")
    assert_escaped(desk, "/kejadian/")
    assert_escaped(client_for(polri), f"/kejadian/{incident['id']}/")
    for page in ("/", "/notifikasi/", "/situasi/"):
        assert_escaped(desk, page, shown=False)


def test_request_description(desk, api) -> None:
    request = created(
        send(
            api,
            "POST",
            "/api/v1/requests",
            {
                "kind": "tempat",
                "description": PAYLOAD,
                "region_code": AMPENAN_SELATAN,
                "needed_by": (timezone.now() + timedelta(days=1)).isoformat(),
                "requested_by_agency": "bawaslu",
            },
        )
    )
    assert_escaped(desk, f"/kejadian/permintaan/{request['id']}/")
    assert_escaped(desk, "/kejadian/permintaan/")


def test_readiness_note(desk, api) -> None:
    items = created(send(api, "GET", "/api/v1/readiness/items"))
    code = items[0]["code"]
    body = {"items": {code: {"status": "bermasalah", "catatan": PAYLOAD}}}
    created(send(api, "PUT", f"/api/v1/readiness/{AMPENAN_SELATAN_TPS}", body))
    assert_escaped(desk, f"/kesiapan/tps/{AMPENAN_SELATAN_TPS}/")
    assert_escaped(desk, f"/kesiapan/wilayah/{AMPENAN_SELATAN}/")


def test_health_note(desk, api) -> None:
    case = created(
        send(
            api,
            "POST",
            "/api/v1/health/incidents",
            {
                "tps_code": AMPENAN_SELATAN_TPS,
                "person_role": "kpps",
                "condition": "dirawat",
                "occurred_at": (timezone.now() - timedelta(minutes=30)).isoformat(),
                "note": PAYLOAD,
            },
        )
    )
    followup = {"note": PAYLOAD + " tindak lanjut"}
    send(api, "POST", f"/api/v1/health/incidents/{case['id']}/followups", followup)
    assert_escaped(desk, f"/kesehatan/kasus/{case['id']}/")
    assert_escaped(desk, "/kesehatan/", shown=False)


def test_meeting_points_decisions_and_action_notes(desk, api, polri, client_for) -> None:
    due = (timezone.localdate() + timedelta(days=1)).isoformat()
    meeting = created(
        send(
            api,
            "POST",
            "/api/v1/meetings",
            {
                "title": "Rapat " + PAYLOAD[:150],
                "held_at": timezone.now().isoformat(),
                "points": [PAYLOAD],
                "summary": PAYLOAD,
                "other_attendees": [PAYLOAD[:100]],
                "actions": [{"text": PAYLOAD, "agency": "polri", "due_on": due}],
            },
        )
    )
    detail = created(send(api, "GET", f"/api/v1/meetings/{meeting['id']}"))
    action = detail["actions"][0]["id"]
    created(send(api, "POST", f"/api/v1/actions/{action}/events", {"note": PAYLOAD + " lanjut"}))
    assert_escaped(desk, f"/tim/rapat/{meeting['id']}/")
    assert_escaped(desk, "/tim/rapat/")
    assert_escaped(desk, f"/tim/tindak-lanjut/{action}/")
    assert_escaped(desk, "/tim/tindak-lanjut/")
    assert_escaped(client_for(polri), f"/tim/tindak-lanjut/{action}/")
    assert_escaped(desk, "/tim/", shown=False)


def test_team_member_name(desk, api) -> None:
    created(send(api, "POST", "/api/v1/team/members", {"name": PAYLOAD, "agency": "diskominfo"}))
    assert_escaped(desk, "/tim/")


def test_stage_note(desk, api) -> None:
    stages = created(send(api, "GET", "/api/v1/stages"))
    items = stages if isinstance(stages, list) else stages.get("items", [])
    code = items[0]["code"]
    body = {"kecamatan_code": "527101", "status": "bermasalah", "note": PAYLOAD}
    response = send(api, "POST", f"/api/v1/stages/{code}/status", body)
    if response.status_code == 422 and "status" in json.dumps(response.json()):
        body["status"] = "berjalan"
        response = send(api, "POST", f"/api/v1/stages/{code}/status", body)
    created(response)
    assert_escaped(desk, f"/tahapan/{code}/")
    assert_escaped(desk, "/tahapan/", shown=False)
