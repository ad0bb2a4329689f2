"""Service levels per severity: how soon the desk must acknowledge and resolve an incident.

Configurable with the setting DESKPEMILU_INCIDENT_SLA ({severity: (ack_minutes,
resolve_minutes)}). Overdue is computed when read (no cron); the notify worker escalates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from deskpemilu.incidents.models import CLOSED_STATUSES, Severity

DEFAULT_SLA: dict[str, tuple[int, int]] = {
    Severity.KRITIS: (15, 2 * 60),
    Severity.TINGGI: (30, 6 * 60),
    Severity.SEDANG: (2 * 60, 24 * 60),
    Severity.RENDAH: (8 * 60, 72 * 60),
}


@dataclass(frozen=True)
class Sla:
    acknowledge: timedelta
    resolve: timedelta


def sla_for(severity: str) -> Sla:
    table = {**DEFAULT_SLA, **getattr(settings, "DESKPEMILU_INCIDENT_SLA", {})}
    ack, resolve = table.get(severity, DEFAULT_SLA[Severity.RENDAH])
    return Sla(timedelta(minutes=ack), timedelta(minutes=resolve))


@dataclass(frozen=True)
class Clock:
    ack_due: datetime
    resolve_due: datetime
    ack_overdue: bool
    resolve_overdue: bool

    @property
    def overdue(self) -> bool:
        return self.ack_overdue or self.resolve_overdue


def clock(
    *,
    severity: str,
    status: str,
    reported_at: datetime,
    acknowledged_at: datetime | None,
    resolved_at: datetime | None,
    now: datetime,
) -> Clock:
    sla = sla_for(severity)
    ack_due, resolve_due = reported_at + sla.acknowledge, reported_at + sla.resolve
    open_ = status not in CLOSED_STATUSES
    return Clock(
        ack_due=ack_due,
        resolve_due=resolve_due,
        ack_overdue=open_ and acknowledged_at is None and now > ack_due,
        resolve_overdue=open_ and resolved_at is None and now > resolve_due,
    )


def ack_overdue_q(now: datetime) -> Q:
    """Open incidents not yet acknowledged past their severity's deadline (as a filter)."""
    q = Q(pk__in=[])
    for severity in Severity:
        q |= Q(severity=severity, reported_at__lt=now - sla_for(severity).acknowledge)
    return q & Q(acknowledged_at=None) & ~Q(status__in=CLOSED_STATUSES)


def resolve_overdue_q(now: datetime) -> Q:
    q = Q(pk__in=[])
    for severity in Severity:
        q |= Q(severity=severity, reported_at__lt=now - sla_for(severity).resolve)
    return q & Q(resolved_at=None) & ~Q(status__in=CLOSED_STATUSES)


def overdue_q(now: datetime) -> Q:
    return ack_overdue_q(now) | resolve_overdue_q(now)
