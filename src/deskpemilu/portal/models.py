"""The public portal's switch, and KPU Sirekap's published per-TPS numbers for the cross-check.

Sirekap rows are kept per import: a later import of a TPS makes its earlier row no longer
current (KPU republishes a TPS when it corrects a misread), and the cross-check reads the current
row of each TPS.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from deskpemilu.regions.models import Tps
from deskpemilu.results.models import Contest


class PortalSetting(models.Model):
    """One row (id 1): the desk's switch for /publik/. DESKPEMILU_PUBLIC_PORTAL=1 in the
    environment turns the portal on whatever this says."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    enabled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="portal_setting_one")]

    def __str__(self) -> str:
        return "on" if self.enabled else "off"


class SirekapImport(models.Model):
    """One import of Sirekap files (a directory, a zip or a few uploaded files)."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()
    # None when imported from the command line.
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)  # of every file read, in name order
    files = models.PositiveIntegerField(default=0)
    tps_count = models.PositiveIntegerField(default=0)
    empty = models.PositiveIntegerField(default=0)  # files without numbers yet
    problems = models.JSONField(default=list)  # [{file, code, message}]
    mapping = models.JSONField(default=dict)  # Sirekap chart id → choice key, as applied

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contest_id} {self.imported_at:%Y-%m-%d %H:%M} ({self.tps_count} TPS)"


class SirekapTps(models.Model):
    """KPU's published numbers of one TPS, in the desk's keys (choice keys after the mapping)."""

    batch = models.ForeignKey(SirekapImport, on_delete=models.PROTECT, related_name="rows")
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="+")
    tps = models.ForeignKey(Tps, on_delete=models.PROTECT, related_name="+")
    administrasi = models.JSONField(default=dict)
    suara = models.JSONField(default=dict)
    published_at = models.CharField(max_length=40, blank=True)  # Sirekap's "ts", as published
    images = models.JSONField(default=list)  # links to KPU's own photos of the form
    sha256 = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["tps_id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "tps"], name="sirekap_tps_once_per_import"),
            models.UniqueConstraint(
                fields=["contest", "tps"],
                condition=models.Q(is_current=True),
                name="sirekap_tps_one_current",
            ),
        ]
        indexes = [models.Index(fields=["contest", "is_current", "tps"])]

    def __str__(self) -> str:
        return f"{self.contest_id} {self.tps_id}"
