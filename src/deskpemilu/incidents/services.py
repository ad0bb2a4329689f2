"""What the incident and request writes share: the refusal, the checks of what a caller sends,
the numbers, and the event a change announces; and the audited export.

The writes themselves live by concern: reports (a new incident), workflow (the steps of its
timeline), escalation (the SLA alerts), facilitation (the requests of KPU/Bawaslu). Each runs in
one transaction that locks the row it changes, checks the step against the *current* status (not
the one the caller saw), appends the timeline entry and the audit entry, and writes the
notifications of the step (notify.services.notify_event), so the change, its record and its
announcements commit together or not at all. Who may act is decided in incidents.rules.
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

from deskpemilu.accounts.models import Agency
from deskpemilu.audit.services import head as audit_head
from deskpemilu.audit.services import record
from deskpemilu.core.errors import Refusal
from deskpemilu.core.heads import head_text
from deskpemilu.incidents import access
from deskpemilu.incidents.models import Category, Counter, Incident, Severity, Status
from deskpemilu.notify.services import Event, Text
from deskpemilu.regions.models import Level, Region, Tps

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

MAX_DESCRIPTION = 4000
MAX_NOTE = 4000
MAX_UNIT = 120
# A phone's clock may run a little ahead of the server's.
FUTURE_TOLERANCE = timedelta(minutes=10)


class IncidentError(Refusal):
    """A refusal with an HTTP-like status, a stable code and the field it concerns."""

    def __init__(self, status: int, code: str, field: str = "", message: str = "") -> None:
        super().__init__(status, code, message, field)


def refuse(status: int, code: str, field: str, message: str) -> IncidentError:
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
        raise refuse(422, code, field, f"{field}: one of {', '.join(allowed)}")
    return value


def check_text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    if "\x00" in value:  # PostgreSQL cannot store it; never a 500 for it
        raise refuse(422, "karakter_tidak_valid", field, f"{field}: contains a NUL character")
    text = value.strip()
    if required and not text:
        raise refuse(422, "wajib_diisi", field, f"{field} is required")
    if len(text) > limit:
        raise refuse(422, "terlalu_panjang", field, f"{field}: at most {limit} characters")
    return text


def check_position(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        raise refuse(422, "posisi_tidak_lengkap", "lat", "lat and lon go together")
    for value, field, limit in ((lat, "lat", 90.0), (lon, "lon", 180.0)):
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise refuse(422, "posisi_tidak_valid", field, f"{field} out of range")
    return round(lat, 6), round(lon, 6)


EARLIEST, LATEST = 2000, 2100


def check_moment(value: datetime, field: str) -> datetime:
    """An aware datetime within reason (a year far away overflows on conversion to UTC)."""
    if not EARLIEST <= value.year <= LATEST:
        raise refuse(422, "waktu_tidak_valid", field, f"{field}: a year {EARLIEST}–{LATEST}")
    try:
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    except (OverflowError, ValueError) as exc:
        raise refuse(422, "waktu_tidak_valid", field, f"{field}: not a valid time") from exc


def place(tps: Tps | None, region: Region | None) -> tuple[Tps | None, Region]:
    """The kelurahan of a report: the TPS's, or the region given (which must be a kelurahan)."""
    if tps is not None:
        if region is not None and region.pk != tps.kelurahan_id:
            raise refuse(422, "tps_di_luar_wilayah", "tps_code", "the TPS is not in region_code")
        return tps, tps.kelurahan
    if region is None:
        raise refuse(422, "lokasi_wajib", "tps_code", "give tps_code or region_code")
    if region.level not in (Level.KELURAHAN, Level.DESA):
        raise refuse(422, "wilayah_bukan_kelurahan", "region_code", "region_code: a kelurahan")
    return None, region


def incident_event(
    kind: str,
    incident: Incident,
    *,
    actor: User | None,
    title: Text,
    body: Text,
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


def choice_label(choices: type[Category] | type[Severity] | type[Status], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def place_name(incident: Incident) -> str:
    name = incident.region.name
    return f"TPS {incident.tps.number:03d} {name}" if incident.tps else name


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
