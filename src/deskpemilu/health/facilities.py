"""The health desk's puskesmas side: its posts, duty shifts and staff, its election readiness
checks, and the kelurahan it serves; each write in one transaction with its audit entry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.audit.services import record
from deskpemilu.health import access
from deskpemilu.health.models import CheckStatus, DutyShift, HealthPost, PuskesmasCheck, Shift
from deskpemilu.health.services import HealthError, check_text, error, raise_if_any, refuse_unless
from deskpemilu.regions.models import Level, Puskesmas, Region

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

MAX_STAFF = 500
# The readiness of a puskesmas for the election (code, label).
PUSKESMAS_ITEMS: list[tuple[str, str]] = [
    ("posko", "Posko kesehatan berdiri"),
    ("ambulans", "Ambulans siaga"),
    ("obat", "Obat dan BMHP cukup"),
    ("petugas", "Petugas jaga terjadwal"),
    ("rujukan", "Rujukan ke rumah sakit terkoordinasi"),
    ("komunikasi", "Alat komunikasi (HP/HT) siap"),
]


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
        errors.append(error("kunci_wajib", "name", _("Nama/tempat posko wajib diisi.")))
    for value, field, limit in (
        (data.name, "name", 150),
        (data.address, "address", 300),
        (data.hours, "hours", 60),
        (data.phone, "phone", 30),
    ):
        check_text(value, field, limit, errors)
    if data.lat is not None and not -90 <= data.lat <= 90:
        errors.append(error("di_luar_batas", "lat", _("Lintang -90 sampai 90.")))
    if data.lon is not None and not -180 <= data.lon <= 180:
        errors.append(error("di_luar_batas", "lon", _("Bujur -180 sampai 180.")))
    raise_if_any(errors)


def post_save(
    *, actor: User, puskesmas: Puskesmas, data: PostInput, post: HealthPost | None = None
) -> HealthPost:
    """Create a health post of a puskesmas, or change one (`post`)."""
    refuse_unless(access.may_write(actor))
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
    refuse_unless(access.may_write(actor))
    errors: list[dict[str, str]] = []
    if data.shift not in Shift.values:
        errors.append(error("sif_tidak_valid", "shift", _("Sif: pagi, siang atau malam.")))
    for field in STAFF_FIELDS:
        value = getattr(data, field)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_STAFF:
            errors.append(error("di_luar_batas", field, _("Jumlah 0 sampai 500.")))
    check_text(data.note, "note", 300, errors)
    if not 2000 <= data.date.year <= 2100:
        errors.append(error("di_luar_batas", "date", _("Tanggal tidak masuk akal.")))
    raise_if_any(errors)
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
    refuse_unless(access.may_write(actor))
    known = dict(PUSKESMAS_ITEMS)
    errors: list[dict[str, str]] = []
    for code, (status, catatan) in entries.items():
        if code not in known:
            errors.append(error("butir_tidak_dikenal", f"items.{code}"[:80], _("Butir?")))
        elif status not in CheckStatus.values:
            message = _("Status harus siap, belum atau bermasalah.")
            errors.append(error("status_tidak_valid", f"items.{code}.status", message))
        else:
            check_text(catatan, f"items.{code}.catatan", 500, errors)
    raise_if_any(errors)
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
    refuse_unless(access.may_set_service_area(actor))
    if not kelurahan:
        message = _("Pilih sedikitnya satu kelurahan.")
        raise HealthError(422, [error("kunci_wajib", "kelurahan", message)])
    if any(k.level not in (Level.KELURAHAN, Level.DESA) for k in kelurahan):
        message = _("Wilayah layanan berupa kelurahan/desa.")
        raise HealthError(422, [error("bukan_kelurahan", "kelurahan", message)])
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
