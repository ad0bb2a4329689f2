"""Two-factor sign-in: a TOTP authenticator (django-otp) and ten single-use recovery codes.

Accounts whose role is in DESKPEMILU_2FA_ROLES (admin and verifier) enrol an authenticator app
and then give its six-digit code after the password on every new session (the middleware in
accounts/middleware.py sends them to /accounts/2fa/ until they do). Every enrolment, failed code,
recovery-code use and reset is written to the audit log in the same transaction.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from binascii import unhexlify
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from deskpemilu.accounts.models import RecoveryCode, RecoveryCodeDevice, User
from deskpemilu.accounts.services import revoke_tokens_of
from deskpemilu.audit.services import record

TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are copied from paper. 16 characters of 31 letters ≈ 79 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 16


def required_for(user: User) -> bool:
    """True when this account must sign in with a second factor (its role is listed)."""
    return bool(user.is_authenticated) and user.role in settings.DESKPEMILU_2FA_ROLES


def enforced_for(user: User) -> bool:
    return bool(settings.DESKPEMILU_2FA_ENFORCED) and required_for(user)


def session_verified(user: User) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


# --- Secrets and codes ------------------------------------------------------------------------


def new_totp_key() -> str:
    """20 random bytes, hex-encoded, as TOTPDevice.key stores them."""
    return str(random_hex(20))


def base32_secret(key_hex: str) -> str:
    """The secret as people type it into an authenticator app."""
    return base64.b32encode(unhexlify(key_hex)).decode().rstrip("=")


def otpauth_uri(user: User, key_hex: str) -> str:
    # An unsaved device builds the standard URI (issuer from OTP_TOTP_ISSUER).
    return str(TOTPDevice(user=user, key=key_hex).config_url)


def qr_svg(text: str) -> str:
    """The QR code of `text` as an inline SVG element (no image request, no JavaScript)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    return str(svg)


def normalise_code(code: str) -> str:
    return re.sub(r"[^0-9a-z]", "", code.lower())


def is_totp_code(code: str) -> bool:
    return bool(re.fullmatch(r"\d{6}", normalise_code(code)))


def recovery_digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def _match_pending(key_hex: str, code: str) -> TOTP | None:
    """The TOTP state that matched `code` against a key not yet saved, or None."""
    digits = normalise_code(code)
    if not re.fullmatch(r"\d{6}", digits):
        return None
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return totp if totp.verify(int(digits), tolerance=1) else None


# --- Reads ------------------------------------------------------------------------------------


def totp_device_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device_of(user: User) -> RecoveryCodeDevice | None:
    device: RecoveryCodeDevice | None = RecoveryCodeDevice.objects.filter(
        user=user, confirmed=True
    ).first()
    return device


@dataclass(frozen=True)
class Status:
    enrolled: bool
    enrolled_at: object = None
    last_used_at: object = None
    recovery_left: int = 0


def status_of(user: User) -> Status:
    device = totp_device_of(user)
    if device is None:
        return Status(enrolled=False)
    recovery = recovery_device_of(user)
    return Status(
        enrolled=True,
        enrolled_at=device.created_at,
        last_used_at=device.last_used_at,
        recovery_left=recovery.codes_left() if recovery is not None else 0,
    )


