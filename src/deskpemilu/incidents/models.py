"""Incidents (kamtibmas and other reports) and KPU/Bawaslu facilitation requests.

An incident is a report with a status and an append-only timeline: every step (the report
itself, verification, forwarding, answers, closing) adds a TimelineEvent and never changes an
earlier one. The incident row keeps only the current state (status, version, SLA stamps) and is
locked while a step is applied, so two desk staff acting at once queue instead of overwriting.
Requests follow the same shape with their own statuses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deskpemilu.accounts.models import Agency
from deskpemilu.elections.models import Election
from deskpemilu.regions.models import Region, Tps


class Category(models.TextChoices):
    KEAMANAN = "keamanan", _("Keamanan dan ketertiban")
    BENCANA = "bencana", _("Bencana")
    LOGISTIK = "logistik", _("Logistik")
    LISTRIK_JARINGAN = "listrik_jaringan", _("Listrik dan jaringan")
    KESEHATAN = "kesehatan", _("Kesehatan")
    PELANGGARAN = "pelanggaran", _("Pelanggaran pemilu")
    LAINNYA = "lainnya", _("Lainnya")


class Severity(models.TextChoices):
    RENDAH = "rendah", _("Rendah")
    SEDANG = "sedang", _("Sedang")
    TINGGI = "tinggi", _("Tinggi")
    KRITIS = "kritis", _("Kritis")


# Higher is worse; used to sort the board and to compare with a rule's minimum severity.
SEVERITY_RANK = {Severity.RENDAH: 1, Severity.SEDANG: 2, Severity.TINGGI: 3, Severity.KRITIS: 4}


class Status(models.TextChoices):
    BARU = "baru", _("Baru")
    DIVERIFIKASI = "diverifikasi", _("Diverifikasi")
    DITERUSKAN = "diteruskan", _("Diteruskan")
    DITANGANI = "ditangani", _("Ditangani")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak")


CLOSED_STATUSES = (Status.SELESAI, Status.DITOLAK)
OPEN_STATUSES = tuple(s for s in Status if s not in CLOSED_STATUSES)


class Incident(models.Model):
    number = models.CharField(max_length=20, unique=True)  # KJD-2024-000123
    # The election it belongs to: the active one when reported (set by the service). The lists
    # show one election at a time; another election's rows are read-only.
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="+", verbose_name=_("pemilihan")
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    severity = models.CharField(_("tingkat"), max_length=10, choices=Severity.choices)
    tps = models.ForeignKey(
        Tps, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    # The kelurahan; derived from the TPS when one is given. Its code prefixes scope checks.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="incidents")
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    reported_at = models.DateTimeField(_("waktu laporan"), db_index=True)
    description = models.TextField(_("uraian"))
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents_reported"
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.BARU)
    agencies: models.ManyToManyField[Agency, Forward] = models.ManyToManyField(
        Agency, through="Forward", related_name="incidents", blank=True
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    # Optimistic concurrency: +1 on every step; If-Match on the API compares with it.
    version = models.PositiveIntegerField(default=1)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # 0: none; 1: the desk was alerted that acknowledging is overdue; 2: resolving is overdue.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField()
    # The reporter's Idempotency-Key (a report queued offline and sent again after a lost
    # answer is one incident) and the digest of what it reported, to refuse the key's reuse.
    client_key = models.CharField(max_length=64, blank=True, default="")
    client_digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["status", "severity"]),
            models.Index(fields=["region", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="incident_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(severity__in=Severity.values), name="incident_severity_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values), name="incident_category_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(duplicate_of=models.F("id")), name="incident_not_own_duplicate"
            ),
            models.UniqueConstraint(
                fields=["reporter", "client_key"],
                condition=~models.Q(client_key=""),
                name="incident_client_key_once",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class Forward(models.Model):
    """The incident was routed to an agency (by whom, when). One row per agency."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="forwards")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="forwards")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "agency"], name="forward_unique_agency")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.agency_id}"


class TimelineEvent(models.Model):
    """One step of an incident. Never updated or deleted."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="timeline")
    at = models.DateTimeField()
    # None for the system's own steps (escalation).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    status = models.CharField(max_length=14, choices=Status.choices, blank=True)  # "": none
    forward_to = models.JSONField(default=list, blank=True)  # agency slugs forwarded in this step

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.at:%Y-%m-%d %H:%M} {self.status or '-'}"


class IncidentPhoto(models.Model):
    """A photo of the scene, re-encoded by Pillow and stored under its SHA-256."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="photos")
    sha256 = models.CharField(max_length=64)
    file = models.CharField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    gps = models.JSONField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "sha256"], name="incident_photo_unique")
        ]

    def __str__(self) -> str:
        return self.sha256


class Counter(models.Model):
    """Per-year numbering of incidents and requests (KJD-2024-000123), taken under a lock."""

    key = models.CharField(max_length=20, primary_key=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


# --- Facilitation requests ----------------------------------------------------------------------


class RequestKind(models.TextChoices):
    TEMPAT = "tempat", _("Tempat")
    KENDARAAN = "kendaraan", _("Kendaraan")
    PERSONEL = "personel", _("Personel")
    LISTRIK = "listrik", _("Listrik / genset")
    LOGISTIK = "logistik", _("Logistik")
    KEAMANAN = "keamanan", _("Keamanan")
    LAINNYA = "lainnya", _("Lainnya")


class RequestStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    DIPROSES = "diproses", _("Diproses")
    DIPENUHI = "dipenuhi", _("Dipenuhi")
    DITOLAK = "ditolak", _("Ditolak")


REQUEST_CLOSED = (RequestStatus.DIPENUHI, RequestStatus.DITOLAK)


class FacilitationRequest(models.Model):
    number = models.CharField(max_length=20, unique=True)  # PMF-2024-000012
    # The election it belongs to: the active one when submitted (set by the service). The lists
    # show one election at a time; another election's rows are read-only.
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="+", verbose_name=_("pemilihan")
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=RequestKind.choices)
    description = models.TextField(_("uraian"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="requests")
    needed_by = models.DateTimeField(_("dibutuhkan paling lambat"), db_index=True)
    requested_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="requests_made"
    )
    # The body inside it that asks (PPK Ampenan, PPS Pejeruk, Panwascam Sandubaya…).
    requested_by_unit = models.CharField(_("unit peminta"), max_length=120, blank=True)
    assigned_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="requests_assigned"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requests_made"
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.DIAJUKAN
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["needed_by", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values), name="request_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=RequestKind.values), name="request_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in REQUEST_CLOSED


class RequestEvent(models.Model):
    """One step of a request. Never updated or deleted."""

    request = models.ForeignKey(
        FacilitationRequest, on_delete=models.PROTECT, related_name="timeline"
    )
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, blank=True)
    assigned_to = models.CharField(max_length=40, blank=True)  # agency slug assigned in this step

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.at:%Y-%m-%d %H:%M} {self.status or '-'}"
