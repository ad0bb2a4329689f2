"""Every write to incidents and facilitation requests.

Each runs in one transaction that locks the row it changes, checks the step against the
*current* status (not the one the caller saw), appends the timeline entry and the audit entry,
and writes the notifications of the step (notify.services.notify_event), so the change, its
record and its announcements commit together or not at all.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from deskpemilu.accounts.models import Agency, Role
from deskpemilu.audit.services import head as audit_head
from deskpemilu.audit.services import record
from deskpemilu.core.heads import head_text
from deskpemilu.core.photos import StoredPhoto
from deskpemilu.incidents import access
from deskpemilu.incidents.models import (
    CLOSED_STATUSES,
    REQUEST_CLOSED,
    Category,
    Counter,
    FacilitationRequest,
    Forward,
    Incident,
    IncidentPhoto,
    RequestEvent,
    RequestKind,
    RequestStatus,
    Severity,
    Status,
    TimelineEvent,
)
from deskpemilu.incidents.sla import ack_overdue_q, resolve_overdue_q
from deskpemilu.notify.models import EventKind
from deskpemilu.notify.services import Event, notify_event
from deskpemilu.regions.models import Level, Region, Tps

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

MAX_DESCRIPTION = 4000
MAX_NOTE = 4000
MAX_UNIT = 120
# A phone's clock may run a little ahead of the server's.
FUTURE_TOLERANCE = timedelta(minutes=10)
LIAISON_STATUSES = {Status.DITANGANI}
# A liaison answers an incident that is with them; not one that is closed or not yet routed.
LIAISON_FROM = {Status.DITERUSKAN, Status.DITANGANI}
REQUEST_AGENCIES = ("kpu", "bawaslu")
LIAISON_REQUEST_STATUSES = {RequestStatus.DIPROSES, RequestStatus.DIPENUHI}


class IncidentError(Exception):
    """A refusal with an HTTP-like status, a stable code and the field it concerns."""

    def __init__(self, status: int, code: str, field: str = "", message: str = "") -> None:
        super().__init__(message or code)
        self.status = status
        self.code = code
        self.field = field
        self.message = message or code


def _refuse(status: int, code: str, field: str, message: str) -> IncidentError:
    return IncidentError(status, code, field, message)


# --- Numbers --------------------------------------------------------------------------------


def next_number(prefix: str, at: datetime) -> str:
    """KJD-2024-000123: per prefix and year, taken under a row lock (inside the transaction)."""
    year = timezone.localtime(at).year
    key = f"{prefix}-{year}"
    Counter.objects.bulk_create([Counter(key=key, value=0)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return f"{key}-{counter.value:06d}"


# --- Reporting --------------------------------------------------------------------------------


def check_choice(value: str, allowed: Sequence[str], code: str, field: str) -> str:
    if value not in allowed:
        raise _refuse(422, code, field, f"{field}: one of {', '.join(allowed)}")
    return value


def check_text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    if "\x00" in value:  # PostgreSQL cannot store it; never a 500 for it
        raise _refuse(422, "karakter_tidak_valid", field, f"{field}: contains a NUL character")
    text = value.strip()
    if required and not text:
        raise _refuse(422, "wajib_diisi", field, f"{field} is required")
    if len(text) > limit:
        raise _refuse(422, "terlalu_panjang", field, f"{field}: at most {limit} characters")
    return text


def check_position(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        raise _refuse(422, "posisi_tidak_lengkap", "lat", "lat and lon go together")
    for value, field, limit in ((lat, "lat", 90.0), (lon, "lon", 180.0)):
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise _refuse(422, "posisi_tidak_valid", field, f"{field} out of range")
    return round(lat, 6), round(lon, 6)


EARLIEST, LATEST = 2000, 2100


def check_moment(value: datetime, field: str) -> datetime:
    """An aware datetime within reason (a year far away overflows on conversion to UTC)."""
    if not EARLIEST <= value.year <= LATEST:
        raise _refuse(422, "waktu_tidak_valid", field, f"{field}: a year {EARLIEST}–{LATEST}")
    try:
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    except (OverflowError, ValueError) as exc:
        raise _refuse(422, "waktu_tidak_valid", field, f"{field}: not a valid time") from exc


def place(tps: Tps | None, region: Region | None) -> tuple[Tps | None, Region]:
    """The kelurahan of a report: the TPS's, or the region given (which must be a kelurahan)."""
    if tps is not None:
        if region is not None and region.pk != tps.kelurahan_id:
            raise _refuse(422, "tps_di_luar_wilayah", "tps_code", "the TPS is not in region_code")
        return tps, tps.kelurahan
    if region is None:
        raise _refuse(422, "lokasi_wajib", "tps_code", "give tps_code or region_code")
    if region.level not in (Level.KELURAHAN, Level.DESA):
        raise _refuse(422, "wilayah_bukan_kelurahan", "region_code", "region_code: a kelurahan")
    return None, region


