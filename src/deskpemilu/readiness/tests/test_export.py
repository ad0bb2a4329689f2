"""XLSX export of readiness per TPS: opens with openpyxl, formula-safe, audited, scoped."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from deskpemilu.audit.models import AuditEntry
from deskpemilu.readiness.tests.helpers import PEJERUK_TPS, all_siap, put


@pytest.mark.django_db
def test_it_exports_readiness_per_tps(api_for, client_for, lurah):
    put(
        api_for(lurah),
        PEJERUK_TPS,
        all_siap(tinta={"status": "bermasalah", "catatan": '=HYPERLINK("x")'}),
    )
    response = client_for(lurah).get("/kesiapan/ekspor/?region=5271011006")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Kesiapan TPS"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("kode_tps", "kecamatan", "kelurahan", "nomor")
    first = next(r for r in rows if r[0] == PEJERUK_TPS)
    assert first[2] == "Pejeruk"
    assert first[5] == "tidak"
    # The note that would run as a formula is written as text.
    assert first[-1] == 'Tinta: =HYPERLINK("x")'
    for row in rows:
        for cell in row:
            assert not (isinstance(cell, str) and cell.startswith("=")), cell
    assert len(rows) - 1 == 30  # Pejeruk's TPS
    assert AuditEntry.objects.filter(action="readiness.export", object_id="5271011006").exists()
    assert "Info" in book.sheetnames


@pytest.mark.django_db
def test_it_escapes_a_formula_at_the_start_of_a_cell(api_for, client_for, lurah):
    put(
        api_for(lurah), PEJERUK_TPS, {"items": {"lokasi": {"status": "bermasalah", "catatan": "x"}}}
    )
    from deskpemilu.core.spreadsheet import safe_cell

    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("+62") == "'+62"
    assert safe_cell("@SUM") == "'@SUM"
    assert safe_cell("-") == "'-"
    assert safe_cell("biasa") == "biasa"
    assert safe_cell(5) == 5


@pytest.mark.django_db
def test_it_exports_only_inside_the_scope(client_for, lurah):
    assert client_for(lurah).get("/kesiapan/ekspor/?region=5271").status_code == 403
    assert client_for(lurah).get("/kesiapan/ekspor/").status_code == 200
