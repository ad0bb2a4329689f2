"""Exports: the recap and the per-TPS results as CSV and XLSX open in the csv module and
openpyxl, are safe against formula injection, carry the audit head and are audited."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from openpyxl import load_workbook

from deskpemilu.audit.models import AuditEntry
from deskpemilu.audit.services import head
from deskpemilu.dashboard.tests.helpers import AMPENAN_SELATAN, enter, put
from deskpemilu.regions.models import Tps
from deskpemilu.results.tests.sheets import sheet_for_tps

FORMULA = '=HYPERLINK("http://example.invalid","klik")'


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def audit_line(rows: list[list[str]]) -> list[str]:
    return next(r for r in rows if r and r[0] == "Kepala rantai audit")


@pytest.mark.django_db
def test_it_exports_the_recap_as_csv(client_for, api_for, admin):
    api = api_for(admin)
    bodies = [enter(api, "ppwp", f"{AMPENAN_SELATAN}{n:03d}", seed=n) for n in (1, 2)]
    web = client_for(admin)  # signing in is audited too: read the head after it
    seq, digest = head()
    response = web.get("/rekap/ppwp/527101/ekspor.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "rekap-ppwp-527101.csv" in response["Content-Disposition"]
    rows = rows_of(response)
    header = rows[0]
    assert header[:8] == [
        "kode", "nama", "tingkat", "tps_total", "tps_dilaporkan", "tps_terverifikasi",
        "suara_sah", "suara_tidak_sah",
    ]  # fmt: skip
    assert header[8].startswith("1 ")
    child = next(r for r in rows if r and r[0] == AMPENAN_SELATAN)
    assert child[4] == "2"
    assert int(child[8]) == sum(b["suara"]["1"] for b in bodies)
    total = next(r for r in rows if r and r[0] == "527101")
    assert int(total[6]) == sum(b["administrasi"]["suara_sah"] for b in bodies)
    # The head read just before the export's own audit entry, as the file and header say.
    assert audit_line(rows)[1] == f"{seq}:{digest}"
    assert response["X-Audit-Head"] == f"{seq}:{digest}"
    entry = AuditEntry.objects.get(seq=seq + 1)
    assert (entry.action, entry.object_id) == ("recap.export", "ppwp/527101")
    assert entry.actor_name == "admin_desk"
    assert entry.payload["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert entry.payload["format"] == "csv"


@pytest.mark.django_db
def test_it_exports_the_recap_as_xlsx(client_for, api_for, admin):
    body = enter(api_for(admin), "dprd-kabkota", f"{AMPENAN_SELATAN}001")
    web = client_for(admin)
    seq, digest = head()
    response = web.get("/rekap/dprd-kabkota/527101/ekspor.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Rekap DPRD Kota", "Info"]
    rows = list(book["Rekap DPRD Kota"].iter_rows(values_only=True))
    header = rows[0]
    # Inside one dapil: each party's total, its own column and its candidates.
    assert header[8:11] == ("1 PKB jumlah", "1 PKB suara partai", "1.1 Calon 1 PKB (demo)")
    total = rows[-1]
    party_one = sum(v for k, v in body["suara"].items() if k.split(".")[0] == "1")
    assert total[0] == "527101" and total[8] == party_one
    assert total[9] == body["suara"]["1"]
    info = list(book["Info"].iter_rows(values_only=True))
    assert info[-1][:2] == ("Kepala rantai audit", f"{seq}:{digest}")
    assert response["X-Audit-Head"] == f"{seq}:{digest}"
    assert AuditEntry.objects.filter(action="recap.export", payload__format="xlsx").exists()


@pytest.mark.django_db
def test_it_exports_one_row_per_tps(client_for, api_for, admin):
    api = api_for(admin)
    body = sheet_for_tps(f"{AMPENAN_SELATAN}001")
    body["catatan"] = FORMULA
    put(api, "ppwp", f"{AMPENAN_SELATAN}001", body)
    Tps.objects.filter(code=f"{AMPENAN_SELATAN}002").update(address="+62 370 dan -1")
    web = client_for(admin)
    response = web.get(f"/rekap/tps.csv?contest=ppwp&region={AMPENAN_SELATAN}")
    assert response.status_code == 200
    rows = rows_of(response)
    header = rows[0]
    assert header[:12] == [
        "kode_tps", "kecamatan", "kelurahan", "nomor", "alamat", "status", "versi",
        "dpt_data_induk", "dpt_lembar", "pengguna", "suara_sah", "suara_tidak_sah",
    ]  # fmt: skip
    tps_rows = [r for r in rows[1:] if r and r[0].startswith(AMPENAN_SELATAN)]
    assert len(tps_rows) == 26
    first = dict(zip(header, tps_rows[0], strict=False))
    assert first["status"] == "dientri"
    assert first["kecamatan"] == "Ampenan" and first["kelurahan"] == "Ampenan Selatan"
    assert int(first["suara_sah"]) == body["administrasi"]["suara_sah"]
    assert first["catatan"] == "'" + FORMULA  # formula-safe
    assert int(first[header[14]]) == body["suara"]["1"]
    second = dict(zip(header, tps_rows[1], strict=False))
    assert second["alamat"] == "'+62 370 dan -1"
    assert second["status"] == "belum"
    assert audit_line(rows)[0] == "Kepala rantai audit"

    xlsx = web.get(f"/rekap/tps.xlsx?contest=ppwp&region={AMPENAN_SELATAN}")
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book[book.sheetnames[0]]
    cells = {c.value: c for c in sheet[2] if isinstance(c.value, str)}
    cell = cells["'" + FORMULA]
    assert cell.data_type == "s"  # text, never a formula
    assert book["Info"].max_row >= 2
    assert AuditEntry.objects.filter(action="recap.export", payload__kind="tps").count() == 2


@pytest.mark.django_db
def test_it_exports_verified_numbers_on_request(client_for, api_for, admin):
    enter(api_for(admin), "ppwp", f"{AMPENAN_SELATAN}001")
    rows = rows_of(client_for(admin).get("/rekap/ppwp/527101/ekspor.csv?data=terverifikasi"))
    total = next(r for r in rows if r and r[0] == "527101")
    assert total[6] == "0"  # nothing verified yet


@pytest.mark.django_db
def test_it_keeps_exports_inside_the_readers_scope(client_for, lurah):
    web = client_for(lurah)
    assert web.get("/rekap/ppwp/5271/ekspor.csv").status_code == 403
    assert web.get("/rekap/ppwp/5271/ekspor.xlsx").status_code == 403
    assert web.get("/rekap/tps.csv?contest=ppwp&region=5271").status_code == 403
    assert web.get("/rekap/tps.csv?contest=ppwp").status_code == 200  # the lurah's kelurahan
    assert web.get("/rekap/tps.csv").status_code == 400
    assert web.get("/rekap/tps.csv?contest=pilkada").status_code == 404
    assert not AuditEntry.objects.filter(
        action="recap.export", object_id__endswith="/5271"
    ).exists()