def _incident_event(
    kind: str,
    incident: Incident,
    *,
    actor: User | None,
    title: str,
    body: str,
    agency_ids: Sequence[int] = (),
    all_agency_ids: set[int] | None = None,
) -> Event:
    visible_agencies = all_agency_ids if all_agency_ids is not None else set(agency_ids)
    return Event(
        kind=kind,
        title=title,
        body=body,
        url=f"/kejadian/{incident.pk}/",
        object_type="incident",
        object_id=str(incident.pk),
        payload=incident_payload(incident, visible_agencies),
        can_see=lambda user: access.can_see_incident(user, incident, visible_agencies),
        severity=incident.severity,
        agency_ids=tuple(agency_ids),
        owner_id=incident.reporter_id,
        actor=actor,
    )


def incident_payload(incident: Incident, agency_ids: set[int]) -> dict[str, object]:
    slugs = sorted(Agency.objects.filter(pk__in=agency_ids).values_list("slug", flat=True))
    return {
        "id": incident.pk,
        "number": incident.number,
        "category": incident.category,
        "severity": incident.severity,
        "status": incident.status,
        "tps_code": incident.tps_id,
        "region_code": incident.region_id,
        "occurred_at": incident.occurred_at.isoformat(),
        "forwarded_to": slugs,
    }


