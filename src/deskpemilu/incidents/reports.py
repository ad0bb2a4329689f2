"""A new incident report: checked, numbered, recorded, announced."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from deskpemilu.audit.services import record
from deskpemilu.core.photos import StoredPhoto
from deskpemilu.elections.entry import entry_election
from deskpemilu.incidents import rules
from deskpemilu.incidents.models import (
    Category,
    Incident,
    IncidentPhoto,
    Severity,
    Status,
    TimelineEvent,
)
from deskpemilu.incidents.services import (
    FUTURE_TOLERANCE,
    MAX_DESCRIPTION,
    check_choice,
    check_moment,
    check_position,
    check_text,
    choice_label,
    incident_event,
    next_number,
    place,
    place_name,
    refuse,
)
from deskpemilu.notify.models import EventKind
from deskpemilu.notify.services import notify_event
from deskpemilu.regions.models import Region, Tps

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


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
    client_key: str = "",
) -> Incident:
    """A new report (status `baru`), its first timeline entry, audit entry and notifications.

    The caller fetched `tps`/`region` through the access helpers (inside the actor's scope).
    With `client_key` (the API's Idempotency-Key), the same report sent again is the incident
    made the first time, and nothing new is recorded; the key with another report is refused."""
    digest = ""
    if client_key:
        digest = _digest(category, severity, tps, region, occurred_at, description, lat, lon)
        found = _reported_once(actor, client_key, digest)
        if found is not None:
            return found
    if not rules.may_report(actor):
        raise refuse(403, "tidak_berhak_melapor", "", "this role does not report incidents")
    check_choice(category, Category.values, "kategori_tidak_dikenal", "category")
    check_choice(severity, Severity.values, "tingkat_tidak_dikenal", "severity")
    text = check_text(description, "description", MAX_DESCRIPTION)
    lat, lon = check_position(lat, lon)
    tps, kelurahan = place(tps, region)
    now = timezone.now()
    occurred_at = _check_occurred(occurred_at, now)
    try:
        with transaction.atomic():
            incident = _create(actor, category, severity, tps, kelurahan, occurred_at, now, text,
                               lat, lon, (client_key, digest))  # fmt: skip
            attach_photos(incident, photos, actor, now)
            _record_report(actor, incident, source, photos)
            _announce_report(actor, incident)
    except IntegrityError:
        # The same key sent twice at once: the other request made the incident.
        found = _reported_once(actor, client_key, digest) if client_key else None
        if found is None:
            raise
        return found
    return incident


def _digest(category: str, severity: str, tps: Tps | None, region: Region | None,
            occurred_at: datetime, description: str, lat: float | None,
            lon: float | None) -> str:  # fmt: skip
    what = [category, severity, tps.code if tps else None, region.code if region else None,
            occurred_at.isoformat(), description, lat, lon]  # fmt: skip
    return hashlib.sha256(json.dumps(what).encode()).hexdigest()


def _reported_once(actor: User, client_key: str, digest: str) -> Incident | None:
    found = Incident.objects.filter(reporter=actor, client_key=client_key).first()
    if found is not None and found.client_digest != digest:
        raise refuse(
            422,
            "kunci_idempotensi_dipakai",
            "Idempotency-Key",
            "this key was used for another report",
        )
    return found


def _create(actor: User, category: str, severity: str, tps: Tps | None, kelurahan: Region,
            occurred_at: datetime, now: datetime, text: str, lat: float | None,
            lon: float | None, client: tuple[str, str]) -> Incident:  # fmt: skip
    incident = Incident.objects.create(
        number=next_number("KJD", now),
        election=entry_election(),
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
        client_key=client[0],
        client_digest=client[1],
    )
    TimelineEvent.objects.create(
        incident=incident, at=now, actor=actor, note=text, status=Status.BARU
    )
    return incident


def _record_report(
    actor: User, incident: Incident, source: str, photos: Sequence[StoredPhoto]
) -> None:
    record(
        actor=actor,
        action="incident.report",
        object_type="incident",
        object_id=incident.pk,
        payload={
            "number": incident.number,
            "election": incident.election_id,
            "category": incident.category,
            "severity": incident.severity,
            "tps": incident.tps_id,
            "region": incident.region_id,
            "source": source,
            "photos": [p.sha256 for p in photos],
        },
    )


def _check_occurred(occurred_at: datetime, now: datetime) -> datetime:
    occurred_at = check_moment(occurred_at, "occurred_at")
    if occurred_at > now + FUTURE_TOLERANCE:
        raise refuse(422, "waktu_di_masa_depan", "occurred_at", "occurred_at is in the future")
    return occurred_at


def _announce_report(actor: User, incident: Incident) -> None:
    title = (
        f"{incident.number}: {choice_label(Category, incident.category)} "
        f"({choice_label(Severity, incident.severity)}) di {place_name(incident)}"
    )
    notify_event(
        incident_event(
            EventKind.INCIDENT_REPORTED,
            incident,
            actor=actor,
            title=title,
            body=f"{incident.description}\n\nPelapor: {actor.get_full_name() or actor.username}",
        )
    )


def attach_photos(
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
