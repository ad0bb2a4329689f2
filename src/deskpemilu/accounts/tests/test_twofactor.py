"""Two-factor sign-in for admin and verifier accounts: enrol with a real TOTP code, verify each
new session, recovery codes that work once, throttled guesses, the admin's reset; all audited."""

from __future__ import annotations

import re
import time
from binascii import unhexlify
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from deskpemilu.accounts import twofactor
from deskpemilu.accounts.models import RecoveryCode, RecoveryCodeDevice
from deskpemilu.accounts.tests.helpers import actions, last_entry
from deskpemilu.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ENFORCED = {"DESKPEMILU_2FA_ENFORCED": True, "DESKPEMILU_2FA_ROLES": ["admin", "verifier"]}


@pytest.fixture(autouse=True)
def enforced(settings):
    for name, value in ENFORCED.items():
        setattr(settings, name, value)


def code_at(key_hex: str, step: int | None = None) -> str:
    """The authenticator's code for `key_hex`, now or at a given time step."""
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() if step is None else step * 30
    return str(totp.token()).zfill(6)


def next_code(user) -> str:
    """A code not yet used: the step after the device's last accepted one (within tolerance)."""
    device = TOTPDevice.objects.get(user=user)
    return code_at(device.key, max(device.last_t + 1, int(time.time()) // 30))


def sign_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def enrol(user) -> list[str]:
    key = twofactor.new_totp_key()
    enrolment = twofactor.twofactor_enrol(actor=user, key_hex=key, code=code_at(key))
    assert enrolment.ok
    return enrolment.recovery_codes


def pending_key(user) -> str:
    return str(TOTPDevice.objects.get(user=user, confirmed=False).key)


def test_it_sends_an_admin_to_enrol_first(admin) -> None:
    web = sign_in(admin)
    response = web.get("/hasil/")
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/?next=/hasil/"
    assert web.get("/accounts/users/").url.startswith("/accounts/2fa/")


def test_it_leaves_an_operator_alone(operator) -> None:
    web = sign_in(operator)
    assert web.get("/").status_code == 200
    assert web.get("/accounts/2fa/").status_code == 200


def test_it_can_be_switched_off_and_narrowed(settings, admin, verifier) -> None:
    settings.DESKPEMILU_2FA_ROLES = ["admin"]
    assert sign_in(verifier).get("/").status_code == 200
    assert sign_in(admin).get("/").status_code == 302
    settings.DESKPEMILU_2FA_ENFORCED = False
    assert sign_in(admin).get("/").status_code == 200


def test_it_enrols_with_a_real_code(admin) -> None:
    web = sign_in(admin)
    page = web.get("/accounts/2fa/?next=/hasil/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "otpauth://totp/Desk%20Pemilu%20Kota%20Mataram%3Aadmin_desk?secret=" in html
    assert "<svg" in html and "<path" in html
    key = pending_key(admin)
    assert twofactor.base32_secret(key) in html
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()  # not before a code

    wrong = web.post("/accounts/2fa/", {"kode": "000000", "next": "/hasil/"})
    assert wrong.status_code == 200
    assert "Kode salah" in wrong.content.decode()
    assert last_entry("2fa.failure").payload["stage"] == "enrol"
    assert web.get("/").status_code == 302

    done = web.post("/accounts/2fa/", {"kode": code_at(key), "next": "/hasil/"})
    assert done.status_code == 200
    codes = re.findall(
        r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", done.content.decode()
    )
    assert len(set(codes)) == 10
    assert web.get("/").status_code == 200
    assert web.get("/api/v1/regions/5271").status_code == 200
    device = TOTPDevice.objects.get(user=admin)
    assert (device.confirmed, device.key) == (True, key)
    entry = last_entry("2fa.enrol")
    assert (entry.actor, entry.payload["recovery_codes"]) == (admin, 10)


def test_it_keeps_the_secret_until_confirmed_so_an_earlier_scan_still_works(admin) -> None:
    """The phone scanned the QR code at the first sign-in; the code is typed after signing in
    again (another session): the secret shown is the same, and the phone's code confirms it."""
    first = sign_in(admin).get("/accounts/2fa/").content.decode()
    key = pending_key(admin)
    assert twofactor.base32_secret(key) in first
    again = sign_in(admin)
    assert twofactor.base32_secret(key) in again.get("/accounts/2fa/").content.decode()
    assert TOTPDevice.objects.filter(user=admin).count() == 1
    assert actions().count("2fa.enrol_started") == 1
    done = again.post("/accounts/2fa/", {"kode": code_at(key), "next": "/"})
    assert done.status_code == 200 and "Kode pemulihan" in done.content.decode()
    assert TOTPDevice.objects.get(user=admin).confirmed


def test_it_keeps_recovery_codes_hashed(admin) -> None:
    codes = enrol(admin)
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not stored & set(codes)
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in stored)


def test_it_asks_for_the_code_on_every_new_session(admin) -> None:
    enrol(admin)
    web = sign_in(admin)
    assert web.get("/").url == "/accounts/2fa/?next=/"
    page = web.get("/accounts/2fa/?next=/")
    assert 'name="kode"' in page.content.decode()
    assert "otpauth://" not in page.content.decode()  # the secret is never shown again
    old_key = web.session.session_key
    response = web.post("/accounts/2fa/", {"kode": next_code(admin), "next": "/kesiapan/"})
    assert response.status_code == 302
    assert response.url == "/kesiapan/"
    assert web.session.session_key != old_key
    assert web.get("/").status_code == 200
    assert last_entry("2fa.verify").actor == admin


def test_it_refuses_a_wrong_code(verifier) -> None:
    enrol(verifier)
    web = sign_in(verifier)
    response = web.post("/accounts/2fa/", {"kode": "123456"})
    assert response.status_code == 200
    assert "Kode salah" in response.content.decode()
    assert web.get("/").status_code == 302
    entry = last_entry("2fa.failure")
    assert (entry.actor, entry.payload["stage"], entry.payload["throttled"]) == (
        verifier,
        "totp",
        False,
    )


def test_it_refuses_the_enrolment_code_again(admin) -> None:
    key = twofactor.new_totp_key()
    code = code_at(key)
    assert twofactor.twofactor_enrol(actor=admin, key_hex=key, code=code).ok
    web = sign_in(admin)
    assert web.post("/accounts/2fa/", {"kode": code}).status_code == 200
    assert web.get("/").status_code == 302


def test_it_throttles_guesses(admin) -> None:
    enrol(admin)
    web = sign_in(admin)
    assert web.post("/accounts/2fa/", {"kode": "111111"}).status_code == 200
    for _ in range(5):
        throttled = web.post("/accounts/2fa/", {"kode": "222222"})
        assert throttled.status_code == 429
        assert "Terlalu banyak kode salah" in throttled.content.decode()
    # Even the right code waits out the delay; throttled tries are not counted as more failures.
    assert web.post("/accounts/2fa/", {"kode": next_code(admin)}).status_code == 429
    device = TOTPDevice.objects.get(user=admin)
    assert device.throttling_failure_count == 1
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
    )
    assert web.post("/accounts/2fa/", {"kode": next_code(admin)}).status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 0
    assert [e for e in actions() if e.startswith("2fa.")].count("2fa.failure") == 7


def test_it_accepts_a_recovery_code_once(admin) -> None:
    codes = enrol(admin)
    web = sign_in(admin)
    response = web.post("/accounts/2fa/", {"kode": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/"
    assert "tersisa 9" in web.get("/accounts/2fa/").content.decode()
    assert web.get("/").status_code == 200
    entry = last_entry("2fa.recovery_used")
    assert (entry.actor, entry.payload["left"]) == (admin, 9)

    again = sign_in(admin)
    assert again.post("/accounts/2fa/", {"kode": codes[3]}).status_code == 200
    assert again.get("/").status_code == 302
    assert last_entry("2fa.failure").payload["stage"] == "recovery"
    device = RecoveryCodeDevice.objects.get(user=admin)
    RecoveryCodeDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert again.post("/accounts/2fa/", {"kode": codes[4]}).status_code == 302


def test_it_renews_recovery_codes(admin) -> None:
    old = enrol(admin)
    web = sign_in(admin)
    web.post("/accounts/2fa/", {"kode": next_code(admin)})
    response = web.post("/accounts/2fa/recovery/")
    new = re.findall(r"<code>([a-z2-9-]{19})</code>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert last_entry("2fa.recovery_renew").actor == admin
    fresh = sign_in(admin)
    assert fresh.post("/accounts/2fa/", {"kode": old[0]}).status_code == 200
    RecoveryCodeDevice.objects.update(throttling_failure_timestamp=None)
    assert fresh.post("/accounts/2fa/", {"kode": new[0]}).status_code == 302


def test_it_keeps_the_session_out_of_the_api_until_verified(admin, api_for) -> None:
    enrol(admin)
    web = sign_in(admin)
    response = web.get("/api/v1/regions/5271")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "unauthenticated"
    # A bearer token is issued deliberately and can be revoked: not affected.
    assert api_for(admin).get("/api/v1/regions/5271").status_code == 200


def test_it_lets_the_unverified_session_sign_out(admin) -> None:
    web = sign_in(admin)
    response = web.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in web.session


def test_an_admin_resets_another_account(settings, client_for, admin, verifier) -> None:
    settings.DESKPEMILU_2FA_ENFORCED = False
    enrol(verifier)
    victim = sign_in(verifier)
    page = client_for(admin).get(f"/accounts/users/{verifier.pk}/")
    assert "Kode pemulihan tersisa: 10." in page.content.decode()
    response = client_for(admin).post(f"/accounts/users/{verifier.pk}/2fa/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=verifier).exists()
    assert not RecoveryCodeDevice.objects.filter(user=verifier).exists()
    entry = last_entry("2fa.reset")
    assert (entry.actor, entry.payload) == (
        admin,
        {"username": verifier.username, "authenticators": 1, "tokens_revoked": 0},
    )
    settings.DESKPEMILU_2FA_ENFORCED = True
    assert victim.get("/").url == "/accounts/2fa/?next=/"
    assert "otpauth://" in victim.get("/accounts/2fa/").content.decode()


def test_only_an_admin_resets(settings, client_for, operator, verifier, viewer) -> None:
    settings.DESKPEMILU_2FA_ENFORCED = False
    enrol(verifier)
    for user in (operator, viewer, verifier):
        assert client_for(user).post(f"/accounts/users/{verifier.pk}/2fa/reset/").status_code == 403
    assert TOTPDevice.objects.filter(user=verifier).exists()
    assert "2fa.reset" not in actions()


def test_the_reset_answers_post_only(settings, client_for, admin, verifier) -> None:
    settings.DESKPEMILU_2FA_ENFORCED = False
    assert client_for(admin).get(f"/accounts/users/{verifier.pk}/2fa/reset/").status_code == 405
    assert client_for(admin).post("/accounts/users/999999/2fa/reset/").status_code == 404


def test_the_command_line_resets_a_lost_phone(admin) -> None:
    enrol(admin)
    out = StringIO()
    call_command("reset_2fa", admin.username, stdout=out)
    assert "direset (1 autentikator dihapus)" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    entry = last_entry("2fa.reset")
    assert (entry.actor, entry.payload["username"]) == (None, admin.username)
