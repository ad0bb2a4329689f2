"""Helpers of the team tests: a frozen clock, JSON calls, a meeting with three decisions."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from deskpemilu.accounts.models import User

WITA = timezone.get_fixed_timezone(8 * 60)


def wita(*args: int) -> datetime:
    return datetime(*args, tzinfo=WITA)


@pytest.fixture
def freeze(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the clock: timezone.now() (and so localdate()) answers `moment`."""

    def set_clock(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_clock


def post_json(client: Any, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def dinkes(make_user: Callable[..., User]) -> User:
    """The liaison of the Dinas Kesehatan."""
    return make_user("dinkes_liaison", "liaison", "", "dinkes")


THREE_DECISIONS = [
    {
        "text": "Pastikan lokasi TPS, kotak suara dan surat suara siap",
        "agency": "bagian-pemerintahan",
        "due_on": "2024-02-12",
    },
    {
        "text": "Siagakan petugas dan posko kesehatan di setiap puskesmas",
        "agency": "dinkes",
        "due_on": "2024-02-13",
    },
    {
        "text": "Patroli kamtibmas bersama TNI di setiap kecamatan",
        "agency": "polri",
        "due_on": "2024-02-13",
    },
]


def meeting_body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Rapat koordinasi Tim Desk Pemilu",
        "held_at": "2024-02-06T09:00:00+08:00",
        "chair": "H Lalu Martawang",
        "other_attendees": ["KPU Kota Mataram", "Bawaslu Kota Mataram"],
        "points": [
            "Lokasi TPS beserta kotak suara dan surat suara harus dipastikan siap",
            "Kesiapan petugas kesehatan dan posko kesehatan di masing-masing puskesmas",
        ],
        "actions": THREE_DECISIONS,
        **extra,
    }


@pytest.fixture
def meeting(api_for: Callable[[User], Any], admin: User) -> dict[str, Any]:
    """A meeting entered by the desk through the API, with three decisions."""
    response = post_json(api_for(admin), "/api/v1/meetings", meeting_body())
    assert response.status_code == 201, response.content
    detail = api_for(admin).get(f"/api/v1/meetings/{response.json()['id']}").json()
    return detail
