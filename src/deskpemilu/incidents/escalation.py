"""The SLA alerts: open incidents past the time to acknowledge or resolve them, escalated once
per level by the notify worker's round."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from deskpemilu.audit.services import record
from deskpemilu.incidents.models import CLOSED_STATUSES, Forward, Incident, TimelineEvent
from deskpemilu.incidents.services import incident_event, place_name
from deskpemilu.incidents.sla import ack_overdue_q, resolve_overdue_q
from deskpemilu.notify.models import EventKind
from deskpemilu.notify.services import notify_event


def incidents_escalate(*, now: datetime | None = None, limit: int = 200) -> int:
    """Alert the desk of open incidents past their SLA (once for acknowledging, once for
    resolving). Run by `deskpemilu notify_worker`; returns how many were escalated."""
    now = now or timezone.now()
    count = 0
    for level, overdue in ((1, ack_overdue_q(now)), (2, resolve_overdue_q(now))):
        ids = list(
            # Only the active election's: an earlier election's open rows are read-only.
            Incident.objects.filter(
                overdue, escalation_level__lt=level, election__active=True
            ).values_list("pk", flat=True)[:limit]
        )
        for pk in ids:
            count += _escalate_one(pk, level, now)
    return count


def _escalate_one(pk: int, level: int, now: datetime) -> int:
    with transaction.atomic():
        locked = (
            Incident.objects.select_for_update(of=("self",))
            .select_related("region", "tps")
            .get(pk=pk)
        )
        if locked.escalation_level >= level or locked.status in CLOSED_STATUSES:
            return 0  # another worker got here first, or it was closed meanwhile
        locked.escalation_level = level
        locked.version += 1
        locked.updated_at = now
        locked.save(update_fields=["escalation_level", "version", "updated_at"])
        what = "ditanggapi" if level == 1 else "diselesaikan"
        note = f"Eskalasi: melewati batas waktu untuk {what} (tingkat {locked.severity})."
        TimelineEvent.objects.create(incident=locked, at=now, actor=None, note=note)
        record(
            actor=None,
            actor_name="sistem",
            action="incident.escalate",
            object_type="incident",
            object_id=locked.pk,
            payload={"number": locked.number, "level": level},
        )
        forwarded = set(Forward.objects.filter(incident=locked).values_list("agency_id", flat=True))
        notify_event(
            incident_event(
                EventKind.INCIDENT_ESCALATED,
                locked,
                actor=None,
                title=(
                    f"Terlambat {what}: {locked.number} ({locked.severity}) di {place_name(locked)}"
                ),
                body=note,
                agency_ids=sorted(forwarded),
            )
        )
    return 1
