"""The calendar of election stages the desk follows, and their status per kecamatan.

A stage's status in a kecamatan is kept twice: `StageUpdate` is the append-only history (who set
what, when, why) and `StageStatus` the current state, written in the same transaction, so the
grid of /tahapan/ reads one row per cell. A cell with no row is `belum`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deskpemilu.elections.models import Election
from deskpemilu.regions.models import Region


class State(models.TextChoices):
    BELUM = "belum", _("Belum")
    BERJALAN = "berjalan", _("Berjalan")
    SELESAI = "selesai", _("Selesai")
    BERMASALAH = "bermasalah", _("Bermasalah")


class Stage(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    # The stage's dates are this election's (the desk edits them to the KPU's decisions).
    election = models.ForeignKey(
        Election,
        on_delete=models.PROTECT,
        related_name="stages",
        verbose_name=_("pemilihan"),
        db_column="election",
    )
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("diikuti"), default=True)

    class Meta:
        ordering = ["starts_on", "order", "code"]
        verbose_name = _("tahapan")
        verbose_name_plural = _("tahapan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="stage_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class StageStatus(models.Model):
    """The current status of a stage in a kecamatan (mirrors its last StageUpdate)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="statuses")
    kecamatan = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=State.choices, default=State.BELUM)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "kecamatan"], name="stage_status_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in State]),
                name="stage_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage_id}/{self.kecamatan_id}: {self.status}"


class StageUpdate(models.Model):
    """One change of a stage's status in a kecamatan. Append-only."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="updates")
    kecamatan = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=State.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["stage", "kecamatan", "at"])]

    def __str__(self) -> str:
        return f"{self.stage_id}/{self.kecamatan_id} {self.status} {self.at:%Y-%m-%d %H:%M}"