# --- Writes (each in one transaction with its audit entry) -------------------------------------


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes; only their digests are kept."""
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(device=device, code_hash=recovery_digest(c)) for c in codes]
    )
    return codes


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice | None
    recovery_codes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.device is not None


def twofactor_pending_key(*, actor: User) -> str:
    """The secret the account is enrolling with: kept (as an unconfirmed device) from the first
    time the enrolment page shows it until a code confirms it or an admin resets 2FA, so that a
    phone that scanned it at one sign-in still works at the next. Audited when it is made."""
    with transaction.atomic():
        pending = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).first()
        if pending is not None:
            return str(pending.key)
        pending = TOTPDevice.objects.create(
            user=actor, name=TOTP_DEVICE_NAME, key=new_totp_key(), confirmed=False
        )
        record(
            actor=actor,
            action="2fa.enrol_started",
            object_type="user",
            object_id=actor.pk,
            payload={},
        )
        return str(pending.key)


def twofactor_enrol(*, actor: User, key_hex: str, code: str, address: str = "") -> Enrolment:
    """Confirm an authenticator: `code` must be its current code for `key_hex`.

    On success the account's previous devices are replaced, ten new recovery codes are made and
    returned (to be shown once), and the entry `2fa.enrol` is written. A wrong code writes
    `2fa.failure` and changes nothing else.
    """
    matched = _match_pending(key_hex, code)
    with transaction.atomic():
        if matched is None:
            record(
                actor=actor,
                action="2fa.failure",
                object_type="user",
                object_id=actor.pk,
                payload={"stage": "enrol", "address": address},
            )
            return Enrolment(device=None)
        TOTPDevice.objects.filter(user=actor).delete()
        device = TOTPDevice.objects.create(
            user=actor,
            name=TOTP_DEVICE_NAME,
            key=key_hex,
            confirmed=True,
            # The code just typed cannot be replayed to verify a session.
            last_t=matched.t(),
            drift=matched.drift,
            last_used_at=timezone.now(),
        )
        codes = _new_recovery_codes(actor)
        record(
            actor=actor,
            action="2fa.enrol",
            object_type="user",
            object_id=actor.pk,
            payload={"username": actor.username, "recovery_codes": len(codes), "address": address},
        )
    return Enrolment(device=device, recovery_codes=codes)


@dataclass(frozen=True)
class Verification:
    device: TOTPDevice | RecoveryCodeDevice | None
    throttled: bool = False
    wait_seconds: int = 0
    recovery_left: int | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None


def _wait_seconds(device: TOTPDevice | RecoveryCodeDevice) -> int:
    _allowed, info = device.verify_is_allowed()
    until = (info or {}).get("locked_until")
    if until is None:
        return 0
    return max(1, int((until - timezone.now()).total_seconds() + 0.999))


def twofactor_verify(*, actor: User, code: str, address: str = "") -> Verification:
    """Check a six-digit authenticator code, or else a recovery code (which is then used up).

    Wrong codes are throttled per device by django-otp (1, 2, 4, 8… seconds after successive
    failures); a throttled attempt is refused without being checked. The device row is locked
    for the check, so parallel guesses queue instead of slipping past the throttle.
    """
    use_totp = is_totp_code(code)
    model: type[TOTPDevice] | type[RecoveryCodeDevice] = (
        TOTPDevice if use_totp else RecoveryCodeDevice
    )
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=actor, confirmed=True).first()
        kind = "totp" if use_totp else "recovery"
        if device is None:
            _record_failure(actor, kind, address, throttled=False)
            return Verification(device=None)
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            _record_failure(actor, kind, address, throttled=True)
            return Verification(device=None, throttled=True, wait_seconds=_wait_seconds(device))
        token = normalise_code(code) if use_totp else code
        if not device.verify_token(token):
            _record_failure(actor, kind, address, throttled=False)
            return Verification(device=None)
        if isinstance(device, RecoveryCodeDevice):
            left = device.codes_left()
            record(
                actor=actor,
                action="2fa.recovery_used",
                object_type="user",
                object_id=actor.pk,
                payload={"username": actor.username, "left": left, "address": address},
            )
            return Verification(device=device, recovery_left=left)
        record(
            actor=actor,
            action="2fa.verify",
            object_type="user",
            object_id=actor.pk,
            payload={"username": actor.username, "address": address},
        )
        return Verification(device=device)


def _record_failure(actor: User, kind: str, address: str, *, throttled: bool) -> None:
    record(
        actor=actor,
        action="2fa.failure",
        object_type="user",
        object_id=actor.pk,
        payload={"stage": kind, "throttled": throttled, "address": address},
    )


def recovery_codes_renew(*, actor: User) -> list[str]:
    """Ten new recovery codes for an enrolled account; the old ones stop working."""
    with transaction.atomic():
        if totp_device_of(actor) is None:
            return []
        codes = _new_recovery_codes(actor)
        record(
            actor=actor,
            action="2fa.recovery_renew",
            object_type="user",
            object_id=actor.pk,
            payload={"username": actor.username, "recovery_codes": len(codes)},
        )
    return codes


def twofactor_reset(*, actor: User | None, user: User) -> int:
    """Remove an account's authenticator and recovery codes (a lost phone): it enrols again at
    its next sign-in, and its open sessions lose their verification at once."""
    with transaction.atomic():
        removed, _per_model = TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodeDevice.objects.filter(user=user).delete()
        # Whoever holds the lost phone may hold the account's tokens too.
        revoked = revoke_tokens_of(user)
        record(
            actor=actor,
            action="2fa.reset",
            object_type="user",
            object_id=user.pk,
            payload={
                "username": user.username,
                "authenticators": removed,
                "tokens_revoked": revoked,
            },
        )
    return int(removed)
