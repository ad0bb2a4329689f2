"""Readiness per TPS as an XLSX workbook: one row per TPS, one column per item.

Written by core/spreadsheet.py, which keeps every text cell from running as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.utils import timezone

from deskpemilu.core.heads import head_text
from deskpemilu.core.spreadsheet import XlsxBook
from deskpemilu.readiness.checklist import items_in_force, target_for
from deskpemilu.readiness.models import ChecklistItem, ReadinessReport, Status, TpsItemState
from deskpemilu.readiness.selectors import latest_reports
from deskpemilu.regions import installation
from deskpemilu.regions.models import Level, Region, Tps


def _states(region: Region, at: datetime | None) -> dict[tuple[str, int], tuple[object, ...]]:
    """(tps, item) → (status, jumlah, catatan), now or at `at`."""
    if at is None:
        rows: Iterable[tuple[object, ...]] = TpsItemState.objects.filter(
            tps__code__startswith=installation.prefix(region.code)
        ).values_list("tps_id", "item_id", "status", "jumlah", "catatan")
    else:
        rows = (r[:5] for r in latest_reports(installation.prefix(region.code), at))
    return {(str(r[0]), int(str(r[1]))): r[2:] for r in rows}


def _header(items: Sequence[ChecklistItem]) -> list[object]:
    """The TPS's columns, then per item its status (and its count and target when it has one)."""
    header: list[object] = ["kode_tps", "kecamatan", "kelurahan", "nomor", "dpt", "siap", "persen"]
    for item in items:
        header.append(item.label)
        if item.needs_quantity:
            header.append(f"{item.label} (jumlah)")
            header.append(f"{item.label} (target)")
    header.append("catatan masalah")
    return header


def _item_cells(
    tps: Tps, items: Sequence[ChecklistItem], states: dict[tuple[str, int], tuple[object, ...]]
) -> tuple[list[object], int, list[str]]:
    """A TPS's cells per item, how many items are ready, and the notes of the problem ones."""
    cells: list[object] = []
    ready = 0
    notes: list[str] = []
    for item in items:
        status, jumlah, catatan = states.get((tps.code, item.pk), (None, None, ""))
        ready += int(status == Status.SIAP)
        cells.append(str(status) if status else "")
        if item.needs_quantity:
            cells.append(jumlah)
            cells.append(target_for(item, tps))
        if status == Status.BERMASALAH:
            notes.append(f"{item.label}: {catatan}" if catatan else item.label)
    return cells, ready, notes


def _region_names(region: Region) -> tuple[dict[str, Region], dict[str, str]]:
    """The kelurahan/desa of the region by code, and the names of its kecamatan by code."""
    kelurahan = {
        r.code: r
        for r in Region.objects.filter(
            code__startswith=installation.prefix(region.code[:10]),
            level__in=[Level.KELURAHAN, Level.DESA],
        ).only("code", "name", "parent_id")
    }
    kecamatan = dict(
        Region.objects.filter(
            level=Level.KECAMATAN, code__startswith=installation.prefix(region.code[:6])
        ).values_list("code", "name")
    )
    return kelurahan, kecamatan


def readiness_xlsx(
    region: Region, *, at: datetime | None, audit: tuple[int, str]
) -> tuple[bytes, int]:
    """The workbook and its number of TPS rows."""
    items = items_in_force()
    states = _states(region, at)
    kelurahan, kecamatan = _region_names(region)
    book = XlsxBook()
    sheet = book.sheet("Kesiapan TPS", _header(items))
    count = 0
    tps_rows = Tps.objects.filter(code__startswith=installation.prefix(region.code)).order_by(
        "code"
    )
    for tps in tps_rows.only("code", "kelurahan_id", "number", "dpt_l", "dpt_p"):
        kel = kelurahan.get(tps.kelurahan_id)
        cells, ready, notes = _item_cells(tps, items, states)
        total = len(items)
        sheet.append(
            [
                tps.code,
                kecamatan.get(tps.code[:6], ""),
                kel.name if kel else "",
                tps.number,
                tps.dpt,
                "ya" if total and ready == total else "tidak",
                round(100 * ready / total, 1),
                *cells,
                "; ".join(notes),
            ]
        )
        count += 1
    when = at or timezone.now()
    book.sheet("Info").extend(
        [
            ["Desk Pemilu", "kesiapan TPS"],
            ["wilayah", region.code, region.name],
            ["keadaan pada", timezone.localtime(when).strftime("%Y-%m-%d %H:%M %z")],
            ["jumlah TPS", count],
            [
                "laporan tersimpan",
                ReadinessReport.objects.filter(
                    tps__code__startswith=installation.prefix(region.code)
                ).count(),
            ],
            ["kepala rantai audit", head_text(*audit)],
        ]
    )
    return book.to_bytes(), count
