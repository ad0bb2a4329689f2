"""Every write to readiness: a report on a TPS's items, the checklist's configuration, exports.

A report, the TPS's current state, its summary, the region rollups above it and the audit entry
are written in one transaction: a reader never sees a city total that disagrees with the TPS.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.audit.services import head as audit_head
from deskpemilu.audit.services import record
from deskpemilu.core.photos import StoredPhoto
from deskpemilu.core.text import storable
from deskpemilu.readiness.checklist import items_in_force, target_for
from deskpemilu.readiness.models import (
    ChecklistItem,
    ReadinessReport,
    RegionReadiness,
    Source,
    Status,
    TargetRule,
    TpsItemState,
    TpsReadiness,
)
from deskpemilu.regions.models import Region, Tps

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

WRITING_ROLES = {"operator", "lurah", "camat", "admin"}
MAX_JUMLAH = 100_000
MAX_CATATAN = 1000
ITEM_KEYS = {"status", "jumlah", "catatan"}
ANCESTOR_LENGTHS = (2, 4, 6, 10)


class ReadinessError(Exception):
    """A refusal with an HTTP-like status and the errors behind it ({code, field, message})."""

    def __init__(self, status: int, errors: Sequence[dict[str, str]]) -> None:
        super().__init__(", ".join(e["code"] for e in errors))
        self.status = status
        self.errors = list(errors)


def _error(code: str, field_name: str, message: str) -> dict[str, str]:
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
        return None, [_error("bukan_bilangan_bulat", where, _("Jumlah harus bilangan bulat."))]
    if not 0 <= value <= MAX_JUMLAH:
        return None, [_error("di_luar_batas", where, _("Jumlah harus 0 sampai 100.000."))]
    if not item.needs_quantity:
        return None, [_error("jumlah_tidak_dipakai", where, _("Butir ini tanpa jumlah."))]
    return value, []


def _parse_entry(code: str, entry: Any, item: ChecklistItem) -> tuple[ItemInput | None, list[Any]]:
    where = f"items.{code}"
    if not isinstance(entry, dict):
        return None, [_error("bukan_objek", where, _("Isian butir harus berupa objek."))]
    errors = [
        _error("kunci_tidak_dikenal", f"{where}.{key}", _("Kunci tidak dikenal."))
        for key in entry
        if key not in ITEM_KEYS
    ]
    status = entry.get("status")
    if status is None:
        errors.append(_error("kunci_wajib", f"{where}.status", _("Status wajib diisi.")))
    elif status not in Status.values:
        message = _("Status harus siap, belum atau bermasalah.")
        errors.append(_error("status_tidak_valid", f"{where}.status", message))
    jumlah, problems = _parse_jumlah(entry.get("jumlah"), item, f"{where}.jumlah")
    errors += problems
    catatan = entry.get("catatan", "")
    if catatan is None:
        catatan = ""
    if not isinstance(catatan, str):
        errors.append(_error("bukan_teks", f"{where}.catatan", _("Catatan harus teks.")))
    elif "\x00" in catatan:
        errors.append(_error("karakter_nul", f"{where}.catatan", _("Catatan berisi karakter NUL.")))
    elif not storable(catatan):  # a lone surrogate (JSON "\ud800"): no text, no database takes it
        errors.append(_error("bukan_teks", f"{where}.catatan", _("Catatan harus teks.")))
    elif len(catatan) > MAX_CATATAN:
        message = _("Catatan paling panjang 1.000 karakter.")
        errors.append(_error("terlalu_panjang", f"{where}.catatan", message))
    if errors:
        return None, errors
    return ItemInput(str(status), jumlah, str(catatan).strip()), []


def parse_report(body: Any, items: Mapping[str, ChecklistItem]) -> dict[str, ItemInput]:
    """`{"items": {code: {status, jumlah?, catatan?}}}` → inputs; ReadinessError(422) naming
    every field that is wrong, and nothing stored."""
    if not isinstance(body, dict):
        raise ReadinessError(422, [_error("bukan_objek", "", _("Isi harus berupa objek JSON."))])
    errors = [
        _error("kunci_tidak_dikenal", str(key), _("Kunci tidak dikenal."))
        for key in body
        if key != "items"
    ]
    entries = body.get("items")
    if not isinstance(entries, dict) or not entries:
        message = _("Isi `items` dengan sedikitnya satu butir.")
        raise ReadinessError(422, [*errors, _error("kunci_wajib", "items", message)])
    parsed: dict[str, ItemInput] = {}
    for code, entry in entries.items():
        item = items.get(str(code))
        if item is None:
            message = _("Butir tidak dikenal atau tidak berlaku.")
            errors.append(_error("butir_tidak_dikenal", f"items.{code}", message))
            continue
        value, problems = _parse_entry(str(code), entry, item)
        errors += problems
        if value is not None:
            parsed[str(code)] = value
    if errors:
        raise ReadinessError(422, errors)
    return parsed


# --- Reporting --------------------------------------------------------------------------------


def ancestor_codes(tps_code: str) -> list[str]:
    return [tps_code[:n] for n in ANCESTOR_LENGTHS]


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


def _counts(tps: Tps, total: int) -> tuple[int, int, bool]:
    counts = TpsItemState.objects.filter(tps=tps, item__is_active=True).aggregate(
        ready=Count("pk", filter=Q(status=Status.SIAP)),
        problems=Count("pk", filter=Q(status=Status.BERMASALAH)),
    )
    ready, problems = int(counts["ready"]), int(counts["problems"])
    return ready, problems, total > 0 and ready == total


def _flags(summary: TpsReadiness) -> tuple[int, int, int]:
    """What one TPS contributes to a region: (ready, reported, with a problem)."""
    reported = summary.updated_at is not None
    return int(summary.ready), int(reported), int(reported and summary.problems > 0)


def _move_rollups(tps_code: str, before: tuple[int, int, int], after: tuple[int, int, int]) -> None:
    ready, reported, problem = (a - b for a, b in zip(after, before, strict=True))
    if not (ready or reported or problem):
        return
    codes = ancestor_codes(tps_code)
    existing = list(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    RegionReadiness.objects.bulk_create(
        [RegionReadiness(region_id=c) for c in existing], ignore_conflicts=True
    )
    # Lock in code order (province first), so two writers cannot deadlock.
    locked = list(
        RegionReadiness.objects.select_for_update()
        .filter(region_id__in=existing)
        .order_by("region_id")
        .values_list("region_id", flat=True)
    )
    RegionReadiness.objects.filter(region_id__in=locked).update(
        tps_ready=F("tps_ready") + ready,
        tps_reported=F("tps_reported") + reported,
        tps_problem=F("tps_problem") + problem,
        updated_at=timezone.now(),
    )


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


def readiness_report(
    *,
    actor: User,
    tps: Tps,
    entries: Mapping[str, ItemInput],
    source: str = Source.API,
) -> Reported:
    """Record the items of a TPS (any subset). An item whose status, quantity and note are the
    same as now, with no new photo, is not recorded again."""
    items = {i.code: i for i in items_in_force()}
    unknown = sorted(set(entries) - set(items))
    if unknown:
        message = _("Butir tidak dikenal atau tidak berlaku.")
        raise ReadinessError(
            422, [_error("butir_tidak_dikenal", f"items.{c}", message) for c in unknown]
        )
    at = timezone.now()
    with transaction.atomic():
        summary = _lock_summary(tps)
        before = _flags(summary)
        states = {
            s.item_id: s
            for s in TpsItemState.objects.filter(
                tps=tps, item_id__in=[i.pk for i in items.values()]
            )
        }
        changed: dict[str, dict[str, Any]] = {}
        for code, entry in entries.items():
            item = items[code]
            state = states.get(item.pk)
            if _unchanged(state, entry):
                continue
            _store_item(
                actor=actor, tps=tps, item=item, entry=entry, state=state, at=at, source=source
            )
            changed[code] = {
                "status": entry.status,
                "jumlah": entry.jumlah,
                "catatan": entry.catatan,
                "photo": entry.photo.sha256 if entry.photo else "",
            }
        if changed:
            ready_count, problems, ready = _counts(tps, len(items))
            summary.items_ready = ready_count
            summary.items_total = len(items)
            summary.problems = problems
            summary.ready = ready
            summary.updated_at = at
            summary.save()
            _move_rollups(tps.code, before, _flags(summary))
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


# --- The checklist's configuration ------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    code: str
    label: str
    needs_quantity: bool = False
    target_rule: str = TargetRule.NONE
    target_value: int | None = None
    help_text: str = ""
    ordering: int = 100
    is_active: bool = True


def _check_spec(spec: ItemSpec) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    code = spec.code
    if not (2 <= len(code) <= 40 and code.replace("_", "").isalnum() and code == code.lower()):
        errors.append(_error("kode_tidak_valid", "code", _("Kode: huruf kecil, angka dan _.")))
    if "\x00" in spec.label or "\x00" in spec.help_text:
        errors.append(_error("karakter_nul", "label", _("Teks berisi karakter NUL.")))
    if not spec.label.strip() or len(spec.label) > 120:
        errors.append(_error("nama_wajib", "label", _("Nama wajib diisi (paling 120 huruf).")))
    if spec.target_rule not in TargetRule.values:
        errors.append(
            _error("target_tidak_valid", "target_rule", _("Aturan target tidak dikenal."))
        )
    if spec.target_rule == TargetRule.FIXED and spec.target_value is None:
        errors.append(_error("target_wajib", "target_value", _("Isi jumlah target.")))
    if spec.target_rule != TargetRule.NONE and not spec.needs_quantity:
        message = _("Butir dengan target harus memakai jumlah.")
        errors.append(_error("perlu_jumlah", "needs_quantity", message))
    return errors


def checklist_item_save(*, actor: User, spec: ItemSpec) -> tuple[ChecklistItem, bool]:
    """Create or change an item of the checklist. When the items in force change, every TPS
    summary and region rollup is recomputed in the same transaction."""
    errors = _check_spec(spec)
    if errors:
        raise ReadinessError(422, errors)
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().filter(code=spec.code).first()
        created = item is None
        was_active = item.is_active if item else False
        if item is None:
            item = ChecklistItem(code=spec.code)
        item.label = spec.label.strip()
        item.needs_quantity = spec.needs_quantity
        item.target_rule = spec.target_rule
        item.target_value = spec.target_value if spec.target_rule == TargetRule.FIXED else None
        item.help_text = spec.help_text.strip()
        item.ordering = spec.ordering
        item.is_active = spec.is_active
        item.save()
        if was_active != item.is_active:
            rebuild_readiness()
        record(
            actor=actor,
            action="readiness.item_save",
            object_type="readiness_item",
            object_id=item.code,
            payload={
                "created": created,
                "label": item.label,
                "needs_quantity": item.needs_quantity,
                "target_rule": item.target_rule,
                "target_value": item.target_value,
                "is_active": item.is_active,
            },
        )
    return item, created


# --- Rollups recomputed from the states (after a checklist change, and for the invariant) -----


def expected_summaries() -> dict[str, tuple[int, int, int, bool]]:
    """Per TPS with any state: (items_ready, items_total, problems, ready) from the states."""
    total = ChecklistItem.objects.filter(is_active=True).count()
    rows = (
        TpsItemState.objects.values("tps_id")
        .annotate(
            ready=Count("pk", filter=Q(status=Status.SIAP, item__is_active=True)),
            problems=Count("pk", filter=Q(status=Status.BERMASALAH, item__is_active=True)),
        )
        .order_by()
    )
    return {
        r["tps_id"]: (r["ready"], total, r["problems"], total > 0 and r["ready"] == total)
        for r in rows
    }


def expected_rollups(
    summaries: Mapping[str, tuple[int, int, int, bool]],
) -> dict[str, Counter[str]]:
    existing = set(Region.objects.values_list("code", flat=True))
    sums: dict[str, Counter[str]] = {}
    for code, (_ready_items, _total, problems, ready) in summaries.items():
        for region in ancestor_codes(code):
            if region in existing:
                row = sums.setdefault(region, Counter())
                row["ready"] += int(ready)
                row["reported"] += 1
                row["problem"] += int(problems > 0)
    return sums


def rebuild_readiness() -> int:
    """Recompute every TPS summary and region rollup from the current states. Must run inside
    the transaction of the change that calls for it. Returns the number of TPS summarised."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rebuild_readiness must run inside a transaction")
    now = timezone.now()
    summaries = expected_summaries()
    last_change = dict(
        TpsItemState.objects.values("tps_id")
        .annotate(at=Max("updated_at"))
        .order_by()
        .values_list("tps_id", "at")
    )
    TpsReadiness.objects.all().delete()
    TpsReadiness.objects.bulk_create(
        [
            TpsReadiness(
                tps_id=code,
                items_ready=ready_items,
                items_total=total,
                problems=problems,
                ready=ready,
                updated_at=last_change.get(code) or now,
            )
            for code, (ready_items, total, problems, ready) in summaries.items()
        ],
        batch_size=2000,
    )
    RegionReadiness.objects.all().delete()
    RegionReadiness.objects.bulk_create(
        [
            RegionReadiness(
                region_id=code,
                tps_ready=row["ready"],
                tps_reported=row["reported"],
                tps_problem=row["problem"],
                updated_at=now,
            )
            for code, row in expected_rollups(summaries).items()
        ],
        batch_size=2000,
    )
    return len(summaries)


def check_readiness() -> list[str]:
    """Differences between the stored summaries/rollups and a recount (empty = consistent)."""
    summaries = expected_summaries()
    problems: list[str] = []
    stored = {
        s.tps_id: (s.items_ready, s.items_total, s.problems, s.ready)
        for s in TpsReadiness.objects.exclude(updated_at=None)
    }
    for code in sorted(set(stored) | set(summaries)):
        if stored.get(code) != summaries.get(code):
            problems.append(f"tps {code}: {stored.get(code)} != {summaries.get(code)}")
    rollups = expected_rollups(summaries)
    have = {
        r.region_id: (r.tps_ready, r.tps_reported, r.tps_problem)
        for r in RegionReadiness.objects.all()
    }
    for code in sorted(set(have) | set(rollups)):
        want = rollups.get(code, Counter())
        expected = (want["ready"], want["reported"], want["problem"])
        if have.get(code, (0, 0, 0)) != expected:
            problems.append(f"region {code}: {have.get(code)} != {expected}")
    return problems


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
