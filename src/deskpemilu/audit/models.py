"""The append-only, hash-chained audit log.

Rows are written only by `audit.services.record` and never changed: database triggers refuse
UPDATE and DELETE (see the migration). Each entry's hash covers the previous entry's hash, so a
changed, deleted or reordered row breaks the chain that `verify_audit` recomputes.
"""

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor's username at the time, so the entry reads the same if the account is renamed.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Locking it serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"
