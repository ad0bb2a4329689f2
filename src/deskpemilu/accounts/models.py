"""Accounts: users with a role and a scope (a region code), agencies, API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin desk")
    OPERATOR = "operator", _("Operator instansi")
    VERIFIER = "verifier", _("Verifikator")
    LURAH = "lurah", _("Lurah")
    CAMAT = "camat", _("Camat")
    LIAISON = "liaison", _("Penghubung instansi")
    HEALTH = "health", _("Petugas kesehatan")
    VIEWER = "viewer", _("Pimpinan (baca saja)")


# Roles that see the whole installation whatever their scope field says.
WHOLE_INSTALLATION_ROLES = {Role.ADMIN, Role.VIEWER}
# Roles that must be given a scope narrower than the installation.
SCOPED_ROLES = {Role.OPERATOR, Role.LURAH, Role.CAMAT, Role.HEALTH}
# Roles that may write inside their scope (readiness, incidents, results…; each feature narrows).
WRITING_ROLES = {Role.ADMIN, Role.OPERATOR, Role.VERIFIER, Role.LURAH, Role.CAMAT, Role.HEALTH}
# The people in the field: their home page starts with the day's tasks, and their menu leaves
# out the desk's tools (API tokens stay reachable from the profile).
FIELD_ROLES = {Role.OPERATOR, Role.LURAH, Role.CAMAT, Role.LIAISON, Role.HEALTH}


class Language(models.TextChoices):
    # Each language named in itself, as the header's switch shows it.
    ID = "id", "Bahasa Indonesia"
    EN = "en", "English"


class AgencyKind(models.TextChoices):
    LIAISON = "liaison", _("Lembaga mitra (TNI, Polri, KPU, Bawaslu…)")
    OPD = "opd", _("Perangkat daerah (OPD)")


class Agency(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(max_length=10, choices=AgencyKind.choices, default=AgencyKind.OPD)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp's devices
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    # KPU-style undotted region code ("5271011004"); empty = the whole installation.
    scope = models.CharField(_("wilayah tugas"), max_length=13, blank=True, db_index=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    # The language of the account's notifications (in the app and by email); set by the
    # header's switch and on the profile.
    language = models.CharField(
        _("bahasa"), max_length=5, choices=Language.choices, default=Language.ID
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[lang.value for lang in Language]),
                name="user_language_valid",
            ),
        ]

    @property
    def sees_everything(self) -> bool:
        return self.role in WHOLE_INSTALLATION_ROLES

    @property
    def sees_all_areas(self) -> bool:
        """The one rule of an empty scope: the desk roles (and an unscoped verifier or liaison)
        see every area; a role in SCOPED_ROLES without a scope sees none, never everything."""
        return self.sees_everything or (not self.scope and self.role not in SCOPED_ROLES)

    def scope_filter(self, field: str) -> models.Q:
        """The rows whose region code `field` lies in this account's area (see sees_all_areas)."""
        if self.sees_all_areas:
            return models.Q()
        if not self.scope:
            return models.Q(pk__in=[])
        return models.Q(**{f"{field}__startswith": self.scope})

    def in_scope(self, code: str) -> bool:
        """True when the region or TPS `code` lies inside this account's scope."""
        if self.sees_all_areas:
            return True
        return bool(self.scope) and code.startswith(self.scope)


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token is shown once when issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # A read-only token (a dashboard, a mirror) is refused every write.
    read_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """An account's single-use recovery codes, as one django-otp device.

    django-otp's own StaticToken keeps its codes in the clear; here only the SHA-256 of each code
    is stored (the codes are random enough, 16 characters of a 31-letter alphabet, that a fast
    hash is safe, as for API tokens). Wrong codes are throttled like TOTP codes.
    """

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = _("kode pemulihan")

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_RECOVERY_THROTTLE_FACTOR", 1))

    def verify_token(self, token: Any) -> bool:
        from deskpemilu.accounts.twofactor import recovery_digest

        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        match = self.codes.filter(code_hash=recovery_digest(str(token)), used_at=None).first()
        if match is None:
            self.throttle_increment(commit=True)
            return False
        RecoveryCode.objects.filter(pk=match.pk).update(used_at=timezone.now())
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def codes_left(self) -> int:
        return int(self.codes.filter(used_at=None).count())


class RecoveryCode(models.Model):
    """One recovery code: only its SHA-256; `used_at` set once it has been used."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.code_hash[:8]}… ({'used' if self.used_at else 'unused'})"


class LoginFailureWindow(models.Model):
    """Failed sign-ins of one (username, address) pair in the current window, counted here and
    written to the audit log as one entry when the window ends: a password-guessing run costs
    the log one entry per window, not one per guess. `username` is stored escaped and cut."""

    username = models.CharField(max_length=80)
    address = models.CharField(max_length=45)
    started_at = models.DateTimeField(db_index=True)
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["username", "address"], name="one_open_window_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.address}: {self.count}"
