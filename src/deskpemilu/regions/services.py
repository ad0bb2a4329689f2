"""Every write to regions and TPS: TPS imports, the region counts, the TPS export. The Kota
Mataram seed is in regions.seed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.audit.services import head as audit_head
from deskpemilu.audit.services import record
from deskpemilu.core.heads import head_text
from deskpemilu.elections.models import Election
from deskpemilu.regions import installation
from deskpemilu.regions.models import BARE_KEY_ELECTION, Level, Region, Tps, dotted, tps_key
from deskpemilu.regions.region_file import (
    Boundary,
    RegionFileError,
    RegionProblem,
    parent_of,
    read_boundaries,
    read_regions,
)
from deskpemilu.regions.signals import regions_created
from deskpemilu.regions.tps_file import (
    MAX_PROBLEMS,
    RowProblem,
    TpsFileError,
    TpsRow,
    check_rows,
    export_rows,
    is_ascii_digits,
    read_cells,
    write_csv,
    write_xlsx,
)

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


def undotted(code: str) -> str:
    return code.replace(".", "").strip()


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    sha256: str


def recount_regions(codes: Iterable[str] | None = None) -> None:
    """Recompute the TPS count and DPT, per election and for the active one, of the kelurahan
    holding `codes` (TPS keys or region codes) and of their ancestors; all regions when `codes`
    is None. One GROUP BY for the kelurahan, one read per level above."""
    if codes is None:
        kelurahan = set(
            Region.objects.filter(level__in=[Level.KELURAHAN, Level.DESA]).values_list(
                "code", flat=True
            )
        )
    else:
        kelurahan = {c[:10] for c in codes if len(c) >= 10}
    active = Election.objects.filter(active=True).values_list("code", flat=True).first() or ""
    sums: dict[str, dict[str, list[int]]] = {}
    for row in (
        Tps.every.filter(kelurahan_id__in=kelurahan)
        .values("kelurahan_id", "election_id")
        .annotate(n=Count("code"), dpt_l=Sum("dpt_l"), dpt_p=Sum("dpt_p"))
        .order_by()
    ):
        sums.setdefault(row["kelurahan_id"], {})[row["election_id"]] = [
            row["n"],
            row["dpt_l"] or 0,
            row["dpt_p"] or 0,
        ]
    _write_counts(kelurahan, sums, active)
    level_codes = kelurahan
    for length in (6, 4, 2):
        parents = {c[:length] for c in level_codes}
        sums = {}
        for child in Region.objects.filter(parent_id__in=parents).only(
            "parent_id", "election_counts"
        ):
            own = sums.setdefault(child.parent_id or "", {})
            for election, counts in child.election_counts.items():
                total = own.setdefault(election, [0, 0, 0])
                for i in range(3):
                    total[i] += counts[i]
        _write_counts(parents, sums, active)
        level_codes = parents


def _write_counts(codes: set[str], sums: dict[str, dict[str, list[int]]], active: str) -> None:
    regions = list(Region.objects.filter(code__in=codes))
    for region in regions:
        region.election_counts = sums.get(region.code, {})
        region.tps_count, region.dpt_l, region.dpt_p = region.election_counts.get(active, [0, 0, 0])
    Region.objects.bulk_update(
        regions, ["tps_count", "dpt_l", "dpt_p", "election_counts"], batch_size=1000
    )


def _unknown_kelurahan(rows: list[TpsRow]) -> list[RowProblem]:
    """A problem for each row whose kelurahan is not in the region data (rows whose code is
    malformed already have theirs)."""
    well_formed = [r for r in rows if len(r.code) == 13 and is_ascii_digits(r.code)]
    known = set(
        Region.objects.filter(
            code__in={r.code[:10] for r in well_formed}, level__in=[Level.KELURAHAN, Level.DESA]
        ).values_list("code", flat=True)
    )
    return [
        RowProblem(r.line, "kode_tps", _("kelurahan %s tidak ada di data wilayah") % r.code[:10])
        for r in well_formed
        if r.code[:10] not in known
    ]


def apply_rows(
    rows: list[TpsRow],
    *,
    demo: bool,
    progress: Callable[[int], None] | None,
    election: str = BARE_KEY_ELECTION,
) -> tuple[int, int, int]:
    """Create or update the TPS of `rows` as TPS of `election` (its own set: the same code in
    another election is another row)."""
    problems = _unknown_kelurahan(rows)
    if problems:
        raise TpsFileError(problems[:MAX_PROBLEMS])
    keys = {r.code: tps_key(r.code, election) for r in rows}
    existing = {t.code: t for t in Tps.every.filter(code__in=keys.values())}
    created = updated = unchanged = 0
    new: list[Tps] = []
    changed: list[Tps] = []
    for i, r in enumerate(rows, start=1):
        fields = {
            "number": r.number,
            "address": r.address,
            "dpt_l": r.dpt_l,
            "dpt_p": r.dpt_p,
            "lat": r.lat,
            "lon": r.lon,
            "is_demo": demo,
        }
        tps = existing.get(keys[r.code])
        if tps is None:
            new.append(
                Tps(code=keys[r.code], election_id=election, kelurahan_id=r.code[:10], **fields)
            )
            created += 1
        elif any(getattr(tps, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(tps, k, v)
            changed.append(tps)
            updated += 1
        else:
            unchanged += 1
        if progress is not None and i % 500 == 0:
            progress(500)
    Tps.every.bulk_create(new, batch_size=1000)
    Tps.every.bulk_update(
        changed, ["number", "address", "dpt_l", "dpt_p", "lat", "lon", "is_demo"], batch_size=1000
    )
    if progress is not None:
        progress(len(rows) % 500)
    return created, updated, unchanged


def tps_import(
    *,
    actor: User | None,
    name: str,
    data: bytes,
    source: str = "web",
    demo: bool = False,
    election: Election | None = None,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
) -> ImportResult:
    """Create or update every TPS of the file as TPS of `election` (the active one when None),
    all or nothing. Raises TpsFileError."""
    if election is None:
        election = Election.objects.filter(active=True).first()
        if election is None:
            raise TpsFileError([RowProblem(0, "", _("Tidak ada pemilihan yang aktif."))])
    rows, problems = check_rows(read_cells(name, data))
    # Every problem at once, the unknown kelurahan too, so one correction round is enough.
    problems = sorted([*problems, *_unknown_kelurahan(rows)], key=lambda p: p.line)
    if problems:
        raise TpsFileError(problems[:MAX_PROBLEMS])
    if not rows:
        raise TpsFileError([RowProblem(0, "", _("Berkas tidak berisi baris TPS."))])
    if total is not None:
        total(len(rows))
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        created, updated, unchanged = apply_rows(
            rows, demo=demo, progress=progress, election=election.code
        )
        if created or updated:
            recount_regions({r.code for r in rows})
        record(
            actor=actor,
            action="tps.import",
            object_type="tps_file",
            object_id=digest[:16],
            payload={
                "file": Path(name).name,
                "sha256": digest,
                "source": source,
                "rows": len(rows),
                "created": created,
                "updated": updated,
                "demo": demo,
                "election": election.code,
            },
        )
    return ImportResult(created, updated, unchanged, digest)


ExportFormat = Literal["csv", "xlsx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx")
CONTENT_TYPES: dict[ExportFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes
    rows: int
    sha256: str
    # The audit chain's head when the file was made, printed on the export (DESIGN.md) so a
    # copy kept elsewhere can later prove the log was not rewritten.
    audit_seq: int
    audit_head: str


def tps_export(
    *,
    actor: User | None,
    region: Region,
    tps: QuerySet[Tps],
    fmt: ExportFormat,
    source: str = "web",
    election: str = "",
) -> ExportFile:
    """The TPS of `tps` under `region` in the import format (so it round-trips), recorded in
    the audit log with `election`, whose TPS they are. The caller scopes `tps` to what the
    actor may see."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    rows = list(
        tps.filter(code__startswith=region.code)
        .order_by("code")
        .only("code", "number", "address", "dpt_l", "dpt_p", "lat", "lon")
    )
    # Read before the transaction: the file is built outside the write lock, and a head that
    # existed just before this export is as good a witness as the one right after it.
    seq, head_hash = audit_head()
    now = timezone.localtime()
    if fmt == "csv":
        content = write_csv(export_rows(rows)).encode("utf-8")
    else:
        info: list[list[object]] = [
            ["Desk Pemilu", "ekspor TPS"],
            ["wilayah", region.code, region.name],
            ["waktu", now.strftime("%Y-%m-%d %H:%M:%S %z")],
            ["jumlah TPS", len(rows)],
            ["kepala rantai audit", head_text(seq, head_hash)],
        ]
        content = write_xlsx(export_rows(rows), info)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        record(
            actor=actor,
            action="tps.export",
            object_type="region",
            object_id=region.code,
            payload={
                "format": fmt,
                "rows": len(rows),
                "sha256": digest,
                "source": source,
                "election": election,
                "audit_seq_in_file": seq,
            },
        )
    return ExportFile(
        filename=f"tps-{region.code}-{now:%Y%m%d-%H%M}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
        content=content,
        rows=len(rows),
        sha256=digest,
        audit_seq=seq,
        audit_head=head_hash,
    )


