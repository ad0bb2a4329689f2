"""Helpers for the TPS file tests: files in the import format, and a snapshot of the TPS table."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from deskpemilu.regions.models import Region, Tps

HEADER = ["kode_tps", "nomor", "alamat", "dpt_l", "dpt_p", "lat", "lon"]
# Ampenan Selatan TPS 001 exists in the seed (118 L, 121 P); TPS 099 does not.
EXISTING = "5271011004001"
NEW = "5271011004099"
GOOD_ROWS = [
    [EXISTING, "1", "SDN 1 Ampenan", "120", "125", "-8.57857", "116.073742"],
    [NEW, "99", "Aula Kantor Lurah", "100", "101", "", ""],
]


def csv_bytes(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def tps_file(tmp_path: Path) -> Callable[..., Path]:
    """Writes `rows` as a TPS file (csv or xlsx) and returns its path."""

    def make(rows: Sequence[Sequence[object]], suffix: str = ".csv", **kwargs: object) -> Path:
        path = tmp_path / f"tps{suffix}"
        make_bytes = xlsx_bytes if suffix == ".xlsx" else csv_bytes
        path.write_bytes(make_bytes(rows, **kwargs))  # type: ignore[arg-type]
        return path

    return make


def snapshot() -> list[tuple[object, ...]]:
    """Everything an import may change: every TPS and the counts kept on every region."""
    tps = list(Tps.objects.order_by("code").values_list())
    regions = list(
        Region.objects.order_by("code").values_list("code", "tps_count", "dpt_l", "dpt_p")
    )
    return [*tps, *regions]
