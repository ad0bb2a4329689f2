"""Small helpers shared by the account tests."""

from __future__ import annotations

from deskpemilu.audit.models import AuditEntry


def actions(**filters: object) -> list[str]:
    """The audit actions written so far (oldest first), optionally filtered."""
    return list(AuditEntry.objects.filter(**filters).values_list("action", flat=True))


def last_entry(action: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action).order_by("-seq").first()
    assert entry is not None, f"no audit entry {action}"
    return entry
