"""`deskpemilu import_tps FILE` (CONTRACT.md): create or update, all rows or none."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from deskpemilu.audit.models import AuditEntry
from deskpemilu.regions.models import Region, Tps

from .conftest import EXISTING, GOOD_ROWS, NEW, snapshot


def run(path: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tps", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: object) -> tuple[CommandError, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_tps", str(path), stdout=io.StringIO(), stderr=err)
    return caught.value, err.getvalue()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_it_creates_and_updates(db, tps_file, suffix):
    out, err = run(tps_file(GOOD_ROWS, suffix))
    assert "1 TPS baru, 1 diubah" in out
    assert err == ""
    updated = Tps.objects.get(code=EXISTING)
    assert (updated.dpt_l, updated.dpt_p, updated.address) == (120, 125, "SDN 1 Ampenan")
    assert not updated.is_demo  # imported from KPU's list: no longer demo data
    created = Tps.objects.get(code=NEW)
    assert (created.number, created.kelurahan_id, created.lat) == (99, "5271011004", None)


def test_it_keeps_region_counts(db, tps_file):
    run(tps_file(GOOD_ROWS))
    assert Region.objects.get(code="5271").tps_count == 1249
    # 118+121 became 120+125 (+6), and the new TPS brings 201.
    assert Region.objects.get(code="5271").dpt == 315549 + 6 + 201


def test_it_changes_nothing_the_second_time(db, tps_file):
    path = tps_file(GOOD_ROWS)
    run(path)
    out, _ = run(path)
    assert "0 TPS baru, 0 diubah, 2 tidak berubah" in out


def test_it_deletes_nothing(db, tps_file):
    run(tps_file(GOOD_ROWS))
    assert Tps.objects.count() == 1249


def test_it_records_the_import(db, tps_file):
    run(tps_file(GOOD_ROWS))
    entry = AuditEntry.objects.filter(action="tps.import").latest("seq")
    assert entry.payload["source"] == "command"
    assert entry.payload["created"] == 1


def test_it_changes_nothing_when_one_row_is_bad(db, tps_file):
    before = snapshot()
    rows = [*GOOD_ROWS, ["5271011004002", "2", "", "banyak", "120", "", ""]]
    error, err = refused(tps_file(rows))
    assert error.returncode == 1
    assert "Baris 4, kolom dpt_l" in err
    assert "tidak ada data yang diubah" in str(error)
    assert snapshot() == before


def test_it_names_every_problem(db, tps_file):
    rows = [
        ["5271011004002", "3", "", "10", "10", "", ""],
        ["5271011004003", "3", "", "10", "1001", "-95", "116"],
    ]
    _, err = refused(tps_file(rows))
    assert "Baris 2, kolom nomor" in err
    assert "Baris 3, kolom dpt_p" in err
    assert "Baris 3, kolom lat" in err


def test_it_refuses_unknown_kelurahan(db, tps_file):
    before = snapshot()
    _, err = refused(tps_file([*GOOD_ROWS, ["5271011999001", "1", "", "10", "10", "", ""]]))
    assert "Baris 4, kolom kode_tps: kelurahan 5271011999 tidak ada" in err
    assert snapshot() == before


def test_it_refuses_duplicate_rows(db, tps_file):
    _, err = refused(tps_file([*GOOD_ROWS, GOOD_ROWS[0]]))
    assert "Baris 4, kolom kode_tps: ganda; sudah ada di baris 2" in err


@pytest.mark.parametrize("cell", ["=1+1", '=HYPERLINK("http://x","klik")', "@SUM(A1)", "+62"])
def test_it_refuses_formula_cells(db, tps_file, cell):
    before = snapshot()
    _, err = refused(tps_file([[EXISTING, "1", cell, "10", "10", "", ""]]))
    assert "Baris 2, kolom alamat: rumus/formula tidak diterima" in err
    assert snapshot() == before


def test_it_refuses_formula_cells_in_xlsx(db, tps_file):
    _, err = refused(tps_file([[EXISTING, "1", "=1+1", "=5*2", "10", "", ""]], ".xlsx"))
    assert "kolom alamat" in err
    assert "kolom dpt_l" in err


def test_it_refuses_latin1(db, tmp_path):
    path = tmp_path / "tps.csv"
    text = "kode_tps,nomor,alamat,dpt_l,dpt_p,lat,lon\n5271011004001,1,Jl. Pejanggik Café,1,1,,\n"
    path.write_bytes(text.encode("latin-1"))
    _, err = refused(path)
    assert "UTF-8" in err


def test_it_refuses_wrong_header(db, tps_file):
    header = ["kode", "nomor", "alamat", "dpt_l", "dpt_p", "lat", "lon"]
    _, err = refused(tps_file(GOOD_ROWS, header=header))
    assert "Baris 1" in err
    assert "kode_tps,nomor,alamat,dpt_l,dpt_p,lat,lon" in err


def test_it_refuses_other_formats(db, tmp_path):
    path = tmp_path / "tps.txt"
    path.write_text("kode_tps,nomor,alamat,dpt_l,dpt_p,lat,lon\n")
    _, err = refused(path)
    assert ".csv atau .xlsx" in err


def test_it_refuses_a_missing_file(db, tmp_path):
    error, _ = refused(tmp_path / "tidak-ada.csv")
    assert "tidak dapat dibaca" in str(error)


def test_it_shows_no_progress_bar_when_piped(db, tps_file):
    out, err = run(tps_file(GOOD_ROWS))
    assert "\r" not in out + err
    assert "it/s" not in out + err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_it_shows_a_progress_bar_on_a_terminal(db, tps_file):
    out = Terminal()
    call_command("import_tps", str(tps_file(GOOD_ROWS)), stdout=out, stderr=io.StringIO())
    assert "Impor:" in out.getvalue()
    assert "/2 " in out.getvalue()  # the bar knows the number of rows


def test_it_names_unknown_kelurahan_along_with_other_problems(db, tps_file):
    rows = [["5271011999001", "1", "", "10", "10", "", ""], [EXISTING, "1", "", "x", "10", "", ""]]
    _, err = refused(tps_file(rows))
    assert err.splitlines() == [
        "Baris 2, kolom kode_tps: kelurahan 5271011999 tidak ada di data wilayah",
        "Baris 3, kolom dpt_l: harus bilangan bulat, bukan “x”",
    ]
