"""The steps of an incident's timeline: notes, statuses, forwards, merges as duplicate, and
photos added after the report. Who may take which step: incidents.rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from deskpemilu.accounts.models import Agency
from deskpemilu.audit.services import record
from deskpemilu.core.photos import StoredPhoto
from deskpemilu.elections.entry import refuse_closed
from deskpemilu.incidents import rules
from deskpemilu.incidents.models import (
    CLOSED_STATUSES,
    Category,
    Forward,
    Incident,
    Severity,
    Status,
    TimelineEvent,
)
from deskpemilu.incidents.reports import attach_photos
from deskpemilu.incidents.services import (
    MAX_NOTE,
    check_choice,
    check_text,
    choice_label,
    incident_event,
    place_name,
    refuse,
)
from deskpemilu.notify.models import EventKind
from deskpemilu.notify.services import notify_event

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


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
    """The row, locked, for a step; an incident of another election than the active one is
    read-only (409)."""
    locked = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("region", "tps", "reporter", "election")
        .get(pk=incident.pk)
    )
    refuse_closed(locked.election)
    return locked


def _check_preconditions(locked: Incident, step: Step) -> None:
    if step.if_match is not None and step.if_match != locked.version:
        raise refuse(
            409,
            "versi_bukan_terkini",
            "If-Match",
            f"the incident is at version {locked.version}; someone acted first",
        )
    if step.expected_status is not None and step.expected_status != locked.status:
        raise refuse(
            409,
            "status_berubah",
            "expected_status",
            f"the incident is now {locked.status}; someone acted first",
        )


def _check_permission(actor: User, locked: Incident, step: Step, forwarded: set[int]) -> None:
    """Refuse what rules.allowed_actions does not allow (the pages show the same buttons)."""
    may = rules.allowed_actions(actor, locked, forwarded)
    if not may.note:
        raise refuse(403, "tidak_berhak", "", "only the desk, a forwarded liaison or the reporter")
    if may.desk:
        return
    if step.forward_to or step.duplicate_of is not None:
        raise refuse(403, "hanya_desk", "forward_to", "only the desk forwards or merges")
    if step.status is None:
        return
    if not may.may_set(step.status):
        raise refuse(403, "status_tidak_diizinkan", "status", "this status is the desk's")
    if not may.handle:
        raise refuse(
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
        raise refuse(422, "tujuan_wajib", "forward_to", "forward to at least one agency")
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
        raise refuse(422, "duplikat_diri_sendiri", "duplicate_of", "cannot be its own duplicate")
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
        raise refuse(422, "langkah_kosong", "note", "give a note, a status or forward_to")
    if step.duplicate_of is not None and step.duplicate_of.pk == incident.pk:
        raise refuse(422, "duplikat_diri_sendiri", "duplicate_of", "cannot be its own duplicate")
    if step.duplicate_of is not None and step.duplicate_of.election_id != incident.election_id:
        # The root gets a timeline entry too, and another election's incidents are read-only.
        raise refuse(
            422, "duplikat_pemilihan_lain", "duplicate_of", "an incident of another election"
        )
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
    where = place_name(incident)
    base = f"{incident.number} ({choice_label(Severity, incident.severity)}) di {where}"
    if new_agencies:
        names = ", ".join(a.name for a in new_agencies)
        notify_event(
            incident_event(
                EventKind.INCIDENT_FORWARDED,
                incident,
                actor=actor,
                title=f"Diteruskan ke {names}: {base}",
                body=(
                    f"{choice_label(Category, incident.category)}\n{incident.description}\n\n{note}"
                ),
                agency_ids=[a.pk for a in new_agencies],
                all_agency_ids=forwarded_after,
            )
        )
    if target is not None and target != before:
        notify_event(
            incident_event(
                EventKind.INCIDENT_STATUS,
                incident,
                actor=actor,
                title=f"{base}: {choice_label(Status, target)}",
                body=f"{who}: {note}" if note else who,
                # The agencies forwarded to in this very step hear of it as a forward.
                agency_ids=sorted(forwarded_after - {a.pk for a in new_agencies}),
                all_agency_ids=forwarded_after,
            )
        )
    elif note and not new_agencies:
        notify_event(
            incident_event(
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
        raise refuse(422, "kunci_wajib", "foto", "attach at least one photo")
    with transaction.atomic():
        locked = _lock(incident)
        forwarded = set(Forward.objects.filter(incident=locked).values_list("agency_id", flat=True))
        _check_permission(actor, locked, Step(), forwarded)
        now = timezone.now()
        attach_photos(locked, photos, actor, now)
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
