"""The incidents as an XLSX workbook that stays fast on tens of thousands of rows.

openpyxl's write-only mode streams rows to a temporary file instead of building every cell in
memory; the rows come from one query (values, iterated in chunks) plus one for the forwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from deskpemilu.core.spreadsheet import XlsxBook
from deskpemilu.incidents.models import Forward, Incident
from deskpemilu.incidents.sla import clock

HEADER = [
    "nomor",
    "kategori",
    "tingkat",
    "status",
    "kode_tps",
    "kode_wilayah",
    "kelurahan",
    "waktu_kejadian",
    "waktu_laporan",
    "ditanggapi",
    "diselesaikan",
    "terlambat",
    "diteruskan_ke",
    "pelapor",
    "lat",
    "lon",
    "uraian",
]
FIELDS = (
    "pk",
    "number",
    "category",
    "severity",
    "status",
    "tps_id",
    "region_id",
    "region__name",
    "occurred_at",
    "reported_at",
    "acknowledged_at",
    "resolved_at",
    "reporter__username",
    "lat",
    "lon",
    "description",
)


def _local(value: datetime | None) -> datetime | None:
    # Excel has no time zones: write WITA wall-clock time, as the desk reads it.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _forwards(ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    rows = Forward.objects.filter(incident_id__in=ids).order_by("at", "id")
    for incident_id, slug in rows.values_list("incident_id", "agency__slug"):
        result[incident_id].append(slug)
    return result


CHUNK = 2000


def rows(incidents: QuerySet[Incident], now: datetime) -> Iterator[list[Any]]:
    """One list per incident, oldest first, read in chunks (memory stays flat)."""
    batch: list[tuple[Any, ...]] = []
    values = incidents.order_by("reported_at", "id").values_list(*FIELDS)
    for value in values.iterator(chunk_size=CHUNK):
        batch.append(value)
        if len(batch) == CHUNK:
            yield from _rows(batch, now)
            batch = []
    yield from _rows(batch, now)


def _rows(batch: list[tuple[Any, ...]], now: datetime) -> Iterator[list[Any]]:
    forwards = _forwards([v[0] for v in batch]) if batch else {}
    for (
        pk,
        number,
        category,
        severity,
        status,
        tps,
        region,
        region_name,
        occurred,
        reported,
        acknowledged,
        resolved,
        reporter,
        lat,
        lon,
        description,
    ) in batch:
        sla = clock(
            severity=severity,
            status=status,
            reported_at=reported,
            acknowledged_at=acknowledged,
            resolved_at=resolved,
            now=now,
        )
        yield [
            number,
            category,
            severity,
            status,
            tps or "",
            region,
            region_name,
            _local(occurred),
            _local(reported),
            _local(acknowledged),
            _local(resolved),
            "ya" if sla.overdue else "",
            ", ".join(forwards.get(pk, [])),
            reporter,
            lat,
            lon,
            description,
        ]


def write_xlsx(
    incidents: QuerySet[Incident], info: list[list[Any]], now: datetime
) -> tuple[IO[bytes], int]:
    """The workbook in a temporary file (rewound), and the number of incident rows."""
    book = XlsxBook()
    sheet = book.sheet("kejadian")
    sheet.freeze("A2")
    sheet.widths({"A": 18, "G": 20, "H": 17, "I": 17, "Q": 60})
    sheet.append(HEADER, bold=True)
    count = 0
    for row in rows(incidents, now):
        sheet.append(row)  # descriptions and names are the reporters' text: guarded there
        count += 1
    book.sheet("info").extend([*info, ["jumlah kejadian", count]])
    return book.to_file(), count
