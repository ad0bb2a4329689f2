"""TPS export (command and /wilayah/ekspor/): the import format, formula-safe, audited."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from deskpemilu.audit.models import AuditEntry
from deskpemilu.regions.models import Tps
from deskpemilu.regions.tps_file import HEADER

from .conftest import EXISTING, snapshot

URL = "/wilayah/ekspor/"
PEJERUK = "5271011006"


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def xlsx_sheets(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return book.worksheets


def export_command(*args: str) -> str:
    out = io.StringIO()
    call_command("export_tps", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_exports_every_tps_as_csv(db):
    rows = csv_rows(export_command().encode())
    assert rows[0] == HEADER
    assert len(rows) == 1 + 1248
    assert rows[1] == ["5271011004001", "1", "", "118", "121", "-8.57857", "116.073742"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_it_round_trips_through_import(db, tmp_path, suffix):
    path = tmp_path / f"semua{suffix}"
    export_command("-o", str(path))
    Tps.objects.update(is_demo=False)  # an import of real data clears the demo flag
    before = snapshot()
    out = io.StringIO()
    call_command("import_tps", str(path), stdout=out, stderr=io.StringIO())
    assert "0 TPS baru, 0 diubah, 1248 tidak berubah" in out.getvalue()
    assert snapshot() == before


def test_it_exports_one_region(db):
    rows = csv_rows(export_command("--region", PEJERUK).encode())
    assert len(rows) == 1 + 30
    assert all(r[0].startswith(PEJERUK) for r in rows[1:])


def test_it_refuses_an_unknown_region(db):
    with pytest.raises(CommandError, match="Wilayah 5299 tidak ada"):
        export_command("--region", "5299")


def test_it_wants_a_file_for_xlsx(db):
    with pytest.raises(CommandError, match=r"-o FILE\.xlsx"):
        export_command("--format", "xlsx")


def test_it_makes_formula_cells_safe(db, tmp_path):
    Tps.objects.filter(code=EXISTING).update(address='=HYPERLINK("http://x","klik")')
    Tps.objects.filter(code="5271011004002").update(address="@SUM(A1)")
    rows = csv_rows(export_command("--region", "5271011004").encode())
    assert rows[1][2] == '\'=HYPERLINK("http://x","klik")'
    assert rows[2][2] == "'@SUM(A1)"
    path = tmp_path / "tps.xlsx"
    export_command("--region", "5271011004", "-o", str(path))
    cell = xlsx_sheets(path.read_bytes())[0]["C2"]
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://x","klik")'


def test_it_downloads_csv(client_for, admin):
    response = client_for(admin).get(URL, {"format": "csv", "region": PEJERUK})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="tps-5271011006-')
    rows = csv_rows(response.content)
    assert rows[0] == HEADER
    assert len(rows) == 1 + 30


def test_it_downloads_xlsx_with_the_audit_head(client_for, admin):
    response = client_for(admin).get(URL, {"format": "xlsx", "region": "5271"})
    assert response.status_code == 200
    tps_sheet, info = xlsx_sheets(response.content)
    assert [c.value for c in tps_sheet[1]] == HEADER
    assert tps_sheet.max_row == 1 + 1248
    seq, head_hash = response["X-Audit-Head"].split(":")
    assert [info["A5"].value, info["B5"].value] == ["kepala rantai audit", f"{seq}:{head_hash}"]


def test_it_downloads_formula_safe_cells(client_for, admin):
    Tps.objects.filter(code=EXISTING).update(address="=1+1")
    response = client_for(admin).get(URL, {"format": "xlsx", "region": "5271011004"})
    cell = xlsx_sheets(response.content)[0]["C2"]
    assert (cell.data_type, cell.value) == ("s", "'=1+1")


def test_it_records_the_export(client_for, admin):
    response = client_for(admin).get(URL, {"format": "csv", "region": PEJERUK})
    entry = AuditEntry.objects.filter(action="tps.export").latest("seq")
    assert entry.actor == admin
    assert entry.object_id == PEJERUK
    assert entry.payload["rows"] == 30
    assert entry.payload["sha256"] == hashlib.sha256(response.content).hexdigest()


def test_it_records_command_exports(db):
    export_command("--region", PEJERUK)
    entry = AuditEntry.objects.filter(action="tps.export").latest("seq")
    assert entry.payload["source"] == "command"


def test_it_refuses_an_unknown_format(client_for, admin):
    assert client_for(admin).get(URL, {"format": "pdf"}).status_code == 400
    assert not AuditEntry.objects.filter(action="tps.export").exists()


def test_it_answers_404_for_an_unknown_region(client_for, admin):
    assert client_for(admin).get(URL, {"region": "5299"}).status_code == 404
    assert client_for(admin).get(URL, {"region": "x'--"}).status_code == 404


@pytest.mark.parametrize("who", ["operator", "lurah", "camat", "viewer", "polri", "verifier"])
def test_it_is_for_the_desk_only(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL, {"format": "csv"}).status_code == 403
    assert not AuditEntry.objects.filter(action="tps.export").exists()
