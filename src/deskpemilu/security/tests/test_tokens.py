"""Stolen credentials: a revoked, expired or deactivated account's API token works nowhere; a
guessed one neither; password guessing is locked out and second-factor guessing throttled."""

from __future__ import annotations

import json
import time
from binascii import unhexlify
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from deskpemilu.accounts import twofactor
from deskpemilu.accounts.models import ApiToken
from deskpemilu.accounts.services import account_set_active, token_issue, token_revoke
from deskpemilu.conftest import AMPENAN_SELATAN, PASSWORD
from deskpemilu.security.tests.conftest import AMPENAN_SELATAN_TPS, SHEET

pytestmark = pytest.mark.django_db

READS = [
    "/api/v1/regions/5271",
    f"/api/v1/tps/{AMPENAN_SELATAN_TPS}",
    "/api/v1/recap/ppwp/5271",
    "/api/v1/incidents",
    "/api/v1/readiness/items",
    "/api/v1/notifications",
    "/api/v1/stages",
]


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def statuses(client: Client) -> dict[str, int]:
    seen = {url: client.get(url).status_code for url in READS}
    put = client.put(
        f"/api/v1/results/ppwp/{AMPENAN_SELATAN_TPS}",
        data=json.dumps(SHEET),
        content_type="application/json",
    )
    seen["PUT results"] = put.status_code
    return seen


def assert_refused_everywhere(client: Client) -> None:
    seen = statuses(client)
    assert set(seen.values()) == {401}, seen


def test_a_working_token_works(admin) -> None:
    token, _row = token_issue(actor=None, user=admin, days=1)
    seen = statuses(bearer(token))
    assert set(seen.values()) <= {200, 201}, seen


def test_a_revoked_token_works_no_more(admin) -> None:
    token, row = token_issue(actor=None, user=admin, days=1)
    assert bearer(token).get("/api/v1/regions/5271").status_code == 200
    token_revoke(actor=admin, token=row)
    assert_refused_everywhere(bearer(token))


def test_a_token_revoked_from_its_page_works_no_more(client_for, admin) -> None:
    token, row = token_issue(actor=None, user=admin, days=1)
    response = client_for(admin).post(f"/accounts/tokens/{row.pk}/revoke/")
    assert response.status_code == 302
    assert_refused_everywhere(bearer(token))


def test_a_deactivated_accounts_token_works_no_more(admin, operator) -> None:
    token, _row = token_issue(actor=None, user=operator, days=1)
    assert bearer(token).get(f"/api/v1/regions/{AMPENAN_SELATAN}").status_code == 200
    account_set_active(actor=admin, user=operator, active=False)
    assert_refused_everywhere(bearer(token))


def test_a_deactivated_account_is_refused_even_if_its_token_row_stayed(operator) -> None:
    token, _row = token_issue(actor=None, user=operator, days=1)
    type(operator).objects.filter(pk=operator.pk).update(is_active=False)  # bypassing the service
    assert_refused_everywhere(bearer(token))


def test_an_expired_token_works_no_more(admin) -> None:
    token, row = token_issue(actor=None, user=admin, days=1)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_refused_everywhere(bearer(token))


def test_guessed_and_malformed_tokens_are_refused(admin) -> None:
    token, _row = token_issue(actor=None, user=admin, days=1)
    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), "dp_", "x" * 5000, token[:10]):
        assert_refused_everywhere(bearer(guess))
    assert Client().get(f"/api/v1/regions/5271?token={token}").status_code == 401
    basic = Client(headers={"Authorization": f"Token {token}"})
    assert basic.get("/api/v1/regions/5271").status_code == 401


def test_password_guessing_is_locked_out(client, admin) -> None:
    wrong = {"username": admin.username, "password": "salah"}
    answers = [client.post("/accounts/login/", wrong).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth failure locks
    right = client.post("/accounts/login/", {"username": admin.username, "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_second_factor_guessing_is_throttled(settings, client, admin) -> None:
    settings.DESKPEMILU_2FA_ENFORCED = True
    key = twofactor.new_totp_key()
    totp = TOTP(unhexlify(key))
    assert twofactor.twofactor_enrol(actor=admin, key_hex=key, code=f"{totp.token():06d}").ok
    client.post("/accounts/login/", {"username": admin.username, "password": PASSWORD})
    assert client.get("/").status_code == 302
    # The one-second window opens at this first failure, so the clock starts before it.
    started = time.monotonic()
    assert client.post("/accounts/2fa/", {"kode": "000001"}).status_code == 200
    answers = [client.post("/accounts/2fa/", {"kode": f"{n:06d}"}).status_code for n in range(50)]
    if time.monotonic() - started < 1:  # the first wait is one second: all were refused unseen
        assert set(answers) == {429}
    device = TOTPDevice.objects.get(user=admin)
    # Throttled tries are refused without being checked: 50 guesses cost at most a few checks.
    assert device.throttling_failure_count <= 3
    assert client.get("/").status_code == 302
    # The right code waits out the delay too. On a slow machine the 50 refused posts can
    # outlast the window, so one more failure opens a fresh one (the delay doubles each time).
    device.refresh_from_db()
    device.throttle_increment()
    assert not device.verify_is_allowed()[0]
    totp.time = time.time() + 30
    assert client.post("/accounts/2fa/", {"kode": f"{totp.token():06d}"}).status_code == 429
