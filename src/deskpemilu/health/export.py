"""Health incidents as an XLSX workbook (core/spreadsheet.py keeps text cells formula-safe)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from deskpemilu.core.heads import head_text
from deskpemilu.core.spreadsheet import XlsxBook
from deskpemilu.health.models import HealthIncident
from deskpemilu.health.selectors import followups_of
from deskpemilu.regions.models import Region

HEADER = [
    "id",
    "waktu kejadian",
    "kode_tps",
    "kecamatan",
    "kelurahan",
    "peran",
    "kondisi awal",
    "kondisi kini",
    "puskesmas",
    "status",
    "keterangan",
    "tindak lanjut",
    "dilaporkan oleh",
]


def _local(value: object) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]


def incidents_xlsx(
    incidents: Sequence[HealthIncident], *, region: Region, audit: tuple[int, str], names: bool
) -> bytes:
    kecamatan = dict(Region.objects.filter(level="kecamatan").values_list("code", "name"))
    followups = followups_of(incidents)
    book = XlsxBook()
    sheet = book.sheet("Kasus kesehatan", HEADER + (["nama"] if names else []))
    for i in incidents:
        steps = "\n".join(
            f"{_local(f.at)} {f.actor.username}: {f.note}"
            + (f" [{f.get_condition_display()}]" if f.condition else "")
            + (" [ditutup]" if f.closes else "")
            for f in followups.get(i.pk, [])
        )
        row: list[object] = [
            i.pk,
            _local(i.occurred_at),
            i.tps_id,
            kecamatan.get(i.tps_id[:6], ""),
            i.tps.kelurahan.name,
            i.get_person_role_display(),
            i.get_first_condition_display(),
            i.get_condition_display(),
            i.puskesmas.name if i.puskesmas else "",
            i.get_status_display(),
            i.note,
            steps,
            i.reported_by.username,
        ]
        if names:
            row.append(i.name)
        sheet.append(row)
    info = book.sheet("Info")
    for line in (
        ["Desk Pemilu", "kasus kesehatan petugas dan pemilih"],
        ["wilayah", region.code, region.name],
        ["waktu", timezone.localtime().strftime("%Y-%m-%d %H:%M %z")],
        ["jumlah kasus", len(incidents)],
        ["kepala rantai audit", head_text(*audit)],
    ):
        info.append(line)
    return book.to_bytes()
