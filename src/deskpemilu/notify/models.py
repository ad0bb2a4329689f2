"""Notifications: in-app messages, and an outbox of emails and webhook calls.

Services of other apps call `notify.services.notify_event` inside their transaction: the
in-app notifications and the outbox rows are committed with the change they announce (nothing
is lost, nothing is announced for a change that rolled back). The `notify_worker` command sends
the outbox after commit and retries failures with exponential back-off.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deskpemilu.accounts.models import Agency, Role


class EventKind(models.TextChoices):
    INCIDENT_REPORTED = "incident.reported", _("Kejadian dilaporkan")
    INCIDENT_FORWARDED = "incident.forwarded", _("Kejadian diteruskan ke instansi")
    INCIDENT_STATUS = "incident.status", _("Status kejadian berubah")
    INCIDENT_NOTE = "incident.note", _("Catatan baru pada kejadian")
    INCIDENT_ESCALATED = "incident.escalated", _("Kejadian melewati batas waktu (eskalasi)")
    REQUEST_SUBMITTED = "request.submitted", _("Permintaan fasilitasi diajukan")
    REQUEST_ASSIGNED = "request.assigned", _("Permintaan fasilitasi ditugaskan")
    REQUEST_STATUS = "request.status", _("Status permintaan berubah")
    SHEET_RETURNED = "sheet.returned", _("Lembar C.Hasil dikembalikan ke operator")
    AUDIT_HEAD = "audit.head", _("Kepala rantai audit dikirim ke saksi")


class Audience(models.TextChoices):
    ROLE = "role", _("Akun dengan peran/instansi ini")
    AGENCY = "agency", _("Penghubung instansi tujuan (diteruskan/ditugaskan)")
    OWNER = "owner", _("Pelapor / pemohon")


class NotificationRule(models.Model):
    """Who is told of an event, and how: by audience, role, agency and minimum severity."""

    event = models.CharField(max_length=30, choices=EventKind.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ROLE)
    role = models.CharField(max_length=10, choices=Role.choices, blank=True)  # blank: any role
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Blank: any severity (and events without one); else incidents at least this severe.
    min_severity = models.CharField(max_length=10, blank=True)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["event", "audience", "role", "id"]

    def __str__(self) -> str:
        return f"{self.event} → {self.audience}:{self.role or '*'}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    severity = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"


class Webhook(models.Model):
    """An outside system told of events by a signed POST (X-DeskPemilu-Signature)."""

    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200)
    # Event kinds to send; empty = every event.
    events = models.JSONField(default=list, blank=True)
    min_severity = models.CharField(max_length=10, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Webhook")


class Delivery(models.Model):
    """One email or webhook call waiting to be sent (the outbox), with its attempts."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    event = models.CharField(max_length=30)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    webhook = models.ForeignKey(
        Webhook, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    # Email: {to, subject, body}; webhook: the JSON body that is sent and signed.
    payload = models.JSONField()
    created_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)  # gave up after the last attempt

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["delivered_at", "failed_at", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(channel="email", recipient__isnull=False)
                    # The audit witness is an address outside the desk's accounts.
                    | models.Q(channel="email", event="audit.head")
                    | models.Q(channel="webhook", webhook__isnull=False)
                ),
                name="delivery_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} #{self.pk}"

    @property
    def state(self) -> str:
        if self.delivered_at:
            return "terkirim"
        if self.failed_at:
            return "gagal"
        return "menunggu"


class AuditWitness(models.Model):
    """An audit head sent to the witness (one row per sending): the worker sends the next one
    when the interval has passed since the last."""

    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField(db_index=True)
    emails = models.JSONField(default=list)  # the addresses it went to
    webhooks = models.JSONField(default=list)  # the names of the webhooks it went to

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash} @ {self.sent_at:%Y-%m-%d %H:%M}"
