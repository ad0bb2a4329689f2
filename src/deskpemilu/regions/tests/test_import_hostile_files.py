"""Files that are wrong in odd ways: the import page answers with a problem, never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deskpemilu.regions import tps_file
from deskpemilu.regions.tests import hostile_xlsx

from .conftest import GOOD_ROWS, NEW, csv_bytes, snapshot, xlsx_bytes

URL = "/wilayah/impor/"


def upload(client, name: str, data: bytes) -> str:
    response = client.post(URL, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("value", ["²", "١٢", "１２", "9" * 5000, "1e3", "-1", " "])
def test_it_refuses_odd_numbers(client_for, admin, value):
    before = snapshot()
    html = upload(client_for(admin), "tps.csv", csv_bytes([[NEW, "99", "", value, "1", "", ""]]))
    assert "Impor dibatalkan" in html
    assert "<code>dpt_l</code>" in html
    assert snapshot() == before


@pytest.mark.parametrize("code", ["５２７１０１１００４０９９", "527101100409²", "5271011004099 9"])
def test_it_refuses_odd_codes(client_for, admin, code):
    html = upload(client_for(admin), "tps.csv", csv_bytes([[code, "99", "", "1", "1", "", ""]]))
    assert "<code>kode_tps</code>" in html


def test_it_refuses_a_giant_cell(client_for, admin):
    html = upload(
        client_for(admin), "tps.csv", csv_bytes([[NEW, "99", "x" * 200_000, 1, 1, "", ""]])
    )
    assert "Baris CSV tidak dapat dibaca" in html


def test_it_refuses_binary(client_for, admin):
    html = upload(client_for(admin), "tps.csv", b"kode_tps\x00\x01\x02")
    assert "karakter biner" in html


def test_it_refuses_an_empty_file(client_for, admin):
    html = upload(client_for(admin), "tps.csv", csv_bytes([]))
    assert "tidak berisi baris TPS" in html


def test_it_accepts_a_bom_blank_lines_and_empty_trailing_columns(client_for, admin):
    data = b"\xef\xbb\xbf" + csv_bytes(GOOD_ROWS).replace(b"\n", b",,\n\n")
    data = data.replace(
        b"kode_tps,nomor,alamat,dpt_l,dpt_p,lat,lon,,", b"kode_tps,nomor,alamat,dpt_l,dpt_p,lat,lon"
    )
    assert "Impor berhasil" in upload(client_for(admin), "tps.csv", data)


def test_it_refuses_extra_columns(client_for, admin):
    rows = [[*GOOD_ROWS[0], "lebih"]]
    assert "kolom lebih dari 7" in upload(client_for(admin), "tps.csv", csv_bytes(rows))


def test_it_refuses_an_xlsx_that_unpacks_too_large(client_for, admin, monkeypatch):
    monkeypatch.setattr(tps_file, "MAX_XLSX_UNPACKED", 1000)
    html = upload(client_for(admin), "tps.xlsx", xlsx_bytes(GOOD_ROWS))
    assert "terlalu besar setelah dibuka" in html


def test_it_refuses_an_xlsx_damaged_inside(client_for, admin):
    # A real workbook whose sheet XML is cut short: openpyxl opens it and fails while reading.
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes(GOOD_ROWS)))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as out:
        for item in original.infolist():
            data = original.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            out.writestr(item, data)
    html = upload(client_for(admin), "tps.xlsx", damaged.getvalue())
    assert "Berkas XLSX tidak dapat dibaca" in html


def test_it_refuses_a_zip_bomb_before_reading_it(client_for, admin):
    # 100 MB of sheet XML in a few hundred kB: under the old 300 MB limit it held a worker until
    # gunicorn killed it.
    bomb = hostile_xlsx.zip_bomb(unpacked_mb=100)
    assert len(bomb) < 1_000_000
    html = upload(client_for(admin), "tps.xlsx", bomb)
    assert "terlalu besar setelah dibuka" in html


def test_it_refuses_a_sheet_that_claims_every_cell_of_excel(client_for, admin):
    html = upload(client_for(admin), "tps.xlsx", hostile_xlsx.dimension_bomb())
    assert "Lembar XLSX terlalu besar: 1048576 baris × 16384 kolom" in html


def test_it_stops_reading_endless_rows(client_for, admin):
    html = upload(client_for(admin), "tps.xlsx", hostile_xlsx.endless_rows(rows=150_000))
    assert "lebih dari 100000 baris" in html
