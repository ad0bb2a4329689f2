"""What the security tests share: the whole cast with a health worker, and one object of each
kind (a result sheet with its photo, an incident, a request, a health case, a team member, a
duty, a meeting with an action, a stage), all in Kelurahan Ampenan Selatan, made through the
JSON API by the desk's admin as the desk would.

An object that cannot be made (an app changed its API) is reported, and its routes are filled
with an id that does not exist: they are still walked, they only prove less.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from deskpemilu.accounts.models import ApiToken, User
from deskpemilu.accounts.services import token_issue
from deskpemilu.conftest import AMPENAN_SELATAN

MISSING = 999999
AMPENAN_SELATAN_TPS = AMPENAN_SELATAN + "001"
SHEET: dict[str, Any] = {
    "administrasi": {
        "pemilih_dpt_l": 120,
        "pemilih_dpt_p": 125,
        "pengguna_dpt_l": 100,
        "pengguna_dpt_p": 110,
        "pengguna_dptb_l": 1,
        "pengguna_dptb_p": 0,
        "pengguna_non_dpt_l": 2,
        "pengguna_non_dpt_p": 1,
        "surat_suara_diterima": 250,
        "surat_suara_digunakan": 214,
        "surat_suara_rusak": 1,
        "surat_suara_tidak_digunakan": 35,
        "suara_sah": 210,
        "suara_tidak_sah": 4,
    },
    "suara": {"1": 60, "2": 120, "3": 30},
}


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    call = getattr(client, method.lower())
    if body is None:
        return call(url)
    return call(url, data=json.dumps(body), content_type="application/json")


def png() -> SimpleUploadedFile:
    data = BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(data, "PNG")
    return SimpleUploadedFile("c1.png", data.getvalue(), content_type="image/png")


@pytest.fixture
def health(make_user: Callable[..., User]) -> User:
    """A puskesmas worker of Kecamatan Ampenan (Ampenan Selatan lies inside it)."""
    return make_user("puskesmas_ampenan", "health", "527101")


@dataclass
class World:
    ids: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def get(self, kind: str) -> Any:
        return self.ids.get(kind, MISSING)


def _made(world: World, kind: str, response: Any, pick: Callable[[Any], Any]) -> None:
    if response.status_code in (200, 201):
        try:
            world.ids[kind] = pick(response.json())
            return
        except (KeyError, IndexError, TypeError, ValueError, StopIteration):
            pass
    world.missing.append(f"{kind}: {response.status_code} {response.content[:200]!r}")


def build_world(admin_api: Client, victim: User) -> World:
    world = World()
    sheet = send(admin_api, "PUT", f"/api/v1/results/ppwp/{AMPENAN_SELATAN_TPS}", SHEET)
    _made(world, "sheet", sheet, lambda body: body["version"])
    photo = admin_api.post(f"/api/v1/results/ppwp/{AMPENAN_SELATAN_TPS}/photos", {"foto": png()})
    _made(world, "photo", photo, lambda body: body["sha256"][0])
    incident = send(
        admin_api,
        "POST",
        "/api/v1/incidents",
        {
            "category": "keamanan",
            "severity": "sedang",
            "tps_code": AMPENAN_SELATAN_TPS,
            "occurred_at": "2024-02-14T09:00:00",
            "description": "Kerumunan di depan TPS",
        },
    )
    _made(world, "incident", incident, lambda body: body["id"])
    request = send(
        admin_api,
        "POST",
        "/api/v1/requests",
        {
            "kind": "kendaraan",
            "description": "Angkutan kotak suara",
            "region_code": AMPENAN_SELATAN,
            "needed_by": "2024-02-13T08:00:00",
            "requested_by_agency": "kpu",
        },
    )
    _made(world, "request", request, lambda body: body["id"])
    case = send(
        admin_api,
        "POST",
        "/api/v1/health/incidents",
        {
            "tps_code": AMPENAN_SELATAN_TPS,
            "person_role": "kpps",
            "condition": "sakit_ringan",
            "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "note": "Pusing, istirahat",
        },
    )
    _made(world, "health_incident", case, lambda body: body["id"])
    members = send(admin_api, "GET", "/api/v1/team/members")
    _made(world, "member", members, lambda body: body[0]["id"])
    roster = send(admin_api, "GET", "/api/v1/team/roster?from=2024-02-10&to=2024-02-17")
    _made(world, "assignment", roster, _first_assignment)
    meeting = send(
        admin_api,
        "POST",
        "/api/v1/meetings",
        {
            "title": "Rapat koordinasi H-1",
            "held_at": "2024-02-13T09:00:00",
            "points": ["Logistik aman"],
            "actions": [
                {
                    "text": "Patroli TPS rawan",
                    "agency": "polri",
                    "due_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
                }
            ],
        },
    )
    _made(world, "meeting", meeting, lambda body: body["id"])
    if "meeting" in world.ids:
        detail = send(admin_api, "GET", f"/api/v1/meetings/{world.ids['meeting']}")
        _made(world, "action", detail, lambda body: body["actions"][0]["id"])
    stages = send(admin_api, "GET", "/api/v1/stages")
    _made(world, "stage", stages, _first_stage)
    _token, row = token_issue(actor=None, user=victim, days=1)
    world.ids["victim"] = victim.pk
    world.ids["victim_token"] = row.pk
    assert ApiToken.objects.filter(pk=row.pk).exists()
    return world


def _first_assignment(body: Any) -> int:
    days = body if isinstance(body, list) else body.get("days", [])
    for day in days:
        for slot in day.get("shifts", []):
            for member in slot.get("members", []):
                return int(member["assignment_id"])
    raise ValueError("no duty in the roster")


def _first_stage(body: Any) -> str:
    items = body if isinstance(body, list) else body.get("items", body.get("stages", []))
    return str(items[0]["code"])


@pytest.fixture
def world(admin: User, api_for: Callable[[User], Client], make_user: Callable[..., User]) -> World:
    victim = make_user("korban_uji", "viewer")
    return build_world(api_for(admin), victim)
