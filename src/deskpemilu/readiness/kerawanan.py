"""TPS vulnerability (kerawanan): who may set a TPS's level, the one write path (the page, the
API, the XLSX import and the demo all call `set_kerawanan` or `kerawanan_import`), and the reads
the list, the maps, the daily report and the incident filter share.

Polri and Bawaslu map every TPS as tidak rawan, rawan or sangat rawan before voting day, with
the reason and the officers posted there (four at a sangat rawan TPS in the 2024 Pilkada of
Mataram). Their liaisons and the desk set it; every setting is kept (`KerawananEntry`) and the
current level (`TpsKerawanan`) is written with it and its audit entry in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.audit.services import record
from deskpemilu.core.errors import Refusal
from deskpemilu.core.text import storable
from deskpemilu.readiness.models import Kerawanan, KerawananEntry, TpsKerawanan
from deskpemilu.regions.models import Region, Tps
from deskpemilu.regions.selectors import active_tps_by_code

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

# The liaisons of the two bodies that map TPS vulnerability.
SETTING_AGENCIES = ("polri", "bawaslu")
API_RULE = "scoped:admin,liaison(polri),liaison(bawaslu)"
LEVELS = [k.value for k in Kerawanan]
NOT_MAPPED = "belum_dinilai"
MAX_ALASAN = 500
MAX_PETUGAS = 50
MAX_NAMES = 20
MAX_NAME = 100
# Colours of the map layer: calm for tidak rawan, warm to dark red as the level rises.
COLOUR = {
    Kerawanan.TIDAK_RAWAN.value: "#a9d3b5",
    Kerawanan.RAWAN.value: "#f0b455",
    Kerawanan.SANGAT_RAWAN.value: "#c0392b",
}
NOT_MAPPED_COLOUR = "#e4e8ea"


def may_set_kerawanan(user: User) -> bool:
    """The desk, or a liaison of Polri or Bawaslu: the rule the service refuses by, and the
    page and the API ask first (to offer the form, to answer 403 before reading a body)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == "admin":
        return True
    agency = user.agency
    return user.role == "liaison" and agency is not None and agency.slug in SETTING_AGENCIES


def label(tingkat: str) -> str:
    if tingkat == NOT_MAPPED:
        return _("Belum dinilai")
    return str(Kerawanan(tingkat).label) if tingkat in LEVELS else tingkat


def legend() -> list[tuple[str, str]]:
    return [(COLOUR[k], label(k)) for k in reversed(LEVELS)] + [
        (NOT_MAPPED_COLOUR, label(NOT_MAPPED))
    ]


# --- Parsing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KerawananInput:
    tingkat: str
    alasan: str = ""
    petugas: int = 0
    nama_petugas: tuple[str, ...] = ()


def _problem(code: str, field: str, message: str) -> dict[str, str]:
    return {"code": code, "field": field, "message": message}


def _text_problem(value: Any, field: str, limit: int) -> dict[str, str] | None:
    if not isinstance(value, str):
        return _problem("bukan_teks", field, _("Harus teks."))
    if "\x00" in value or not storable(value):
        return _problem("bukan_teks", field, _("Teks berisi karakter yang tidak dapat disimpan."))
    if len(value) > limit:
        message = _("Paling panjang %s karakter.") % limit
        return _problem("terlalu_panjang", field, message)
    return None


def check_input(
    tingkat: Any, alasan: Any, petugas: Any, nama_petugas: Any = ()
) -> tuple[KerawananInput | None, list[dict[str, str]]]:
    """The values of one setting (the API body, a form, an import row) checked; every problem
    named by its field."""
    problems: list[dict[str, str]] = []
    if tingkat not in LEVELS:
        message = _("Tingkat harus tidak_rawan, rawan atau sangat_rawan.")
        problems.append(_problem("tingkat_tidak_valid", "tingkat", message))
    alasan = "" if alasan is None else alasan
    problem = _text_problem(alasan, "alasan", MAX_ALASAN)
    if problem:
        problems.append(problem)
    elif tingkat in (Kerawanan.RAWAN, Kerawanan.SANGAT_RAWAN) and not alasan.strip():
        message = _("Alasan wajib diisi untuk TPS rawan atau sangat rawan.")
        problems.append(_problem("alasan_wajib", "alasan", message))
    if isinstance(petugas, bool) or not isinstance(petugas, int):
        problems.append(_problem("bukan_bilangan_bulat", "petugas", _("Harus bilangan bulat.")))
    elif not 0 <= petugas <= MAX_PETUGAS:
        message = _("Jumlah petugas 0 sampai %s.") % MAX_PETUGAS
        problems.append(_problem("di_luar_batas", "petugas", message))
    names = _names(nama_petugas, problems)
    if isinstance(petugas, int) and not problems and len(names) > petugas:
        message = _("Nama petugas lebih banyak dari jumlah petugas.")
        problems.append(_problem("nama_lebih_dari_jumlah", "nama_petugas", message))
    if problems:
        return None, problems
    return KerawananInput(str(tingkat), alasan.strip(), int(petugas), names), []


