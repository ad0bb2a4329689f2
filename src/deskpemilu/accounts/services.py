"""Every write to accounts, agencies and tokens: one transaction, with its audit entry."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.accounts.models import (
    SCOPED_ROLES,
    Agency,
    AgencyKind,
    ApiToken,
    Language,
    LoginFailureWindow,
    Role,
    User,
)
from deskpemilu.accounts.tokens import new_token, token_digest
from deskpemilu.audit.services import record
from deskpemilu.regions.models import Level, Region

# The level a role's scope must have, where it matters.
SCOPE_LEVEL = {
    Role.LURAH: {Level.KELURAHAN, Level.DESA},
    Role.CAMAT: {Level.KECAMATAN},
}


def _check_scope(role: str, scope: str) -> None:
    if not scope:
        if role in SCOPED_ROLES:
            raise ValidationError(_("Peran ini wajib punya wilayah tugas."), code="scope_required")
        return
    region = Region.objects.filter(code=scope).first()
    if region is None:
        raise ValidationError(
            _("Wilayah %(code)s tidak dikenal.") % {"code": scope}, code="scope_unknown"
        )
    levels = SCOPE_LEVEL.get(Role(role))
    if levels and region.level not in levels:
        raise ValidationError(
            _("Wilayah tugas %(role)s harus berupa %(levels)s.")
            % {"role": Role(role).label, "levels": "/".join(sorted(levels))},
            code="scope_level",
        )


def _check_own_role(actor: User | None, username: str, role: str) -> None:
    # An admin who demotes themself could leave the desk with no one to manage accounts.
    if actor is None or actor.username != username:
        return
    if actor.role == Role.ADMIN and role != Role.ADMIN:
        raise ValidationError(
            _("Anda tidak dapat mencabut peran admin dari akun sendiri."), code="own_role"
        )


def _agency_for(role: str, agency_slug: str) -> Agency | None:
    """The account's agency by its slug (none when blank); a liaison must have one."""
    agency = None
    if agency_slug:
        agency = Agency.objects.filter(slug=agency_slug).first()
        if agency is None:
            raise ValidationError(
                _("Instansi %(slug)s tidak dikenal.") % {"slug": agency_slug}, code="agency"
            )
    if role == Role.LIAISON and agency is None:
        raise ValidationError(_("Akun penghubung wajib punya instansi."), code="agency_required")
    return agency


def _set_password(user: User, password: str | None, *, created: bool) -> int:
    """Set a given password (a new account without one gets none usable); a changed password
    revokes the account's tokens. Returns how many were revoked."""
    if password is None:
        if created:
            user.set_unusable_password()
        return 0
    validate_password(password, user)
    user.set_password(password)
    return 0 if created else revoke_tokens_of(user)


def account_save(
    *,
    actor: User | None,
    username: str,
    role: str,
    scope: str = "",
    agency_slug: str = "",
    password: str | None = None,
    first_name: str | None = None,
    phone: str | None = None,
    is_demo: bool | None = None,
    email: str | None = None,
    language: str | None = None,
) -> tuple[User, bool]:
    """Create the account or update its role, scope, agency (and password when given).

    `first_name`, `phone`, `email`, `language` and `is_demo` left as None keep what an existing
    account has.
    """
    if role not in Role.values:
        raise ValidationError(_("Peran %(role)s tidak dikenal.") % {"role": role}, code="role")
    if language is not None:
        _check_language(language)
    _check_own_role(actor, username, role)
    scope = scope.replace(".", "").strip()
    _check_scope(role, scope)
    agency = _agency_for(role, agency_slug)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        created = user is None
        if user is None:
            user = User(username=username)
        revoked = _set_password(user, password, created=created)
        user.role = role
        user.scope = scope
        user.agency = agency
        if is_demo is not None:
            user.is_demo = is_demo
        if first_name is not None:
            user.first_name = first_name.strip()
        if phone is not None:
            user.phone = phone.strip()
        if email is not None:
            # Where "aplikasi + email" notifications go; empty: in the app only.
            user.email = email.strip()
        if language is not None:
            user.language = language
        user.full_clean(exclude=["password"])
        user.save()
        record(
            actor=actor,
            action="account.create" if created else "account.update",
            object_type="user",
            object_id=user.pk,
            payload={
                "username": username,
                "role": role,
                "scope": scope,
                "agency": agency_slug,
                "password_changed": password is not None,
                **({"email": user.email} if email is not None else {}),
                **({"language": language} if language is not None else {}),
                **({"tokens_revoked": revoked} if revoked else {}),
            },
        )
    return user, created


def email_set(*, actor: User, user: User, email: str) -> None:
    """An account's own email address (its profile), validated and audited."""
    email = email.strip()
    with transaction.atomic():
        user.email = email
        user.full_clean(exclude=["password"])
        User.objects.filter(pk=user.pk).update(email=email)
        record(
            actor=actor,
            action="account.email",
            object_type="user",
            object_id=user.pk,
            payload={"username": user.username, "email": email},
        )


def _check_language(language: str) -> None:
    if language not in Language.values:
        message = _("Bahasa %(language)s tidak dikenal.") % {"language": language}
        raise ValidationError(message, code="language")


def language_set(*, actor: User, user: User, language: str) -> bool:
    """The language an account's notifications are written in (the header's switch, the
    profile). Audited when it changes; False when it was already that language."""
    _check_language(language)
    with transaction.atomic():
        changed = (
            User.objects.filter(pk=user.pk).exclude(language=language).update(language=language)
        )
        user.language = language
        if changed:
            record(
                actor=actor,
                action="account.language",
                object_type="user",
                object_id=user.pk,
                payload={"username": user.username, "language": language},
            )
    return bool(changed)


