"""Every write to health: incidents and their follow-ups, posts, duty shifts, puskesmas
readiness and service areas. One transaction each, with its audit entry."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.audit.services import head as audit_head
from deskpemilu.audit.services import record
from deskpemilu.health.models import (
    CheckStatus,
    Condition,
    DutyShift,
    FollowUp,
    HealthIncident,
    HealthPost,
    IncidentStatus,
    PersonRole,
    PuskesmasCheck,
    Shift,
)
from deskpemilu.regions.models import Level, Puskesmas, Region, Tps

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

MAX_NOTE = 2000
MAX_NAME = 100
MAX_STAFF = 500
# An NIK is 16 digits. A name or a note must never carry one (DESIGN.md: no NIK is stored).
NIK_PATTERN = re.compile(r"(?<!\d)\d{16}(?!\d)")
# The readiness of a puskesmas for the election (code, label).
PUSKESMAS_ITEMS: list[tuple[str, str]] = [
    ("posko", "Posko kesehatan berdiri"),
    ("ambulans", "Ambulans siaga"),
    ("obat", "Obat dan BMHP cukup"),
    ("petugas", "Petugas jaga terjadwal"),
    ("rujukan", "Rujukan ke rumah sakit terkoordinasi"),
    ("komunikasi", "Alat komunikasi (HP/HT) siap"),
]


class HealthError(Exception):
    """A refusal with an HTTP-like status and the errors behind it ({code, field, message})."""

    def __init__(self, status: int, errors: Sequence[dict[str, str]]) -> None:
        super().__init__(", ".join(e["code"] for e in errors))
        self.status = status
        self.errors = list(errors)


def _error(code: str, field: str, message: str) -> dict[str, str]:
    return {"code": code, "field": field, "message": message}


def _check_text(value: str, field: str, limit: int, errors: list[dict[str, str]]) -> None:
    if "\x00" in value:
        errors.append(_error("karakter_nul", field, _("Teks berisi karakter NUL.")))
    if len(value) > limit:
        errors.append(_error("terlalu_panjang", field, _("Paling panjang %s karakter.") % limit))
    if NIK_PATTERN.search(value):
        errors.append(
            _error("nik_dilarang", field, _("Jangan menulis NIK; nama saja sudah cukup."))
        )


def _check_when(value: datetime, field: str, errors: list[dict[str, str]]) -> None:
    now = timezone.now()
    if value > now + timedelta(minutes=10):
        errors.append(_error("waktu_di_masa_depan", field, _("Waktu tidak boleh di masa depan.")))
    if value < now - timedelta(days=366):
        errors.append(_error("waktu_terlalu_lama", field, _("Waktu lebih dari setahun lalu.")))


def _raise(errors: list[dict[str, str]]) -> None:
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
    errors: list[dict[str, str]] = []
    if person_role not in PersonRole.values:
        errors.append(_error("peran_tidak_valid", "person_role", _("Peran tidak dikenal.")))
    if condition not in Condition.values:
        errors.append(_error("kondisi_tidak_valid", "condition", _("Kondisi tidak dikenal.")))
    _check_when(occurred_at, "occurred_at", errors)
    _check_text(note, "note", MAX_NOTE, errors)
    _check_text(name, "name", MAX_NAME, errors)
    _raise(errors)
    if puskesmas is None:
        puskesmas = sole_puskesmas_of(tps.kelurahan_id)
    now = timezone.now()
    with transaction.atomic():
        incident = HealthIncident.objects.create(
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
    errors: list[dict[str, str]] = []
    if not note.strip():
        errors.append(_error("kunci_wajib", "note", _("Tulis tindak lanjutnya.")))
    _check_text(note, "note", MAX_NOTE, errors)
    if condition and condition not in Condition.values:
        errors.append(_error("kondisi_tidak_valid", "condition", _("Kondisi tidak dikenal.")))
    _raise(errors)
    now = timezone.now()
    with transaction.atomic():
        locked = HealthIncident.objects.select_for_update().get(pk=incident.pk)
        if locked.status == IncidentStatus.DITUTUP:
            message = _("Kasus sudah ditutup.")
            raise HealthError(409, [_error("sudah_ditutup", "", message)])
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


# --- Posts, shifts, readiness, service areas ---------------------------------------------------


@dataclass(frozen=True)
class PostInput:
    name: str
    address: str = ""
    hours: str = ""
    has_ambulance: bool = False
    phone: str = ""
    lat: float | None = None
    lon: float | None = None
    is_active: bool = True


def _check_post(data: PostInput) -> None:
    errors: list[dict[str, str]] = []
    if not data.name.strip():
        errors.append(_error("kunci_wajib", "name", _("Nama/tempat posko wajib diisi.")))
    for value, field, limit in (
        (data.name, "name", 150),
        (data.address, "address", 300),
        (data.hours, "hours", 60),
        (data.phone, "phone", 30),
    ):
        _check_text(value, field, limit, errors)
    if data.lat is not None and not -90 <= data.lat <= 90:
        errors.append(_error("di_luar_batas", "lat", _("Lintang -90 sampai 90.")))
    if data.lon is not None and not -180 <= data.lon <= 180:
        errors.append(_error("di_luar_batas", "lon", _("Bujur -180 sampai 180.")))
    _raise(errors)


def post_save(
    *, actor: User, puskesmas: Puskesmas, data: PostInput, post: HealthPost | None = None
) -> HealthPost:
    """Create a health post of a puskesmas, or change one (`post`)."""
    _check_post(data)
    with transaction.atomic():
        created = post is None
        if post is None:
            post = HealthPost(puskesmas=puskesmas)
        post.name = data.name.strip()
        post.address = data.address.strip()
        post.hours = data.hours.strip()
        post.has_ambulance = data.has_ambulance
        post.phone = data.phone.strip()
        post.lat, post.lon = data.lat, data.lon
        post.is_active = data.is_active
        post.updated_at = timezone.now()
        post.updated_by = actor
        post.save()
        record(
            actor=actor,
            action="health.post_save",
            object_type="health_post",
            object_id=post.pk,
            payload={
                "created": created,
                "puskesmas": puskesmas.code,
                "name": post.name,
                "hours": post.hours,
                "has_ambulance": post.has_ambulance,
                "is_active": post.is_active,
            },
        )
    return post


@dataclass(frozen=True)
class ShiftInput:
    date: date
    shift: str
    dokter: int = 0
    perawat: int = 0
    bidan: int = 0
    sopir_ambulans: int = 0
    note: str = ""


STAFF_FIELDS = ("dokter", "perawat", "bidan", "sopir_ambulans")


def shift_save(*, actor: User, puskesmas: Puskesmas, data: ShiftInput) -> tuple[DutyShift, bool]:
    """Set the staff on duty of a puskesmas for one shift (replacing what was set; the audit
    log keeps every earlier count). Returns the shift and whether it is new."""
    errors: list[dict[str, str]] = []
    if data.shift not in Shift.values:
        errors.append(_error("sif_tidak_valid", "shift", _("Sif: pagi, siang atau malam.")))
    for field in STAFF_FIELDS:
        value = getattr(data, field)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_STAFF:
            errors.append(_error("di_luar_batas", field, _("Jumlah 0 sampai 500.")))
    _check_text(data.note, "note", 300, errors)
    if not 2000 <= data.date.year <= 2100:
        errors.append(_error("di_luar_batas", "date", _("Tanggal tidak masuk akal.")))
    _raise(errors)
    counts = {f: getattr(data, f) for f in STAFF_FIELDS}
    with transaction.atomic():
        row, created = DutyShift.objects.select_for_update().update_or_create(
            puskesmas=puskesmas,
            date=data.date,
            shift=data.shift,
            defaults={
                **counts,
                "note": data.note.strip(),
                "updated_at": timezone.now(),
                "updated_by": actor,
            },
        )
        record(
            actor=actor,
            action="health.shift_save",
            object_type="duty_shift",
            object_id=row.pk,
            payload={
                "puskesmas": puskesmas.code,
                "date": data.date.isoformat(),
                "shift": data.shift,
                **counts,
            },
        )
    return row, created


def puskesmas_check(
    *, actor: User, puskesmas: Puskesmas, entries: Mapping[str, tuple[str, str]]
) -> list[str]:
    """Report items of a puskesmas's readiness: {item: (status, catatan)}. Only changes are
    kept. Returns the items that changed."""
    known = dict(PUSKESMAS_ITEMS)
    errors: list[dict[str, str]] = []
    for code, (status, catatan) in entries.items():
        if code not in known:
            errors.append(_error("butir_tidak_dikenal", f"items.{code}"[:80], _("Butir?")))
        elif status not in CheckStatus.values:
            message = _("Status harus siap, belum atau bermasalah.")
            errors.append(_error("status_tidak_valid", f"items.{code}.status", message))
        else:
            _check_text(catatan, f"items.{code}.catatan", 500, errors)
    _raise(errors)
    now = timezone.now()
    with transaction.atomic():
        current = {c.item: c for c in current_checks([puskesmas]).get(puskesmas.pk, [])}
        changed = []
        for code, (status, catatan) in entries.items():
            old = current.get(code)
            if old is not None and old.status == status and old.catatan == catatan.strip():
                continue
            PuskesmasCheck.objects.create(
                puskesmas=puskesmas,
                item=code,
                status=status,
                catatan=catatan.strip(),
                actor=actor,
                at=now,
            )
            changed.append(code)
        if changed:
            record(
                actor=actor,
                action="health.puskesmas_check",
                object_type="puskesmas",
                object_id=puskesmas.code,
                payload={"items": {c: entries[c][0] for c in changed}},
            )
    return changed


def current_checks(puskesmas: Sequence[Puskesmas]) -> dict[int, list[PuskesmasCheck]]:
    """The latest report of each item, per puskesmas (one query)."""
    latest: dict[tuple[int, str], PuskesmasCheck] = {}
    rows = PuskesmasCheck.objects.filter(puskesmas__in=list(puskesmas)).order_by("at", "id")
    for row in rows:
        latest[(row.puskesmas_id, row.item)] = row
    result: dict[int, list[PuskesmasCheck]] = {}
    for (pk, _item), row in latest.items():
        result.setdefault(pk, []).append(row)
    return result


def service_area_set(*, actor: User, puskesmas: Puskesmas, kelurahan: Sequence[Region]) -> None:
    """Set the kelurahan a puskesmas serves (the desk's knowledge replaces the assumption that
    a puskesmas serves its whole kecamatan)."""
    if not kelurahan:
        message = _("Pilih sedikitnya satu kelurahan.")
        raise HealthError(422, [_error("kunci_wajib", "kelurahan", message)])
    if any(k.level not in (Level.KELURAHAN, Level.DESA) for k in kelurahan):
        message = _("Wilayah layanan berupa kelurahan/desa.")
        raise HealthError(422, [_error("bukan_kelurahan", "kelurahan", message)])
    codes = sorted({k.code for k in kelurahan})
    with transaction.atomic():
        before = sorted(puskesmas.service_area.values_list("code", flat=True))
        puskesmas.service_area.set(list(kelurahan))
        record(
            actor=actor,
            action="health.service_area_set",
            object_type="puskesmas",
            object_id=puskesmas.code,
            payload={"before": before, "after": codes},
        )


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