def _names(value: Any, problems: list[dict[str, str]]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        problems.append(_problem("bukan_daftar", "nama_petugas", _("Harus daftar nama.")))
        return ()
    if len(value) > MAX_NAMES:
        message = _("Paling banyak %s nama.") % MAX_NAMES
        problems.append(_problem("terlalu_banyak", "nama_petugas", message))
        return ()
    names = []
    for i, name in enumerate(value):
        problem = _text_problem(name, f"nama_petugas.{i}", MAX_NAME)
        if problem:
            problems.append(problem)
        elif name.strip():
            names.append(name.strip())
    return tuple(names)


# --- Writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    tps: str
    tingkat: str
    alasan: str
    petugas: int
    nama_petugas: list[str]
    updated_at: datetime
    changed: bool


def refuse_unless_allowed(actor: User | None) -> None:
    # actor None: the command line and the demo seed, run by whoever runs the installation.
    if actor is not None and not may_set_kerawanan(actor):
        message = _("Hanya desk serta penghubung Polri dan Bawaslu yang menetapkan kerawanan TPS.")
        raise Refusal(403, "tidak_berhak", message)


def _same(current: TpsKerawanan | None, value: KerawananInput) -> bool:
    return (
        current is not None
        and current.tingkat == value.tingkat
        and current.alasan == value.alasan
        and current.petugas == value.petugas
        and list(current.nama_petugas) == list(value.nama_petugas)
    )


def _store(
    actor: User | None, tps: Tps, value: KerawananInput, at: datetime, source: str
) -> TpsKerawanan:
    entry = KerawananEntry.objects.create(
        tps=tps,
        tingkat=value.tingkat,
        alasan=value.alasan,
        petugas=value.petugas,
        nama_petugas=list(value.nama_petugas),
        actor=actor,
        at=at,
        source=source,
    )
    current, _created = TpsKerawanan.objects.update_or_create(
        tps=tps,
        defaults={
            "tingkat": value.tingkat,
            "alasan": value.alasan,
            "petugas": value.petugas,
            "nama_petugas": list(value.nama_petugas),
            "entry": entry,
            "updated_at": at,
        },
    )
    return current


def set_kerawanan(
    *,
    actor: User,
    tps: Tps,
    level: str,
    reason: str = "",
    officers: int = 0,
    officer_names: Sequence[str] = (),
    source: str = "web",
) -> Setting:
    """Set a TPS's level (the same values again record nothing). The caller fetched `tps`
    through accounts.access.get_tps_for (inside the actor's scope). Refusal 403/422."""
    refuse_unless_allowed(actor)
    value, problems = check_input(level, reason, officers, list(officer_names))
    if value is None:
        raise Refusal(422, errors=problems)
    at = timezone.now()
    with transaction.atomic():
        # The TPS row's lock queues two setters of one TPS; the second sees the first's level.
        Tps.objects.select_for_update().filter(pk=tps.pk).first()
        current = TpsKerawanan.objects.filter(tps=tps).first()
        before = current.tingkat if current else ""
        changed = not _same(current, value)
        if changed:
            current = _store(actor, tps, value, at, source)
            record(
                actor=actor,
                action="kerawanan.set",
                object_type="tps",
                object_id=tps.code,
                payload={
                    "tingkat": value.tingkat,
                    "sebelumnya": before,
                    "alasan": value.alasan,
                    "petugas": value.petugas,
                    "nama_petugas": list(value.nama_petugas),
                    "source": source,
                },
            )
    assert current is not None
    return Setting(
        tps=tps.code,
        tingkat=current.tingkat,
        alasan=current.alasan,
        petugas=current.petugas,
        nama_petugas=list(current.nama_petugas),
        updated_at=current.updated_at,
        changed=changed,
    )


@dataclass(frozen=True)
class ImportRow:
    line: int
    code: str
    value: KerawananInput


@dataclass(frozen=True)
class ImportResult:
    rows: int
    changed: int
    unchanged: int


def kerawanan_import(
    *,
    actor: User | None,
    rows: Sequence[ImportRow],
    source: str,
    file_name: str = "",
    sha256: str = "",
) -> ImportResult:
    """Every row set, all or none, with one audit entry for the file (each TPS's history still
    names the importer). The rows were checked and their TPS exist (readiness.kerawanan_file)."""
    refuse_unless_allowed(actor)
    at = timezone.now()
    with transaction.atomic():
        tps_by_code = active_tps_by_code(r.code for r in rows)
        current = {k.tps_id: k for k in TpsKerawanan.objects.filter(tps_id__in=list(tps_by_code))}
        changed = 0
        for row in rows:
            tps = tps_by_code[row.code]
            if _same(current.get(tps.pk), row.value):
                continue
            _store(actor, tps, row.value, at, source)
            changed += 1
        counts = {level: sum(1 for r in rows if r.value.tingkat == level) for level in LEVELS}
        record(
            actor=actor,
            action="kerawanan.import",
            object_type="kerawanan_file",
            object_id=sha256[:16],
            payload={
                "file": file_name,
                "sha256": sha256,
                "source": source,
                "rows": len(rows),
                "changed": changed,
                "counts": counts,
            },
        )
    return ImportResult(len(rows), changed, len(rows) - changed)


# --- Reading ------------------------------------------------------------------------------------


def kerawanan_for(user: User) -> QuerySet[TpsKerawanan]:
    """The current levels of the TPS inside `user`'s scope."""
    return TpsKerawanan.objects.filter(user.scope_filter("tps__code"))


def filtered(
    user: User, *, region: Region | None = None, tingkat: str = ""
) -> QuerySet[TpsKerawanan]:
    """The reader's TPS levels, narrowed to a region (fetched through the access helpers) and a
    level; the caller has checked `tingkat` is one of LEVELS or empty."""
    qs = kerawanan_for(user)
    if region is not None:
        qs = qs.filter(tps__code__startswith=region.code)
    if tingkat:
        qs = qs.filter(tingkat=tingkat)
    return qs


def counts(user: User, region: Region) -> dict[str, int]:
    """TPS per level under `region` (the reader's part of it), and those not yet mapped."""
    rows = (
        kerawanan_for(user)
        .filter(tps__code__startswith=region.code)
        .values("tingkat")
        .annotate(n=Count("tps"))
        .order_by()
    )
    result = dict.fromkeys(LEVELS, 0)
    result.update({r["tingkat"]: r["n"] for r in rows})
    total = Tps.objects.filter(user.scope_filter("code"), code__startswith=region.code).count()
    result[NOT_MAPPED] = max(0, total - sum(result[level] for level in LEVELS))
    return result


def area_counts(region: Region) -> dict[str, dict[str, int]]:
    """Per kelurahan under `region`: TPS per level (for the maps; one query)."""
    rows = (
        TpsKerawanan.objects.filter(tps__code__startswith=region.code)
        .values("tps__kelurahan_id", "tingkat")
        .annotate(n=Count("tps"))
        .order_by()
    )
    result: dict[str, dict[str, int]] = {}
    for r in rows:
        result.setdefault(r["tps__kelurahan_id"], dict.fromkeys(LEVELS, 0))[r["tingkat"]] = r["n"]
    return result


def worst(levels: dict[str, int]) -> str:
    for level in reversed(LEVELS):
        if levels.get(level):
            return level
    return NOT_MAPPED


def level_of(tps: Tps) -> TpsKerawanan | None:
    return TpsKerawanan.objects.filter(tps=tps).first()


def history(tps: Tps) -> list[KerawananEntry]:
    """Every setting of a TPS, newest first."""
    return list(
        KerawananEntry.objects.filter(tps=tps).select_related("actor").order_by("-at", "-id")
    )


def levels_of(codes: Iterable[str]) -> dict[str, str]:
    return dict(
        TpsKerawanan.objects.filter(tps_id__in=list(codes)).values_list("tps_id", "tingkat")
    )


def rawan_tps_q(field: str, tingkat: str) -> Q:
    """Rows whose TPS (`field`) is at `tingkat` — `rawan` meaning rawan or sangat rawan — for
    the incident filter."""
    levels = [Kerawanan.SANGAT_RAWAN.value]
    if tingkat == Kerawanan.RAWAN:
        levels.append(Kerawanan.RAWAN.value)
    ids = TpsKerawanan.objects.filter(tingkat__in=levels).values("tps_id")
    return Q(**{f"{field}__in": ids})