def account_set_active(*, actor: User, user: User, active: bool) -> None:
    """Deactivating also revokes every API token; sessions stop at once (inactive users are
    refused by the authentication backend on each request)."""
    if not active and actor.pk == user.pk:
        raise ValidationError(_("Anda tidak dapat menonaktifkan akun sendiri."), code="own_account")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        revoked = 0 if active else revoke_tokens_of(user)
        record(
            actor=actor,
            action="account.activate" if active else "account.deactivate",
            object_type="user",
            object_id=user.pk,
            payload={"username": user.username, **({"tokens_revoked": revoked} if revoked else {})},
        )


def revoke_tokens_of(user: User) -> int:
    """Revoke every active token of `user`, inside the caller's transaction (whose audit entry
    names the reason: a new password, a deactivation, a 2FA reset). A token must not outlive
    the credentials it was issued under."""
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


def token_issue(
    *,
    actor: User | None,
    user: User,
    days: int | None = None,
    label: str = "",
    read_only: bool = False,
) -> tuple[str, ApiToken]:
    """Returns the token (shown once, never stored) and its record."""
    if not user.is_active:
        raise ValidationError(_("Akun nonaktif tidak dapat diberi token."), code="inactive")
    days = days if days is not None else settings.DESKPEMILU_TOKEN_DAYS
    if not 1 <= days <= 366:
        raise ValidationError(_("Masa berlaku token 1–366 hari."), code="token_days")
    token = new_token()
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user,
            label=label[:100],
            prefix=token[:10],
            token_hash=token_digest(token),
            expires_at=timezone.now() + timedelta(days=days),
            read_only=read_only,
        )
        record(
            actor=actor,
            action="token.issue",
            object_type="token",
            object_id=row.pk,
            payload={
                "user": user.username,
                "prefix": row.prefix,
                "days": days,
                "read_only": read_only,
            },
        )
    return token, row


def token_revoke(*, actor: User, token: ApiToken) -> None:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        if updated:
            record(
                actor=actor,
                action="token.revoke",
                object_type="token",
                object_id=token.pk,
                payload={"user": token.user.username, "prefix": token.prefix},
            )


def token_revoke_all(*, actor: User | None, user: User) -> int:
    """Revoke every active token of `user`; returns how many were revoked."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(user=user, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        record(
            actor=actor,
            action="token.revoke_all",
            object_type="user",
            object_id=user.pk,
            payload={"user": user.username, "revoked": revoked},
        )
    return revoked


def password_change(*, actor: User, user: User, new_password: str) -> None:
    """Set a new password (validated by the password rules); other sessions of `user` end."""
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoked = revoke_tokens_of(user)
        record(
            actor=actor,
            action="account.password_change",
            object_type="user",
            object_id=user.pk,
            payload={"username": user.username, "tokens_revoked": revoked},
        )


def agency_save(*, actor: User | None, slug: str, name: str, kind: str) -> tuple[Agency, bool]:
    if kind not in AgencyKind.values:
        raise ValidationError(_("Jenis instansi tidak dikenal."), code="agency_kind")
    with transaction.atomic():
        agency, created = Agency.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        agency.full_clean()
        record(
            actor=actor,
            action="agency.create" if created else "agency.update",
            object_type="agency",
            object_id=slug,
            payload={"name": name, "kind": kind},
        )
    return agency, created


def login_recorded(*, user: User, address: str) -> None:
    with transaction.atomic():
        _close_windows(timezone.now())
        record(
            actor=user,
            action="login.success",
            object_type="user",
            object_id=user.pk,
            payload={"address": address},
        )


USERNAME_KEPT = 64  # characters of an attempted username kept in the log


def escaped_username(text: str) -> str:
    """An attempted username as the log keeps it: anything unprintable (control characters, NUL,
    lone surrogates) written as an escape, and at most USERNAME_KEPT characters."""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text[: USERNAME_KEPT * 2])
    return shown if len(shown) <= USERNAME_KEPT else shown[: USERNAME_KEPT - 1] + "…"


def _window() -> timedelta:
    return timedelta(minutes=float(settings.DESKPEMILU_LOGIN_FAILURE_WINDOW_MINUTES))


def login_failure_recorded(*, username: str, address: str, now: datetime | None = None) -> None:
    """Count a failed sign-in in its (username, address) window; windows that have ended are
    written to the audit log first, one entry each with its count."""
    now = now or timezone.now()
    name = escaped_username(username)
    address = address[:45]
    with transaction.atomic():
        _close_windows(now)
        pair = LoginFailureWindow.objects.filter(username=name, address=address)
        if pair.update(count=F("count") + 1, last_at=now):
            return
        try:
            with transaction.atomic():
                LoginFailureWindow.objects.create(
                    username=name, address=address, started_at=now, last_at=now, count=1
                )
        except IntegrityError:  # another worker opened the window a moment ago
            pair.update(count=F("count") + 1, last_at=now)


def login_failures_flush(*, now: datetime | None = None) -> int:
    """Write the windows that have ended to the audit log; returns how many entries."""
    with transaction.atomic():
        return _close_windows(now or timezone.now())


def _close_windows(now: datetime) -> int:
    written = 0
    ended = LoginFailureWindow.objects.filter(started_at__lte=now - _window()).order_by("pk")
    for window in ended:
        # Deleted first: of two workers closing the same window, only one writes its entry.
        deleted, _rows = LoginFailureWindow.objects.filter(pk=window.pk).delete()
        if not deleted:
            continue
        record(
            actor=None,
            actor_name=window.username,
            action="login.failure",
            object_type="user",
            object_id="",
            payload={
                "username": window.username,
                "address": window.address,
                "count": window.count,
                "from": window.started_at.isoformat(timespec="seconds"),
                "to": window.last_at.isoformat(timespec="seconds"),
            },
        )
        written += 1
    return written
