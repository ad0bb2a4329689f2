"""Facilitation requests: what KPU or Bawaslu ask of the city (a venue, transport, security),
submitted, assigned to an agency and answered. Who may take which step: incidents.rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from deskpemilu.accounts.models import Agency, Role
from deskpemilu.audit.services import record
from deskpemilu.elections.entry import entry_election, refuse_closed
from deskpemilu.incidents import access, rules
from deskpemilu.incidents.models import (
    REQUEST_CLOSED,
    FacilitationRequest,
    RequestEvent,
    RequestKind,
    RequestStatus,
)
from deskpemilu.incidents.services import (
    MAX_DESCRIPTION,
    MAX_NOTE,
    MAX_UNIT,
    check_choice,
    check_moment,
    check_text,
    next_number,
    refuse,
)
from deskpemilu.notify.models import EventKind
from deskpemilu.notify.services import Event, notify_event
from deskpemilu.regions.models import Region

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

REQUEST_AGENCIES = ("kpu", "bawaslu")


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
    if not rules.may_request(actor):
        raise refuse(403, "tidak_berhak", "", "this role does not submit requests")
    check_choice(kind, RequestKind.values, "jenis_tidak_dikenal", "kind")
    text = check_text(description, "description", MAX_DESCRIPTION)
    unit = check_text(requested_by_unit, "requested_by_unit", MAX_UNIT, required=False)
    _check_agency(actor, requested_by_agency)
    needed_by = check_moment(needed_by, "needed_by")
    now = timezone.now()
    with transaction.atomic():
        request = FacilitationRequest.objects.create(
            number=next_number("PMF", now),
            election=entry_election(),
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
                "election": request.election_id,
                "kind": kind,
                "region": region.pk,
                "needed_by": needed_by.isoformat(),
                "requested_by_agency": requested_by_agency.slug,
            },
        )
        _announce_submitted(actor, request)
    return request


def _check_agency(actor: User, agency: Agency) -> None:
    if agency.slug not in REQUEST_AGENCIES:
        raise refuse(422, "instansi_bukan_penyelenggara", "requested_by_agency", "kpu or bawaslu")
    if actor.role == Role.LIAISON and actor.agency_id != agency.pk:
        raise refuse(
            403, "bukan_instansi_sendiri", "requested_by_agency", "only for your own agency"
        )


def _announce_submitted(actor: User, request: FacilitationRequest) -> None:
    notify_event(
        _request_event(
            EventKind.REQUEST_SUBMITTED,
            request,
            actor=actor,
            title=(
                f"{request.number}: permintaan {_kind_label(request.kind)} dari "
                f"{request.requested_by_agency.name} di {request.region.name}"
            ),
            body=f"{request.description}\n\nDibutuhkan paling lambat {_local(request.needed_by)}",
        )
    )


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
    """Refuse what rules.allowed_request_actions does not allow (the pages show the same)."""
    may = rules.allowed_request_actions(actor, locked)
    if not may.note:
        raise refuse(403, "tidak_berhak", "", "only the desk, the agencies or the requester")
    if may.desk:
        return
    if step.assign_to is not None:
        raise refuse(403, "hanya_desk", "assign_to", "only the desk assigns")
    if step.status is None:
        return
    if not may.may_set(step.status):
        raise refuse(403, "status_tidak_diizinkan", "status", "this status is the desk's")
    if not may.handle:
        raise refuse(409, "transisi_tidak_valid", "status", f"the request is {locked.status}")


def request_step(
    *, actor: User, request: FacilitationRequest, step: RequestStep
) -> tuple[FacilitationRequest, RequestEvent]:
    """A note, a status, or the assignment of an agency (the desk's) on a request."""
    note = check_text(step.note, "note", MAX_NOTE, required=False)
    if step.status is not None:
        check_choice(step.status, RequestStatus.values, "status_tidak_dikenal", "status")
    if not (note or step.status or step.assign_to):
        raise refuse(422, "langkah_kosong", "note", "give a note, a status or assign_to")
    with transaction.atomic():
        locked = (
            FacilitationRequest.objects.select_for_update(of=("self",))
            .select_related("region", "requested_by_agency", "assigned_agency", "election")
            .get(pk=request.pk)
        )
        refuse_closed(locked.election)  # another election's requests are read-only
        if step.if_match is not None and step.if_match != locked.version:
            raise refuse(409, "versi_bukan_terkini", "If-Match", "someone acted first")
        if step.expected_status is not None and step.expected_status != locked.status:
            raise refuse(409, "status_berubah", "expected_status", "someone acted first")
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