def _label(choices: type[Category] | type[Severity] | type[Status], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _where(incident: Incident) -> str:
    name = incident.region.name
    return f"TPS {incident.tps.number:03d} {name}" if incident.tps else name


def incident_report(
    *,
    actor: User,
    category: str,
    severity: str,
    tps: Tps | None,
    region: Region | None,
    occurred_at: datetime,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    photos: Sequence[StoredPhoto] = (),
    source: str = "api",
) -> Incident:
    """A new report (status `baru`), its first timeline entry, audit entry and notifications.

    The caller fetched `tps`/`region` through the access helpers (inside the actor's scope)."""
    if actor.role not in access.REPORTING_ROLES:
        raise _refuse(403, "tidak_berhak_melapor", "", "this role does not report incidents")
    check_choice(category, Category.values, "kategori_tidak_dikenal", "category")
    check_choice(severity, Severity.values, "tingkat_tidak_dikenal", "severity")
    text = check_text(description, "description", MAX_DESCRIPTION)
    lat, lon = check_position(lat, lon)
    tps, kelurahan = place(tps, region)
    now = timezone.now()
    occurred_at = check_moment(occurred_at, "occurred_at")
    if occurred_at > now + FUTURE_TOLERANCE:
        raise _refuse(422, "waktu_di_masa_depan", "occurred_at", "occurred_at is in the future")
    with transaction.atomic():
        incident = Incident.objects.create(
            number=next_number("KJD", now),
            category=category,
            severity=severity,
            tps=tps,
            region=kelurahan,
            occurred_at=occurred_at,
            reported_at=now,
            description=text,
            lat=lat,
            lon=lon,
            reporter=actor,
            status=Status.BARU,
            updated_at=now,
        )
        TimelineEvent.objects.create(
            incident=incident, at=now, actor=actor, note=text, status=Status.BARU
        )
        _attach_photos(incident, photos, actor, now)
        record(
            actor=actor,
            action="incident.report",
            object_type="incident",
            object_id=incident.pk,
            payload={
                "number": incident.number,
                "category": category,
                "severity": severity,
                "tps": incident.tps_id,
                "region": incident.region_id,
                "source": source,
                "photos": [p.sha256 for p in photos],
            },
        )
        title = (
            f"{incident.number}: {_label(Category, category)} "
            f"({_label(Severity, severity)}) di {_where(incident)}"
        )
        notify_event(
            _incident_event(
                EventKind.INCIDENT_REPORTED,
                incident,
                actor=actor,
                title=title,
                body=f"{text}\n\nPelapor: {actor.get_full_name() or actor.username}",
            )
        )
    return incident


def _attach_photos(
    incident: Incident, photos: Sequence[StoredPhoto], actor: User, now: datetime
) -> None:
    IncidentPhoto.objects.bulk_create(
        [
            IncidentPhoto(
                incident=incident,
                sha256=p.sha256,
                file=p.relative_path,
                width=p.width,
                height=p.height,
                size=p.size,
                gps=p.gps,
                uploaded_by=actor,
                uploaded_at=now,
            )
            for p in photos
        ],
        ignore_conflicts=True,
    )


# --- Steps of the workflow ------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """What a caller asks of one timeline step."""

    note: str = ""
    status: str | None = None
    forward_to: Sequence[Agency] = ()
    duplicate_of: Incident | None = None
    expected_status: str | None = None
    if_match: int | None = None


def _lock(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("region", "tps", "reporter")
        .get(pk=incident.pk)
    )


def _check_preconditions(locked: Incident, step: Step) -> None:
    if step.if_match is not None and step.if_match != locked.version:
        raise _refuse(
            409,
            "versi_bukan_terkini",
            "If-Match",
            f"the incident is at version {locked.version}; someone acted first",
        )
    if step.expected_status is not None and step.expected_status != locked.status:
        raise _refuse(
            409,
            "status_berubah",
            "expected_status",
            f"the incident is now {locked.status}; someone acted first",
        )


def _check_permission(actor: User, locked: Incident, step: Step, forwarded: set[int]) -> None:
    """The contract's rule: the desk (admin) may do anything; a liaison of an agency it was
    forwarded to may add notes and set `ditangani`; the reporter may add notes."""
    if actor.role == Role.ADMIN:
        return
    is_liaison = actor.role == Role.LIAISON and actor.agency_id in forwarded
    is_reporter = locked.reporter_id == actor.pk
    if not (is_liaison or is_reporter):
        raise _refuse(403, "tidak_berhak", "", "only the desk, a forwarded liaison or the reporter")
    if step.forward_to or step.duplicate_of is not None:
        raise _refuse(403, "hanya_desk", "forward_to", "only the desk forwards or merges")
    if step.status is None:
        return
    if not is_liaison or step.status not in LIAISON_STATUSES:
        raise _refuse(403, "status_tidak_diizinkan", "status", "this status is the desk's")
    if locked.status not in LIAISON_FROM:
        raise _refuse(
            409,
            "transisi_tidak_valid",
            "status",
            f"cannot set {step.status} while the incident is {locked.status}",
        )


def _target_status(locked: Incident, step: Step, forwarded_after: set[int]) -> str | None:
    status = step.status
    if step.duplicate_of is not None:
        return Status.DITOLAK
    if status is None and step.forward_to and locked.status in (Status.BARU, Status.DIVERIFIKASI):
        return Status.DITERUSKAN  # forwarding is the step that moves it on
    if status == Status.DITERUSKAN and not forwarded_after:
        raise _refuse(422, "tujuan_wajib", "forward_to", "forward to at least one agency")
    return status


def _duplicate_root(target: Incident, incident: Incident) -> Incident:
    root = target
    seen = {incident.pk}
    while root.duplicate_of_id is not None:
        if root.pk in seen:
            break
        seen.add(root.pk)
        root = Incident.objects.get(pk=root.duplicate_of_id)
    if root.pk == incident.pk:
        raise _refuse(422, "duplikat_diri_sendiri", "duplicate_of", "cannot be its own duplicate")
    return root


def incident_step(*, actor: User, incident: Incident, step: Step) -> tuple[Incident, TimelineEvent]:
    """Append one step to the timeline: a note, a status, forwards, or a merge as duplicate.

    `incident` was fetched through access.get_incident_for; the row is locked and re-read here
    so the step is checked against the current status. `expected_status`/`if_match` give 409
    when another desk member acted first."""
    note = check_text(step.note, "note", MAX_NOTE, required=False)
    if step.status is not None:
        check_choice(step.status, Status.values, "status_tidak_dikenal", "status")
    if not (note or step.status or step.forward_to or step.duplicate_of):
        raise _refuse(422, "langkah_kosong", "note", "give a note, a status or forward_to")
    if step.duplicate_of is not None and step.duplicate_of.pk == incident.pk:
        raise _refuse(422, "duplikat_diri_sendiri", "duplicate_of", "cannot be its own duplicate")
    with transaction.atomic():
        locked = _lock(incident)
        _check_preconditions(locked, step)
        forwarded = set(Forward.objects.filter(incident=locked).values_list("agency_id", flat=True))
        _check_permission(actor, locked, step, forwarded)
        new_agencies = [a for a in step.forward_to if a.pk not in forwarded]
        forwarded_after = forwarded | {a.pk for a in new_agencies}
        target = _target_status(locked, step, forwarded_after)
        root = _duplicate_root(step.duplicate_of, locked) if step.duplicate_of else None
        return _apply_step(actor, locked, note, target, new_agencies, forwarded_after, root)


def _apply_step(
    actor: User | None,
    locked: Incident,
    note: str,
    target: str | None,
    new_agencies: Sequence[Agency],
    forwarded_after: set[int],
    root: Incident | None,
) -> tuple[Incident, TimelineEvent]:
    now = timezone.now()
    before = locked.status
    Forward.objects.bulk_create(
        [Forward(incident=locked, agency=a, at=now, by=actor) for a in new_agencies]
    )
    if root is not None:
        locked.duplicate_of = root
        note = (f"Duplikat dari {root.number}. " + note).strip()
    if target is not None:
        locked.status = target
    if locked.acknowledged_at is None and (locked.status != Status.BARU or new_agencies):
        locked.acknowledged_at = now
    if locked.status in CLOSED_STATUSES and before not in CLOSED_STATUSES:
        locked.resolved_at = now
    elif locked.status not in CLOSED_STATUSES:
        locked.resolved_at = None
    locked.version += 1
    locked.updated_at = now
    locked.save()
    slugs = [a.slug for a in new_agencies]
    event = TimelineEvent.objects.create(
        incident=locked, at=now, actor=actor, note=note, status=target or "", forward_to=slugs
    )
    if root is not None:
        _note_on_root(actor, root, locked, now)
    record(
        actor=actor,
        action="incident.step",
        object_type="incident",
        object_id=locked.pk,
        payload={
            "number": locked.number,
            "from": before,
            "status": target,
            "forward_to": slugs,
            "duplicate_of": root.number if root else None,
            "version": locked.version,
        },
    )
    _announce(actor, locked, note, before, target, new_agencies, forwarded_after)
    return locked, event


def _note_on_root(actor: User | None, root: Incident, duplicate: Incident, now: datetime) -> None:
    Incident.objects.filter(pk=root.pk).update(version=root.version + 1, updated_at=now)
    TimelineEvent.objects.create(
        incident=root,
        at=now,
        actor=actor,
        note=f"Laporan {duplicate.number} digabungkan ke kejadian ini (duplikat).",
    )


def _announce(
    actor: User | None,
    incident: Incident,
    note: str,
    before: str,
    target: str | None,
    new_agencies: Sequence[Agency],
    forwarded_after: set[int],
) -> None:
    who = (actor.get_full_name() or actor.username) if actor else "Sistem"
    where = _where(incident)
    base = f"{incident.number} ({_label(Severity, incident.severity)}) di {where}"
    if new_agencies:
        names = ", ".join(a.name for a in new_agencies)
        notify_event(
            _incident_event(
                EventKind.INCIDENT_FORWARDED,
                incident,
                actor=actor,
                title=f"Diteruskan ke {names}: {base}",
                body=f"{_label(Category, incident.category)}\n{incident.description}\n\n{note}",
                agency_ids=[a.pk for a in new_agencies],
                all_agency_ids=forwarded_after,
            )
        )
    if target is not None and target != before:
        notify_event(
            _incident_event(
                EventKind.INCIDENT_STATUS,
                incident,
                actor=actor,
                title=f"{base}: {_label(Status, target)}",
                body=f"{who}: {note}" if note else who,
                # The agencies forwarded to in this very step hear of it as a forward.
                agency_ids=sorted(forwarded_after - {a.pk for a in new_agencies}),
                all_agency_ids=forwarded_after,
            )
        )
    elif note and not new_agencies:
        notify_event(
            _incident_event(
                EventKind.INCIDENT_NOTE,
                incident,
                actor=actor,
                title=f"Catatan baru pada {base}",
                body=f"{who}: {note}",
                agency_ids=sorted(forwarded_after),
            )
        )


def incident_photos_add(
    *, actor: User, incident: Incident, photos: Sequence[StoredPhoto]
) -> Incident:
    """Photos after the report (the scene, later); whoever may add a note may add photos."""
    if not photos:
        raise _refuse(422, "kunci_wajib", "foto", "attach at least one photo")
    with transaction.atomic():
        locked = _lock(incident)
        forwarded = set(Forward.objects.filter(incident=locked).values_list("agency_id", flat=True))
        _check_permission(actor, locked, Step(), forwarded)
        now = timezone.now()
        _attach_photos(locked, photos, actor, now)
        locked.version += 1
        locked.updated_at = now
        locked.save(update_fields=["version", "updated_at"])
        TimelineEvent.objects.create(
            incident=locked, at=now, actor=actor, note=f"{len(photos)} foto ditambahkan."
        )
        record(
            actor=actor,
            action="incident.photos",
            object_type="incident",
            object_id=locked.pk,
            payload={"number": locked.number, "photos": [p.sha256 for p in photos]},
        )
    return locked


def incidents_escalate(*, now: datetime | None = None, limit: int = 200) -> int:
    """Alert the desk of open incidents past their SLA (once for acknowledging, once for
    resolving). Run by `deskpemilu notify_worker`; returns how many were escalated."""
    now = now or timezone.now()
    count = 0
    for level, overdue in ((1, ack_overdue_q(now)), (2, resolve_overdue_q(now))):
        ids = list(
            Incident.objects.filter(overdue, escalation_level__lt=level).values_list(
                "pk", flat=True
            )[:limit]
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
            _incident_event(
                EventKind.INCIDENT_ESCALATED,
                locked,
                actor=None,
                title=f"Terlambat {what}: {locked.number} ({locked.severity}) di {_where(locked)}",
                body=note,
                agency_ids=sorted(forwarded),
            )
        )
    return 1


# --- Facilitation requests --------------------------------------------------------------------


def _request_event(
    kind: str, request: FacilitationRequest, *, actor: User, title: str, body: str
) -> Event:
    assigned = (request.assigned_agency_id,) if request.assigned_agency_id else ()
    return Event(
        kind=kind,
        title=title,
        body=body,
        url=f"/kejadian/permintaan/{request.pk}/",
        object_type="request",
        object_id=str(request.pk),
        payload={
            "id": request.pk,
            "number": request.number,
            "kind": request.kind,
            "status": request.status,
            "region_code": request.region_id,
            "needed_by": request.needed_by.isoformat(),
            "requested_by_agency": request.requested_by_agency.slug,
            "assigned_agency": request.assigned_agency.slug if request.assigned_agency else None,
        },
        can_see=lambda user: access.can_see_request(user, request),
        agency_ids=assigned,
        owner_id=request.requester_id,
        actor=actor,
    )


def request_submit(
    *,
    actor: User,
    kind: str,
    description: str,
    region: Region,
    needed_by: datetime,
    requested_by_agency: Agency,
    requested_by_unit: str = "",
) -> FacilitationRequest:
    """A KPU/Bawaslu facilitation request (status `diajukan`). `region` came through the
    access helpers; a liaison asks only on behalf of their own agency."""
    if actor.role not in access.REQUESTING_ROLES:
        raise _refuse(403, "tidak_berhak", "", "this role does not submit requests")
    check_choice(kind, RequestKind.values, "jenis_tidak_dikenal", "kind")
    text = check_text(description, "description", MAX_DESCRIPTION)
    unit = check_text(requested_by_unit, "requested_by_unit", MAX_UNIT, required=False)
    if requested_by_agency.slug not in REQUEST_AGENCIES:
        raise _refuse(422, "instansi_bukan_penyelenggara", "requested_by_agency", "kpu or bawaslu")
    if actor.role == Role.LIAISON and actor.agency_id != requested_by_agency.pk:
        raise _refuse(
            403, "bukan_instansi_sendiri", "requested_by_agency", "only for your own agency"
        )
    needed_by = check_moment(needed_by, "needed_by")
    now = timezone.now()
    with transaction.atomic():
        request = FacilitationRequest.objects.create(
            number=next_number("PMF", now),
            kind=kind,
            description=text,
            region=region,
            needed_by=needed_by,
            requested_by_agency=requested_by_agency,
            requested_by_unit=unit,
            requester=actor,
            created_at=now,
            updated_at=now,
        )
        RequestEvent.objects.create(
            request=request, at=now, actor=actor, note=text, status=RequestStatus.DIAJUKAN
        )
        record(
            actor=actor,
            action="request.submit",
            object_type="request",
            object_id=request.pk,
            payload={
                "number": request.number,
                "kind": kind,
                "region": region.pk,
                "needed_by": needed_by.isoformat(),
                "requested_by_agency": requested_by_agency.slug,
            },
        )
        notify_event(
            _request_event(
                EventKind.REQUEST_SUBMITTED,
                request,
                actor=actor,
                title=(
                    f"{request.number}: permintaan {_kind_label(kind)} dari "
                    f"{requested_by_agency.name} di {region.name}"
                ),
                body=f"{text}\n\nDibutuhkan paling lambat {_local(needed_by)}",
            )
        )
    return request


def _kind_label(kind: str) -> str:
    return str(RequestKind(kind).label) if kind in RequestKind.values else kind


def _local(at: datetime) -> str:
    return timezone.localtime(at).strftime("%d-%m-%Y %H.%M WITA")


@dataclass(frozen=True)
class RequestStep:
    note: str = ""
    status: str | None = None
    assign_to: Agency | None = None
    expected_status: str | None = None
    if_match: int | None = None


def _check_request_permission(actor: User, locked: FacilitationRequest, step: RequestStep) -> None:
    if actor.role == Role.ADMIN:
        return
    agency = actor.agency_id if actor.role == Role.LIAISON else None
    is_assigned = agency is not None and agency == locked.assigned_agency_id
    is_requesting = agency is not None and agency == locked.requested_by_agency_id
    is_requester = locked.requester_id == actor.pk
    if not (is_assigned or is_requesting or is_requester):
        raise _refuse(403, "tidak_berhak", "", "only the desk, the agencies or the requester")
    if step.assign_to is not None:
        raise _refuse(403, "hanya_desk", "assign_to", "only the desk assigns")
    if step.status is None:
        return
    if not is_assigned or step.status not in LIAISON_REQUEST_STATUSES:
        raise _refuse(403, "status_tidak_diizinkan", "status", "this status is the desk's")
    if locked.status in REQUEST_CLOSED:
        raise _refuse(409, "transisi_tidak_valid", "status", f"the request is {locked.status}")


def request_step(
    *, actor: User, request: FacilitationRequest, step: RequestStep
) -> tuple[FacilitationRequest, RequestEvent]:
    """A note, a status, or the assignment of an agency (the desk's) on a request."""
    note = check_text(step.note, "note", MAX_NOTE, required=False)
    if step.status is not None:
        check_choice(step.status, RequestStatus.values, "status_tidak_dikenal", "status")
    if not (note or step.status or step.assign_to):
        raise _refuse(422, "langkah_kosong", "note", "give a note, a status or assign_to")
    with transaction.atomic():
        locked = (
            FacilitationRequest.objects.select_for_update(of=("self",))
            .select_related("region", "requested_by_agency", "assigned_agency")
            .get(pk=request.pk)
        )
        if step.if_match is not None and step.if_match != locked.version:
            raise _refuse(409, "versi_bukan_terkini", "If-Match", "someone acted first")
        if step.expected_status is not None and step.expected_status != locked.status:
            raise _refuse(409, "status_berubah", "expected_status", "someone acted first")
        _check_request_permission(actor, locked, step)
        now = timezone.now()
        before, assigned_before = locked.status, locked.assigned_agency_id
        target = step.status
        if step.assign_to is not None:
            locked.assigned_agency = step.assign_to
            if target is None and locked.status == RequestStatus.DIAJUKAN:
                target = RequestStatus.DIPROSES  # assigning is taking it up
        if target is not None:
            locked.status = target
        locked.closed_at = now if locked.status in REQUEST_CLOSED else None
        locked.version += 1
        locked.updated_at = now
        locked.save()
        event = RequestEvent.objects.create(
            request=locked,
            at=now,
            actor=actor,
            note=note,
            status=target or "",
            assigned_to=step.assign_to.slug if step.assign_to else "",
        )
        record(
            actor=actor,
            action="request.step",
            object_type="request",
            object_id=locked.pk,
            payload={
                "number": locked.number,
                "from": before,
                "status": target,
                "assign_to": step.assign_to.slug if step.assign_to else None,
                "version": locked.version,
            },
        )
        _announce_request(actor, locked, note, before, target, assigned_before)
    return locked, event


def _announce_request(
    actor: User,
    request: FacilitationRequest,
    note: str,
    before: str,
    target: str | None,
    assigned_before: int | None,
) -> None:
    label = f"{request.number} ({_kind_label(request.kind)}, {request.region.name})"
    who = actor.get_full_name() or actor.username
    if request.assigned_agency_id and request.assigned_agency_id != assigned_before:
        assert request.assigned_agency is not None
        notify_event(
            _request_event(
                EventKind.REQUEST_ASSIGNED,
                request,
                actor=actor,
                title=f"Ditugaskan ke {request.assigned_agency.name}: {label}",
                body=(
                    f"{request.description}\n\nDibutuhkan paling lambat "
                    f"{_local(request.needed_by)}\n{note}"
                ),
            )
        )
    elif (target is not None and target != before) or note:
        status = RequestStatus(request.status).label
        notify_event(
            _request_event(
                EventKind.REQUEST_STATUS,
                request,
                actor=actor,
                title=f"{label}: {status}",
                body=f"{who}: {note}" if note else who,
            )
        )


# --- Export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    file: IO[bytes]
    filename: str
    rows: int
    sha256: str
    audit_seq: int
    audit_head: str


def incidents_export(
    *, actor: User, incidents: QuerySet[Incident], filters: Mapping[str, str]
) -> ExportFile:
    """The reader's incidents (already scoped and filtered) as XLSX, recorded in the audit
    log with the file's SHA-256; the audit head is written into the file."""
    from deskpemilu.incidents.export import write_xlsx

    seq, head_hash = audit_head()
    now = timezone.now()
    local = timezone.localtime(now)
    info: list[list[object]] = [
        ["Desk Pemilu", "ekspor kejadian"],
        ["waktu", local.strftime("%Y-%m-%d %H:%M:%S %z")],
        ["oleh", actor.username],
        ["saringan", ", ".join(f"{k}={v}" for k, v in sorted(filters.items())) or "-"],
        ["kepala rantai audit", head_text(seq, head_hash)],
    ]
    target, count = write_xlsx(incidents, info, now)
    digest = hashlib.sha256()
    for block in iter(lambda: target.read(1 << 20), b""):
        digest.update(block)
    target.seek(0)
    with transaction.atomic():
        record(
            actor=actor,
            action="incident.export",
            object_type="incident",
            object_id="",
            payload={
                "format": "xlsx",
                "rows": count,
                "sha256": digest.hexdigest(),
                "filters": dict(filters),
                "audit_seq_in_file": seq,
            },
        )
    return ExportFile(
        file=target,
        filename=f"kejadian-{local:%Y%m%d-%H%M}.xlsx",
        rows=count,
        sha256=digest.hexdigest(),
        audit_seq=seq,
        audit_head=head_hash,
    )
