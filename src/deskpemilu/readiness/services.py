"""A report on a TPS's items (parsed, checked, stored), and the audited export. The checklist's
configuration is in readiness.configuration; the summaries and rollups in readiness.rollups.

A report, the TPS's current state, its summary, the region rollups above it and the audit entry
are written in one transaction: a reader never sees a city total that disagrees with the TPS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.audit.services import head as audit_head
from deskpemilu.audit.services import record
from deskpemilu.core.errors import Refusal
from deskpemilu.core.photos import StoredPhoto
from deskpemilu.core.text import storable
from deskpemilu.readiness.checklist import items_in_force, target_for
from deskpemilu.readiness.models import (
    ChecklistItem,
    ReadinessReport,
    Source,
    Status,
    TpsItemState,
    TpsReadiness,
)
from deskpemilu.readiness.rollups import counts, flags, move_rollups
from deskpemilu.regions.models import Region, Tps

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

WRITING_ROLES = {"operator", "lurah", "camat", "admin"}
MAX_JUMLAH = 100_000
MAX_CATATAN = 1000
ITEM_KEYS = {"status", "jumlah", "catatan"}


class ReadinessError(Refusal):
    """A refusal with an HTTP-like status and the errors behind it ({code, field, message})."""

    def __init__(self, status: int, errors: Sequence[dict[str, str]]) -> None:
        super().__init__(status, errors=errors)


def error(code: str, field_name: str, message: str) -> dict[str, str]:
    return {"code": code, "field": field_name[:80], "message": message}


@dataclass(frozen=True)
class ItemInput:
    status: str
    jumlah: int | None = None
    catatan: str = ""
    photo: StoredPhoto | None = None


@dataclass(frozen=True)
class Reported:
    tps: str
    percent_ready: float
    ready: bool
    items_ready: int
    items_total: int
    changed: list[str] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


# --- Parsing a report (the API body; the page builds the same shape) ----------------------------


def _parse_jumlah(value: Any, item: ChecklistItem, where: str) -> tuple[int | None, list[Any]]:
    if value is None:
        return None, []
    if isinstance(value, bool) or not isinstance(value, int):
        return None, [error("bukan_bilangan_bulat", where, _("Jumlah harus bilangan bulat."))]
    if not 0 <= value <= MAX_JUMLAH:
        return None, [error("di_luar_batas", where, _("Jumlah harus 0 sampai 100.000."))]
    if not item.needs_quantity:
        return None, [error("jumlah_tidak_dipakai", where, _("Butir ini tanpa jumlah."))]
    return value, []


def _parse_entry(code: str, entry: Any, item: ChecklistItem) -> tuple[ItemInput | None, list[Any]]:
    where = f"items.{code}"
    if not isinstance(entry, dict):
        return None, [error("bukan_objek", where, _("Isian butir harus berupa objek."))]
    errors = [
        error("kunci_tidak_dikenal", f"{where}.{key}", _("Kunci tidak dikenal."))
        for key in entry
        if key not in ITEM_KEYS
    ]
    status = entry.get("status")
    if status is None:
        errors.append(error("kunci_wajib", f"{where}.status", _("Status wajib diisi.")))
    elif status not in Status.values:
        message = _("Status harus siap, belum atau bermasalah.")
        errors.append(error("status_tidak_valid", f"{where}.status", message))
    jumlah, problems = _parse_jumlah(entry.get("jumlah"), item, f"{where}.jumlah")
    errors += problems
    catatan = entry.get("catatan", "")
    if catatan is None:
        catatan = ""
    if not isinstance(catatan, str):
        errors.append(error("bukan_teks", f"{where}.catatan", _("Catatan harus teks.")))
    elif "\x00" in catatan:
        errors.append(error("karakter_nul", f"{where}.catatan", _("Catatan berisi karakter NUL.")))
    elif not storable(catatan):  # a lone surrogate (JSON "\ud800"): no text, no database takes it
        errors.append(error("bukan_teks", f"{where}.catatan", _("Catatan harus teks.")))
    elif len(catatan) > MAX_CATATAN:
        message = _("Catatan paling panjang 1.000 karakter.")
        errors.append(error("terlalu_panjang", f"{where}.catatan", message))
    if errors:
        return None, errors
    return ItemInput(str(status), jumlah, str(catatan).strip()), []


def parse_report(body: Any, items: Mapping[str, ChecklistItem]) -> dict[str, ItemInput]:
    """`{"items": {code: {status, jumlah?, catatan?}}}` → inputs; ReadinessError(422) naming
    every field that is wrong, and nothing stored."""
    if not isinstance(body, dict):
        raise ReadinessError(422, [error("bukan_objek", "", _("Isi harus berupa objek JSON."))])
    errors = [
        error("kunci_tidak_dikenal", str(key), _("Kunci tidak dikenal."))
        for key in body
        if key != "items"
    ]
    entries = body.get("items")
    if not isinstance(entries, dict) or not entries:
        message = _("Isi `items` dengan sedikitnya satu butir.")
        raise ReadinessError(422, [*errors, error("kunci_wajib", "items", message)])
    parsed: dict[str, ItemInput] = {}
    for code, entry in entries.items():
        item = items.get(str(code))
        if item is None:
            message = _("Butir tidak dikenal atau tidak berlaku.")
            errors.append(error("butir_tidak_dikenal", f"items.{code}", message))
            continue
        value, problems = _parse_entry(str(code), entry, item)
        errors += problems
        if value is not None:
            parsed[str(code)] = value
    if errors:
        raise ReadinessError(422, errors)
    return parsed


# --- Reporting --------------------------------------------------------------------------------


def _lock_summary(tps: Tps) -> TpsReadiness:
    # Concurrent first reports: one insert wins, the other finds it; then every writer of this
    # TPS queues on the row lock.
    TpsReadiness.objects.bulk_create([TpsReadiness(tps=tps)], ignore_conflicts=True)
    return TpsReadiness.objects.select_for_update().get(tps=tps)


def _unchanged(state: TpsItemState | None, entry: ItemInput) -> bool:
    return (
        state is not None
        and entry.photo is None
        and state.status == entry.status
        and state.jumlah == entry.jumlah
        and state.catatan == entry.catatan
    )


def _store_item(
    *,
    actor: User,
    tps: Tps,
    item: ChecklistItem,
    entry: ItemInput,
    state: TpsItemState | None,
    at: datetime,
    source: str,
) -> None:
    photo = entry.photo
    report = ReadinessReport.objects.create(
        tps=tps,
        item=item,
        status=entry.status,
        jumlah=entry.jumlah,
        catatan=entry.catatan,
        photo_sha256=photo.sha256 if photo else "",
        photo_path=photo.relative_path if photo else "",
        reporter=actor,
        at=at,
        source=source,
    )
    if state is None:
        TpsItemState.objects.create(
            tps=tps,
            item=item,
            status=entry.status,
            jumlah=entry.jumlah,
            catatan=entry.catatan,
            photo_sha256=report.photo_sha256,
            report=report,
            status_since=at,
            updated_at=at,
        )
        return
    if state.status != entry.status:
        state.status_since = at
    state.status = entry.status
    state.jumlah = entry.jumlah
    state.catatan = entry.catatan
    state.photo_sha256 = report.photo_sha256 or state.photo_sha256
    state.report = report
    state.updated_at = at
    state.save()


def quantity_warnings(
    tps: Tps, items: Mapping[str, ChecklistItem], entries: Mapping[str, ItemInput]
) -> list[dict[str, Any]]:
    """A quantity below its target is a warning: the status stays what the reporter chose."""
    warnings: list[dict[str, Any]] = []
    for code, entry in entries.items():
        target = target_for(items[code], tps)
        if entry.jumlah is not None and target is not None and entry.jumlah < target:
            message = _("%(label)s: %(jumlah)s, kurang dari target %(target)s.") % {
                "label": items[code].label,
                "jumlah": entry.jumlah,
                "target": target,
            }
            warnings.append(
                {
                    "item": code,
                    "code": "jumlah_kurang",
                    "jumlah": entry.jumlah,
                    "target": target,
                    "message": message,
                }
            )
    return warnings


def may_report(actor: User) -> bool:
    """Who may report a TPS's readiness: the one rule the service refuses by and the page and
    the API ask first (to offer the form, to answer 403 before reading a body)."""
    return actor.role in WRITING_ROLES


def readiness_report(
    *,
    actor: User,
    tps: Tps,
    entries: Mapping[str, ItemInput],
    source: str = Source.API,
) -> Reported:
    """Record the items of a TPS (any subset). An item whose status, quantity and note are the
    same as now, with no new photo, is not recorded again.

    The caller fetched `tps` through accounts.access.get_tps_for (inside the actor's scope)."""
    if not may_report(actor):
        message = _("Peran ini tidak melaporkan kesiapan.")
        raise ReadinessError(403, [error("tidak_berhak", "", message)])
    items = {i.code: i for i in items_in_force()}
    unknown = sorted(set(entries) - set(items))
    if unknown:
        message = _("Butir tidak dikenal atau tidak berlaku.")
        raise ReadinessError(
            422, [error("butir_tidak_dikenal", f"items.{c}", message) for c in unknown]
        )
    at = timezone.now()
    with transaction.atomic():
        summary = _lock_summary(tps)
        before = flags(summary)
        changed = _store_changes(actor, tps, items, entries, at, source)
        if changed:
            ready_count, problems, ready = counts(tps, len(items))
            summary.items_ready = ready_count
            summary.items_total = len(items)
            summary.problems = problems
            summary.ready = ready
            summary.updated_at = at
            summary.save()
            move_rollups(tps.code, before, flags(summary))
            record(
                actor=actor,
                action="readiness.report",
                object_type="tps",
                object_id=tps.code,
                payload={"items": changed, "source": source, "ready": ready},
            )
    return Reported(
        tps=tps.code,
        percent_ready=percent(summary.items_ready, summary.items_total or len(items)),
        ready=summary.ready,
        items_ready=summary.items_ready,
        items_total=summary.items_total or len(items),
        changed=sorted(changed),
        warnings=quantity_warnings(tps, items, entries),
    )


def _store_changes(
    actor: User,
    tps: Tps,
    items: Mapping[str, ChecklistItem],
    entries: Mapping[str, ItemInput],
    at: datetime,
    source: str,
) -> dict[str, dict[str, Any]]:
    """Store the entries that differ from the current state; what changed, for the audit."""
    states = {
        s.item_id: s
        for s in TpsItemState.objects.filter(tps=tps, item_id__in=[i.pk for i in items.values()])
    }
    changed: dict[str, dict[str, Any]] = {}
    for code, entry in entries.items():
        item = items[code]
        state = states.get(item.pk)
        if _unchanged(state, entry):
            continue
        _store_item(actor=actor, tps=tps, item=item, entry=entry, state=state, at=at, source=source)
        changed[code] = {
            "status": entry.status,
            "jumlah": entry.jumlah,
            "catatan": entry.catatan,
            "photo": entry.photo.sha256 if entry.photo else "",
        }
    return changed


# --- Export -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    rows: int
    sha256: str
    audit_seq: int
    audit_head: str


def readiness_export(
    *, actor: User, region: Region, at: datetime | None = None, source: str = "web"
) -> ExportFile:
    """Readiness per TPS under `region` (as it is, or as it was at `at`) as XLSX, recorded in the
    audit log. The caller has checked that the actor may see `region`."""
    from deskpemilu.readiness.export import readiness_xlsx

    seq, head_hash = audit_head()
    content, rows = readiness_xlsx(region, at=at, audit=(seq, head_hash))
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        record(
            actor=actor,
            action="readiness.export",
            object_type="region",
            object_id=region.code,
            payload={
                "rows": rows,
                "sha256": digest,
                "at": at.isoformat() if at else "",
                "source": source,
                "audit_seq_in_file": seq,
            },
        )
    stamp = timezone.localtime()
    return ExportFile(
        filename=f"kesiapan-{region.code}-{stamp:%Y%m%d-%H%M}.xlsx",
        content=content,
        rows=rows,
        sha256=digest,
        audit_seq=seq,
        audit_head=head_hash,
    )
