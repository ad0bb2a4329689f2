"""Health: puskesmas posts and staff on duty, their readiness, and health incidents of polling
staff and voters with their follow-ups.

In 2019 about 900 polling staff died of exhaustion: the desk must see every case until it is
closed. Only what the follow-up needs is stored: the person's role at the TPS, the condition,
an optional name — never an NIK (services refuse a 16-digit number in any text).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deskpemilu.elections.models import Election
from deskpemilu.regions.models import Puskesmas, Tps


class PersonRole(models.TextChoices):
    KPPS = "kpps", _("KPPS")
    PPS = "pps", _("PPS")
    PPK = "ppk", _("PPK")
    LINMAS = "linmas", _("Linmas")
    SAKSI = "saksi", _("Saksi")
    PENGAWAS = "pengawas", _("Pengawas TPS")
    PEMILIH = "pemilih", _("Pemilih")
    LAINNYA = "lainnya", _("Lainnya")


class Condition(models.TextChoices):
    SAKIT_RINGAN = "sakit_ringan", _("Sakit ringan")
    DIRAWAT = "dirawat", _("Dirawat")
    DIRUJUK_RS = "dirujuk_rs", _("Dirujuk ke RS")
    MENINGGAL = "meninggal", _("Meninggal")


class IncidentStatus(models.TextChoices):
    TERBUKA = "terbuka", _("Terbuka")
    DITUTUP = "ditutup", _("Ditutup")


class Shift(models.TextChoices):
    PAGI = "pagi", _("Pagi")
    SIANG = "siang", _("Siang")
    MALAM = "malam", _("Malam")


class CheckStatus(models.TextChoices):
    SIAP = "siap", _("Siap")
    BELUM = "belum", _("Belum")
    BERMASALAH = "bermasalah", _("Bermasalah")


class HealthPost(models.Model):
    """A posko kesehatan run by a puskesmas for the election."""

    puskesmas = models.ForeignKey(Puskesmas, on_delete=models.PROTECT, related_name="posts")
    name = models.CharField(_("nama/tempat"), max_length=150)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    hours = models.CharField(_("jam buka"), max_length=60, blank=True)
    has_ambulance = models.BooleanField(_("ada ambulans"), default=False)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["puskesmas__name", "name"]

    def __str__(self) -> str:
        return self.name


class DutyShift(models.Model):
    """Staff on duty at a puskesmas for one shift of one day (counts, no names)."""

    puskesmas = models.ForeignKey(Puskesmas, on_delete=models.PROTECT, related_name="shifts")
    date = models.DateField(_("tanggal"))
    shift = models.CharField(_("sif"), max_length=6, choices=Shift.choices)
    dokter = models.PositiveSmallIntegerField(default=0)
    perawat = models.PositiveSmallIntegerField(default=0)
    bidan = models.PositiveSmallIntegerField(default=0)
    sopir_ambulans = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date", "puskesmas__name", "shift"]
        constraints = [
            models.UniqueConstraint(
                fields=["puskesmas", "date", "shift"], name="duty_shift_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(shift__in=[s.value for s in Shift]), name="duty_shift_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.puskesmas_id} {self.date} {self.shift}"

    @property
    def total(self) -> int:
        return self.dokter + self.perawat + self.bidan + self.sopir_ambulans


class PuskesmasCheck(models.Model):
    """One report on one item of a puskesmas's readiness. Never updated: the current state of
    an item is its latest report."""

    puskesmas = models.ForeignKey(Puskesmas, on_delete=models.PROTECT, related_name="checks")
    item = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=CheckStatus.choices)
    catatan = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["puskesmas", "item", "at"])]

    def __str__(self) -> str:
        return f"{self.puskesmas_id} {self.item} {self.status}"


class HealthIncident(models.Model):
    # The election it belongs to: the active one when reported (set by the service). The lists
    # show one election at a time; another election's rows are read-only.
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="+", verbose_name=_("pemilihan")
    )
    tps = models.ForeignKey(Tps, on_delete=models.PROTECT, related_name="health_incidents")
    person_role = models.CharField(_("peran"), max_length=10, choices=PersonRole.choices)
    # The condition now (moved by follow-ups) and as first reported.
    condition = models.CharField(_("kondisi"), max_length=14, choices=Condition.choices)
    first_condition = models.CharField(max_length=14, choices=Condition.choices)
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    puskesmas = models.ForeignKey(
        Puskesmas,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="health_incidents",
    )
    note = models.TextField(_("keterangan"), max_length=2000, blank=True)
    name = models.CharField(_("nama (opsional)"), max_length=100, blank=True)
    status = models.CharField(
        max_length=8, choices=IncidentStatus.choices, default=IncidentStatus.TERBUKA
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["status", "occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person_role__in=[r.value for r in PersonRole]),
                name="health_incident_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(condition__in=[c.value for c in Condition]),
                name="health_incident_condition_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.tps_id} {self.condition}"


class FollowUp(models.Model):
    """A step of an incident's follow-up. Never updated or deleted."""

    incident = models.ForeignKey(HealthIncident, on_delete=models.PROTECT, related_name="followups")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(max_length=2000)
    condition = models.CharField(max_length=14, choices=Condition.choices, blank=True)
    puskesmas = models.ForeignKey(
        Puskesmas, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closes = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.incident_id} {self.at:%Y-%m-%d %H:%M}"
