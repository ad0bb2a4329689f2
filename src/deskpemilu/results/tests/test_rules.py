"""One rule per action on a sheet (results.rules): for every demo role and every state of a
sheet, the sheet page shows a button exactly when the service behind it accepts the action.

Both sides go through HTTP: the page as the role sees it, then each action through the API,
each tried in a savepoint rolled back afterwards so every action meets the same state."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from deskpemilu.accounts.management.commands.setup_demo import DEMO_ACCOUNTS
from deskpemilu.results.contests import clear_cache
from deskpemilu.results.models import Contest, Sheet, SheetVersion, Verification
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps, with_votes

TPS = "5271011004004"
API = f"/api/v1/results/ppwp/{TPS}"
ACTIONS = ("verify", "return", "resolve", "correct")


class Rollback(Exception):
    pass


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cast(make_user):
    """The demo accounts, one per role, by role."""
    return {a.role: make_user(a.username, a.role, a.scope, a.agency) for a in DEMO_ACCOUNTS}


@pytest.fixture
def clean_cache():
    yield
    clear_cache()  # the mode set by a blind state is rolled back with the database


def _blind() -> None:
    Contest.objects.filter(code="ppwp").update(verification_mode="blind")
    clear_cache()


def _enter(api: Any, body: dict[str, Any]) -> None:
    response = api.put(API, body, content_type="application/json")
    assert response.status_code == 201, response.content


def _differing(body: dict[str, Any]) -> dict[str, Any]:
    return with_votes(body, {"1": body["suara"]["1"] - 1, "2": body["suara"]["2"] + 1})


def _set_up(state: str, api: dict[str, Any], body: dict[str, Any]) -> None:
    """Bring the sheet into `state` through the API, as the desk's people would."""
    if state.startswith("blind") or state.startswith("mismatch"):
        _blind()
    author = api["admin"] if state == "entered_by_admin" else api["operator"]
    _enter(author, body)
    if state in ("entered", "entered_by_admin", "verified", "returned"):
        attach_photo(author, "ppwp", TPS)
    if state == "verified":
        verified = api["verifier"].post(f"{API}/verify", {"version": 1}, "application/json")
        assert verified.status_code == 200, verified.content
    if state == "returned":
        sent = {"version": 1, "reason": "foto buram"}
        returned = api["verifier"].post(f"{API}/return", sent, "application/json")
        assert returned.status_code == 200, returned.content
    if state.startswith("mismatch"):
        reentrant = api["admin"] if state == "mismatch_reentered_by_admin" else api["verifier"]
        sent = {"version": 1, "sheet": _differing(body)}
        refused = reentrant.post(f"{API}/verify", sent, "application/json")
        assert refused.status_code == 409, refused.content


def _buttons(client: Any) -> dict[str, bool]:
    response = client.get(f"/hasil/ppwp/{TPS}/")
    html = response.content.decode() if response.status_code == 200 else ""
    return {
        "verify": f'href="{reverse("sheet_verify", args=["ppwp", TPS])}"' in html,
        "return": f'action="{reverse("sheet_return", args=["ppwp", TPS])}"' in html,
        "resolve": f'href="{reverse("mismatch_detail", args=["ppwp", TPS])}"' in html,
        "correct": f'href="{reverse("sheet_entry", args=["ppwp", TPS])}"' in html,
    }


def _done() -> tuple[int, int]:
    """What an accepted action leaves behind: a new check (verify, return, resolve) or a new
    version (correct). A repeated check of a verified sheet answers 200 and does nothing."""
    return Verification.objects.count(), SheetVersion.objects.count()


def _try(api: Any, action: str, body: dict[str, Any]) -> bool:
    """Whether the service accepts `action` now; rolled back either way."""
    current = Sheet.objects.get(tps_id=TPS, contest_id="ppwp").current
    assert current is not None
    before = _done()
    accepted = False
    try:
        with transaction.atomic():
            if action == "verify":
                sent: dict[str, Any] = {"version": current.number}
                if Contest.objects.get(code="ppwp").verification_mode == "blind":
                    sent["sheet"] = {"administrasi": current.administrasi, "suara": current.suara}
                response = api.post(f"{API}/verify", sent, "application/json")
            elif action == "return":
                sent = {"version": current.number, "reason": "cek ulang"}
                response = api.post(f"{API}/return", sent, "application/json")
            elif action == "resolve":
                sent = {"accept": "pertama", "note": "sesuai foto"}
                response = api.post(f"{API}/resolve", sent, "application/json")
            else:
                sent = {**body, "alasan_koreksi": "salah ketik"}
                response = api.put(API, sent, content_type="application/json")
            assert response.status_code < 500, response.content
            accepted = response.status_code < 300 and _done() != before
            raise Rollback
    except Rollback:
        pass
    return accepted


STATES = [
    "entered",
    "entered_no_photo",
    "entered_by_admin",
    "verified",
    "returned",
    "blind_entered",
    "mismatch",
    "mismatch_reentered_by_admin",
]


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
def test_it_shows_a_button_exactly_when_the_service_accepts(
    state, cast, api_for, client_for, clean_cache
):
    api = {role: api_for(user) for role, user in cast.items()}
    body = sheet_for_tps(TPS)
    _set_up(state, api, body)
    shown_somewhere = {a: False for a in ACTIONS}
    for role, user in cast.items():
        buttons = _buttons(client_for(user))
        for action in ACTIONS:
            accepted = _try(api[role], action, body)
            assert buttons[action] == accepted, (state, role, action, buttons[action], accepted)
            shown_somewhere[action] |= accepted
    # Each state lets someone act (the matrix is not vacuously all "no").
    assert any(shown_somewhere.values())
