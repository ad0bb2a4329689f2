"""Reads of incidents and requests. Every query starts from access.incidents_for/requests_for,
so a filter can only narrow what the reader may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from deskpemilu.accounts.models import Agency, User
from deskpemilu.elections.entry import UNKNOWN, check_code
from deskpemilu.incidents import access
from deskpemilu.incidents.models import (
    OPEN_STATUSES,
    REQUEST_CLOSED,
    SEVERITY_RANK,
    Category,
    FacilitationRequest,
    Forward,
    Incident,
    RequestEvent,
    RequestKind,
    RequestStatus,
    Severity,
    Status,
    TimelineEvent,
)
from deskpemilu.incidents.sla import Clock, clock, overdue_q
from deskpemilu.readiness import kerawanan

DUE_SOON = timedelta(hours=24)
KERAWANAN_FILTERS = ("rawan", "sangat_rawan")


class FilterError(ValueError):
    def __init__(self, field: str, code: str) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


@dataclass(frozen=True)
class IncidentFilters:
    status: str = ""  # a status, or "terbuka" for every open one
    category: str = ""
    severity: str = ""
    region: str = ""  # a region code (any level) inside the reader's scope
    agency: str = ""  # an agency slug: forwarded to it
    overdue: bool = False
    q: str = ""  # the number, or words of the description
    # At a TPS Polri and Bawaslu map as `rawan` (rawan or sangat rawan) or `sangat_rawan`.
    kerawanan: str = ""
    # `?pemilihan=CODE`: another election's incidents, read-only; "" is the active one.
    election: str = ""

    def as_query(self) -> dict[str, str]:
        data = {
            "pemilihan": self.election,
            "status": self.status,
            "category": self.category,
            "severity": self.severity,
            "region": self.region,
            "agency": self.agency,
            "overdue": "1" if self.overdue else "",
            "q": self.q,
            "kerawanan": self.kerawanan,
        }
        return {k: v for k, v in data.items() if v}


def severity_rank() -> Case:
    return Case(
        *[When(severity=s, then=Value(rank)) for s, rank in SEVERITY_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def _clean(value: str) -> bool:
    return "\x00" not in value and len(value) <= 100


def check_filters(filters: IncidentFilters) -> None:
    """Unknown values are refused (422 on the API), never silently ignored."""
    if not all(_clean(v) for v in (filters.agency, filters.q, filters.region)):
        raise FilterError("q", "karakter_tidak_valid")
    if filters.status and filters.status not in [*Status.values, "terbuka"]:
        raise FilterError("status", "status_tidak_dikenal")
    if filters.category and filters.category not in Category.values:
        raise FilterError("category", "kategori_tidak_dikenal")
    if filters.severity and filters.severity not in Severity.values:
        raise FilterError("severity", "tingkat_tidak_dikenal")
    if filters.region and not filters.region.isdigit():
        raise FilterError("region", "kode_tidak_valid")
    if filters.agency and not Agency.objects.filter(slug=filters.agency).exists():
        raise FilterError("agency", "instansi_tidak_dikenal")
    if filters.kerawanan and filters.kerawanan not in KERAWANAN_FILTERS:
        raise FilterError("kerawanan", "kerawanan_tidak_dikenal")
    _check_election(filters.election)


def _check_election(code: str) -> None:
    if not check_code(code):
        raise FilterError("pemilihan", UNKNOWN)


def filtered_incidents(
    user: User, filters: IncidentFilters, now: datetime | None = None
) -> QuerySet[Incident]:
    """The reader's incidents narrowed by `filters` (already checked; the region through
    accounts.access by the caller)."""
    qs = access.incidents_for(user, filters.election)
    if filters.status == "terbuka":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.region:
        qs = qs.filter(region__code__startswith=filters.region)
    if filters.agency:
        qs = qs.filter(
            pk__in=Forward.objects.filter(agency__slug=filters.agency).values("incident_id")
        )
    if filters.overdue:
        qs = qs.filter(overdue_q(now or timezone.now()))
    if filters.kerawanan:
        qs = qs.filter(kerawanan.rawan_tps_q("tps", filters.kerawanan))
    if filters.q:
        text = filters.q.strip()[:100]
        qs = (
            qs.filter(number__iexact=text)
            if text.upper().startswith("KJD-")
            else qs.filter(description__icontains=text)
        )
    return qs


def with_list_relations(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    """What a list row shows, in a fixed number of queries however many rows there are."""
    return qs.select_related("region", "region__parent", "tps", "reporter").prefetch_related(
        Prefetch("forwards", queryset=Forward.objects.select_related("agency"))
    )


def board_order(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    """Worst first, then oldest first: what the desk must act on now is on top."""
    return qs.annotate(rank=severity_rank()).order_by("-rank", "reported_at", "id")


def incident_clock(incident: Incident, now: datetime) -> Clock:
    return clock(
        severity=incident.severity,
        status=incident.status,
        reported_at=incident.reported_at,
        acknowledged_at=incident.acknowledged_at,
        resolved_at=incident.resolved_at,
        now=now,
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def incident_row(incident: Incident, now: datetime) -> dict[str, Any]:
    sla = incident_clock(incident, now)
    forwards = list(incident.forwards.all())
    return {
        "id": incident.pk,
        "number": incident.number,
        "election": incident.election_id,
        "category": incident.category,
        "severity": incident.severity,
        "status": incident.status,
        "tps_code": incident.tps_id,
        "region_code": incident.region_id,
        "region_name": incident.region.name,
        "occurred_at": incident.occurred_at.isoformat(),
        "reported_at": incident.reported_at.isoformat(),
        "description": incident.description,
        "lat": incident.lat,
        "lon": incident.lon,
        "reporter": incident.reporter.username,
        "forwarded_to": [f.agency.slug for f in forwards],
        "duplicate_of": incident.duplicate_of_id,
        "version": incident.version,
        "acknowledged_at": _iso(incident.acknowledged_at),
        "resolved_at": _iso(incident.resolved_at),
        "ack_due": sla.ack_due.isoformat(),
        "resolve_due": sla.resolve_due.isoformat(),
        "overdue": sla.overdue,
    }


def timeline(incident: Incident) -> list[TimelineEvent]:
    return list(
        TimelineEvent.objects.filter(incident=incident).select_related("actor").order_by("at", "id")
    )


def timeline_dicts(events: list[TimelineEvent]) -> list[dict[str, Any]]:
    return [
        {
            "at": e.at.isoformat(),
            "actor": e.actor.username if e.actor else "sistem",
            "note": e.note,
            "status": e.status or None,
            "forward_to": list(e.forward_to or []),
        }
        for e in events
    ]


def photo_url(incident: Incident, sha256: str) -> str:
    return f"/kejadian/{incident.pk}/foto/{sha256}.jpg"


def incident_detail(incident: Incident, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    incident = with_list_relations(Incident.objects.filter(pk=incident.pk)).get()
    data = incident_row(incident, now)
    data["duplicate_of_number"] = incident.duplicate_of.number if incident.duplicate_of else None
    data["photos"] = [
        {"sha256": p.sha256, "url": photo_url(incident, p.sha256)} for p in incident.photos.all()
    ]
    data["timeline"] = timeline_dicts(timeline(incident))
    return data


@dataclass(frozen=True)
class BoardCounts:
    by_severity: dict[str, int]
    open_total: int
    overdue: int

    @property
    def severities(self) -> list[tuple[str, str, int]]:
        """(code, label in the reader's language, open count), worst first."""
        return [(code, str(Severity(code).label), n) for code, n in self.by_severity.items()]


def board_counts(qs: QuerySet[Incident], now: datetime) -> BoardCounts:
    open_qs = qs.filter(status__in=OPEN_STATUSES)
    counts: dict[str, int] = defaultdict(int)
    for severity in open_qs.values_list("severity", flat=True).order_by():
        counts[severity] += 1
    by_severity = {s.value: counts.get(s.value, 0) for s in reversed(Severity)}
    overdue = open_qs.filter(overdue_q(now)).order_by().count()
    return BoardCounts(by_severity, sum(by_severity.values()), overdue)


# --- Requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestFilters:
    status: str = ""  # a status, or "terbuka"
    kind: str = ""
    region: str = ""
    agency: str = ""  # requesting or assigned agency slug
    election: str = ""  # `?pemilihan=CODE`, "" for the active one


def check_request_filters(filters: RequestFilters) -> None:
    if not all(_clean(v) for v in (filters.agency, filters.region)):
        raise FilterError("agency", "karakter_tidak_valid")
    if filters.status and filters.status not in [*RequestStatus.values, "terbuka"]:
        raise FilterError("status", "status_tidak_dikenal")
    if filters.kind and filters.kind not in RequestKind.values:
        raise FilterError("kind", "jenis_tidak_dikenal")
    if filters.region and not filters.region.isdigit():
        raise FilterError("region", "kode_tidak_valid")
    if filters.agency and not Agency.objects.filter(slug=filters.agency).exists():
        raise FilterError("agency", "instansi_tidak_dikenal")
    _check_election(filters.election)


def filtered_requests(user: User, filters: RequestFilters) -> QuerySet[FacilitationRequest]:
    qs = access.requests_for(user, filters.election)
    if filters.status == "terbuka":
        qs = qs.exclude(status__in=REQUEST_CLOSED)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.region:
        qs = qs.filter(region__code__startswith=filters.region)
    if filters.agency:
        qs = qs.filter(requested_by_agency__slug=filters.agency) | qs.filter(
            assigned_agency__slug=filters.agency
        )
    return qs.select_related("region", "requested_by_agency", "assigned_agency", "requester")


def request_due(request: FacilitationRequest, now: datetime) -> str:
    """ "lewat" when an open request is past its date, "segera" within a day, else ""."""
    if request.status in REQUEST_CLOSED:
        return ""
    if request.needed_by < now:
        return "lewat"
    if request.needed_by < now + DUE_SOON:
        return "segera"
    return ""


def request_row(request: FacilitationRequest, now: datetime) -> dict[str, Any]:
    return {
        "id": request.pk,
        "number": request.number,
        "election": request.election_id,
        "kind": request.kind,
        "description": request.description,
        "region_code": request.region_id,
        "region_name": request.region.name,
        "needed_by": request.needed_by.isoformat(),
        "requested_by_agency": request.requested_by_agency.slug,
        "requested_by_unit": request.requested_by_unit,
        "assigned_agency": request.assigned_agency.slug if request.assigned_agency else None,
        "status": request.status,
        "requester": request.requester.username,
        "version": request.version,
        "created_at": request.created_at.isoformat(),
        "due": request_due(request, now),
    }


def request_timeline(request: FacilitationRequest) -> list[RequestEvent]:
    return list(
        RequestEvent.objects.filter(request=request).select_related("actor").order_by("at", "id")
    )


def request_detail(request: FacilitationRequest, now: datetime | None = None) -> dict[str, Any]:
    data = request_row(request, now or timezone.now())
    data["timeline"] = [
        {
            "at": e.at.isoformat(),
            "actor": e.actor.username if e.actor else "sistem",
            "note": e.note,
            "status": e.status or None,
            "assigned_to": e.assigned_to or None,
        }
        for e in request_timeline(request)
    ]
    return data
