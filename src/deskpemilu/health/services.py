"""Health incidents and their follow-ups, the audited export, and the checks every health write
shares (text without an NIK, times within reason). The puskesmas side (posts, duty shifts,
readiness checks, service areas) is in health.facilities. One transaction each, with its audit
entry."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.audit.services import head as audit_head
from deskpemilu.audit.services import record
from deskpemilu.core.errors import Refusal
from deskpemilu.elections.entry import entry_election, refuse_closed
from deskpemilu.health import access
from deskpemilu.health.models import (
    Condition,
    FollowUp,
    HealthIncident,
    IncidentStatus,
    PersonRole,
)
from deskpemilu.regions.models import Puskesmas, Region, Tps

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

MAX_NOTE = 2000
MAX_NAME = 100
# An NIK is 16 digits. A name or a note must never carry one (DESIGN.md: no NIK is stored).
NIK_PATTERN = re.compile(r"(?<!\d)\d{16}(?!\d)")


class HealthError(Refusal):
    """A refusal with an HTTP-like status and the errors behind it ({code, field, message})."""

    def __init__(self, status: int, errors: Sequence[dict[str, str]]) -> None:
        super().__init__(status, errors=errors)


def error(code: str, field: str, message: str) -> dict[str, str]:
    return {"code": code, "field": field, "message": message}


def check_text(value: str, field: str, limit: int, errors: list[dict[str, str]]) -> None:
    if "\x00" in value:
        errors.append(error("karakter_nul", field, _("Teks berisi karakter NUL.")))
    if len(value) > limit:
        errors.append(error("terlalu_panjang", field, _("Paling panjang %s karakter.") % limit))
    if NIK_PATTERN.search(value):
        errors.append(error("nik_dilarang", field, _("Jangan menulis NIK; nama saja sudah cukup.")))


def refuse_unless(allowed: bool) -> None:
    """The services refuse by the rules of health.access themselves, whatever calls them (the
    pages and the API ask the same rules first)."""
    if not allowed:
        raise HealthError(
            403, [error("tidak_berhak", "", _("Peran ini tidak berhak mengubah ini."))]
        )


def _check_when(value: datetime, field: str, errors: list[dict[str, str]]) -> None:
    now = timezone.now()
    if value > now + timedelta(minutes=10):
        errors.append(error("waktu_di_masa_depan", field, _("Waktu tidak boleh di masa depan.")))
    if value < now - timedelta(days=366):
        errors.append(error("waktu_terlalu_lama", field, _("Waktu lebih dari setahun lalu.")))


def raise_if_any(errors: list[dict[str, str]]) -> None:
    if errors:
        raise HealthError(422, errors)


# --- Incidents --------------------------------------------------------------------------------


def incident_report(
    *,
    actor: User,
    tps: Tps,
    person_role: str,
    condition: str,
    occurred_at: datetime,
    note: str,
    puskesmas: Puskesmas | None = None,
    name: str = "",
) -> HealthIncident:
    """A health incident of a polling staff member or a voter at a TPS."""
    refuse_unless(access.may_report_incident(actor))
    errors: list[dict[str, str]] = []
    if person_role not in PersonRole.values:
        errors.append(error("peran_tidak_valid", "person_role", _("Peran tidak dikenal.")))
    if condition not in Condition.values:
        errors.append(error("kondisi_tidak_valid", "condition", _("Kondisi tidak dikenal.")))
    _check_when(occurred_at, "occurred_at", errors)
    check_text(note, "note", MAX_NOTE, errors)
    check_text(name, "name", MAX_NAME, errors)
    raise_if_any(errors)
    if puskesmas is None:
        puskesmas = sole_puskesmas_of(tps.kelurahan_id)
    now = timezone.now()
    with transaction.atomic():
        incident = HealthIncident.objects.create(
            election=entry_election(),
            tps=tps,
            person_role=person_role,
            condition=condition,
            first_condition=condition,
            occurred_at=occurred_at,
            puskesmas=puskesmas,
            note=note.strip(),
            name=name.strip(),
            reported_by=actor,
            created_at=now,
            updated_at=now,
        )
        record(
            actor=actor,
            action="health.incident_report",
            object_type="health_incident",
            object_id=incident.pk,
            # The name stays out of the audit log: the log is kept for ever.
            payload={
                "election": incident.election_id,
                "tps": tps.code,
                "person_role": person_role,
                "condition": condition,
                "occurred_at": occurred_at.isoformat(),
                "puskesmas": puskesmas.code if puskesmas else "",
                "named": bool(name.strip()),
            },
        )
    return incident


def incident_follow_up(
    *,
    actor: User,
    incident: HealthIncident,
    note: str,
    condition: str = "",
    puskesmas: Puskesmas | None = None,
    close: bool = False,
) -> FollowUp:
    """A step of the follow-up: a note, maybe a new condition or puskesmas, maybe the end."""
    refuse_unless(access.may_write(actor))
    errors: list[dict[str, str]] = []
    if not note.strip():
        errors.append(error("kunci_wajib", "note", _("Tulis tindak lanjutnya.")))
    check_text(note, "note", MAX_NOTE, errors)
    if condition and condition not in Condition.values:
        errors.append(error("kondisi_tidak_valid", "condition", _("Kondisi tidak dikenal.")))
    raise_if_any(errors)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            HealthIncident.objects.select_for_update(of=("self",))
            .select_related("election")
            .get(pk=incident.pk)
        )
        refuse_closed(locked.election)  # another election's cases are read-only
        if locked.status == IncidentStatus.DITUTUP:
            message = _("Kasus sudah ditutup.")
            raise HealthError(409, [error("sudah_ditutup", "", message)])
        followup = FollowUp.objects.create(
            incident=locked,
            at=now,
            actor=actor,
            note=note.strip(),
            condition=condition,
            puskesmas=puskesmas,
            closes=close,
        )
        if condition:
            locked.condition = condition
        if puskesmas is not None:
            locked.puskesmas = puskesmas
        if close:
            locked.status = IncidentStatus.DITUTUP
            locked.closed_at = now
        locked.updated_at = now
        locked.save()
        record(
            actor=actor,
            action="health.incident_follow_up",
            object_type="health_incident",
            object_id=locked.pk,
            payload={
                "followup": followup.pk,
                "condition": condition,
                "puskesmas": puskesmas.code if puskesmas else "",
                "closes": close,
            },
        )
    incident.refresh_from_db()
    return followup


def sole_puskesmas_of(kelurahan_code: str) -> Puskesmas | None:
    """The puskesmas that serves a kelurahan, when exactly one does (set or assumed)."""
    serving = list(Puskesmas.objects.filter(service_area__code=kelurahan_code)[:2])
    if not serving:
        serving = list(
            Puskesmas.objects.filter(service_area=None, kecamatan_id=kelurahan_code[:6])[:2]
        )
    return serving[0] if len(serving) == 1 else None


# --- Export -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    rows: int
    sha256: str


def incidents_export(
    *, actor: User, region: Region, incidents: Sequence[HealthIncident], with_names: bool
) -> ExportFile:
    """The incidents (already scoped by the caller) as XLSX, recorded in the audit log."""
    from deskpemilu.health.export import incidents_xlsx

    seq, head_hash = audit_head()
    content = incidents_xlsx(incidents, region=region, audit=(seq, head_hash), names=with_names)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        record(
            actor=actor,
            action="health.export",
            object_type="region",
            object_id=region.code,
            payload={"rows": len(incidents), "sha256": digest, "names": with_names},
        )
    stamp = timezone.localtime()
    return ExportFile(
        filename=f"kesehatan-{region.code}-{stamp:%Y%m%d-%H%M}.xlsx",
        content=content,
        rows=len(incidents),
        sha256=digest,
    )
