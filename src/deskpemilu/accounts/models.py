"""Accounts: users with a role and a scope (a region code), agencies, API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    # KPU-style undotted region code ("5271011004"); empty = the whole installation.
    scope = models.CharField(_("wilayah tugas"), max_length=13, blank=True, db_index=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
        ]

    @property
    def sees_everything(self) -> bool:
        return self.role in WHOLE_INSTALLATION_ROLES

    def in_scope(self, code: str) -> bool:
        """True when the region or TPS `code` lies inside this account's scope."""
        if self.sees_everything or not self.scope:
            return True
        return code.startswith(self.scope)


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

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