@dataclass(frozen=True)
class RegionLoadResult:
    created: int
    renamed: int
    unchanged: int
    boundaries: int
    sha256: str


def regions_load(
    *,
    actor: User | None,
    name: str,
    data: bytes,
    boundaries: bytes | None = None,
    source: str = "command",
) -> RegionLoadResult:
    """Create the regions of a region file (see regions.region_file), rename those whose name
    changed, and set the boundaries given; all or nothing. Running it again changes nothing.
    Raises RegionFileError with every problem (a region already loaded under another level, a
    parent in neither the file nor the database, a boundary of an unknown region)."""
    rows, problems = read_regions(name, data)
    shapes = read_boundaries(boundaries) if boundaries is not None else []
    digest = hashlib.sha256(data + (boundaries or b"")).hexdigest()
    codes = {r.code for r in rows}
    with transaction.atomic():
        wanted = codes | {parent_of(c) for c in codes} | {s.code for s in shapes}
        existing = {
            r.code: r
            for r in Region.objects.select_for_update()
            .filter(code__in=wanted - {""})
            .only("code", "name", "level", "parent_id", "boundary", "label_lat", "label_lon")
        }
        # The file's own problems and those against the database, all in one answer.
        for row in rows:
            found = existing.get(row.code)
            if found is not None and found.level != row.level:
                message = _("%(code)s sudah dimuat sebagai %(old)s, bukan %(new)s") % {
                    "code": dotted(row.code),
                    "old": found.level,
                    "new": row.level,
                }
                problems.append(RegionProblem(row.line, "tingkat_berbeda", message))
            parent = parent_of(row.code)
            if parent and parent not in codes and parent not in existing:
                message = _("induk %(parent)s tidak ada di berkas maupun di data wilayah") % {
                    "parent": dotted(parent)
                }
                problems.append(RegionProblem(row.line, "induk_tidak_ada", message))
        for number, shape in enumerate(shapes, start=1):
            if shape.code not in codes and shape.code not in existing:
                message = _("batas untuk %s, wilayah yang tidak ada") % dotted(shape.code)
                problems.append(RegionProblem(number, "batas_tanpa_wilayah", message))
        if problems:
            raise RegionFileError(sorted(problems, key=lambda p: p.line)[:MAX_PROBLEMS])
        created = renamed = unchanged = 0
        # Parents first, so each new row's parent exists when it is inserted.
        new = [
            Region(code=r.code, name=r.name, level=r.level, parent_id=parent_of(r.code) or None)
            for r in sorted(rows, key=lambda r: (len(r.code), r.code))
            if r.code not in existing
        ]
        created = len(new)
        Region.objects.bulk_create(new, batch_size=1000)
        if new:
            regions_created.send(sender=Region, codes=[r.code for r in new])
        changed: list[Region] = []
        for row in rows:
            found = existing.get(row.code)
            if found is None:
                continue
            if found.name != row.name:
                found.name = row.name
                changed.append(found)
                renamed += 1
            else:
                unchanged += 1
        Region.objects.bulk_update(changed, ["name"], batch_size=1000)
        drawn = _set_boundaries(shapes)
        if created or renamed or drawn:
            record(
                actor=actor,
                action="regions.load",
                object_type="region_file",
                object_id=digest[:16],
                payload={
                    "file": Path(name).name,
                    "sha256": digest,
                    "source": source,
                    "rows": len(rows),
                    "created": created,
                    "renamed": renamed,
                    "boundaries": drawn,
                },
            )
        # Now for this transaction's own reads, and again once others can see the change.
        installation.forget()
        transaction.on_commit(installation.forget)
    return RegionLoadResult(created, renamed, unchanged, drawn, digest)


def _set_boundaries(shapes: list[Boundary]) -> int:
    regions = {
        r.code: r
        for r in Region.objects.filter(code__in=[s.code for s in shapes]).only(
            "code", "boundary", "label_lat", "label_lon"
        )
    }
    changed = []
    for shape in shapes:
        region = regions[shape.code]
        values = (shape.geometry, shape.label_lat, shape.label_lon)
        if (region.boundary, region.label_lat, region.label_lon) != values:
            region.boundary, region.label_lat, region.label_lon = values
            changed.append(region)
    Region.objects.bulk_update(changed, ["boundary", "label_lat", "label_lon"], batch_size=500)
    return len(changed)
