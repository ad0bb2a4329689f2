"""`deskpemilu load_regions FILE [--batas GEOJSON]`: another kota/kabupaten from a
Kemendagri-coded file, all rows or none, idempotent, every problem with its code."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from deskpemilu.audit.models import AuditEntry
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region
from deskpemilu.regions.seed import DATA_DIR

SUMBAWA_BARAT = DATA_DIR / "sumbawa_barat_wilayah.csv"
HEADER = "code,name,level,parent_code\n"


def run(path: object, *extra: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_regions", str(path), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: object, *extra: str) -> tuple[CommandError, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("load_regions", str(path), *extra, stdout=io.StringIO(), stderr=err)
    return caught.value, err.getvalue()


def write(tmp_path: Path, text: str, name: str = "wilayah.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes() -> list[str]:
    return list(Region.objects.order_by("code").values_list("code", "name", "level"))


def test_it_loads_the_second_region(db):
    out, err = run(SUMBAWA_BARAT)
    # The province is there already (Kota Mataram's): 1 kabupaten, 8 kecamatan, 65 desa/kelurahan.
    assert "74 wilayah baru, 0 berganti nama, 1 tidak berubah" in out
    assert err == ""
    kab = Region.objects.get(code="5207")
    assert (kab.name, kab.level, kab.parent_id) == ("Kabupaten Sumbawa Barat", "kabupaten", "52")
    assert Region.objects.filter(code__startswith="5207", level="kecamatan").count() == 8
    assert Region.objects.get(code="5207021004").level == "kelurahan"  # Menala, Taliwang
    assert Region.objects.get(code="5207012001").parent_id == "520701"  # Goa, Jereweh
    entry = AuditEntry.objects.filter(action="regions.load").get()
    assert entry.payload["created"] == 74


def test_it_changes_nothing_the_second_time(db):
    run(SUMBAWA_BARAT)
    before = codes()
    out, _err = run(SUMBAWA_BARAT)
    assert "0 wilayah baru, 0 berganti nama, 75 tidak berubah" in out
    assert codes() == before
    assert AuditEntry.objects.filter(action="regions.load").count() == 1


def test_it_renames_a_region_and_accepts_undotted_codes(db, tmp_path):
    run(write(tmp_path, HEADER + "5271011011,Pajarakan Karya,kelurahan,527101\n"))
    assert Region.objects.get(code="5271011011").name == "Pajarakan Karya"


def test_it_takes_the_indonesian_header_and_no_parent_column(db, tmp_path):
    run(write(tmp_path, "kode,nama,tingkat\n52.07,Kabupaten Sumbawa Barat,kabupaten\n"))
    assert Region.objects.get(code="5207").parent_id == "52"


def test_it_stands_alone_in_an_empty_database(db):
    """A fresh installation of another region: the file brings its own province."""
    from deskpemilu.results.models import Rollup

    Rollup.objects.all().delete()
    _wipe_regions()
    run(SUMBAWA_BARAT)
    assert Region.objects.count() == 75
    assert Region.objects.get(code="52").name == "Nusa Tenggara Barat"


def _wipe_regions() -> None:
    from django.apps import apps

    # Everything that points at a region goes first (the test's transaction rolls it back).
    for model in apps.get_models():
        if model is Region:
            continue
        if any(
            f.is_relation and f.related_model in (Region,) for f in model._meta.get_fields()
        ) or model._meta.label in ("regions.Tps",):
            model._base_manager.all().delete()  # every election's TPS, not the active one's
    for length in (10, 6, 4, 2):
        Region.objects.filter(code__regex=rf"^[0-9]{{{length}}}$").delete()


BAD_ROWS = [
    ("52.07.1,Salah,kecamatan,52.07\n", "kode_tidak_valid"),
    ("52.07.01,,kecamatan,52.07\n", "nama_kosong"),
    ("52.07.02,Taliwang,kota,52.07\n", "tingkat_tidak_cocok"),
    ("52.07.03,Seteluk,dusun,52.07\n", "tingkat_tidak_dikenal"),
    ("52.07.04,Sekongkang,kecamatan,52.71\n", "induk_tidak_cocok"),
    ("52.09.01,Entah,kecamatan,52.09\n", "induk_tidak_ada"),
    ("52.71,Kota Mataram,kabupaten,52\n", "tingkat_berbeda"),
    ("52.07.05," + "x" * 101 + ",kecamatan,52.07\n", "nama_terlalu_panjang"),
    ('52.07.06,"Poto\nTano",kecamatan,52.07\n', "nama_tidak_sah"),
]


@pytest.mark.parametrize(("row", "code"), BAD_ROWS)
def test_it_refuses_a_bad_row_and_writes_nothing(db, tmp_path, row, code):
    before = codes()
    good = "52.07,Kabupaten Sumbawa Barat,kabupaten,52\n"
    error, err = refused(write(tmp_path, HEADER + good + row))
    assert "tidak ada data yang diubah" in str(error)
    assert f"[{code}]" in err
    assert "Baris 3" in err
    assert codes() == before
    assert not AuditEntry.objects.filter(action="regions.load").exists()


def test_it_reports_every_problem_at_once(db, tmp_path):
    text = HEADER + "".join(row for row, _code in BAD_ROWS)
    error, err = refused(write(tmp_path, text))
    assert "(9 masalah)" in str(error)
    for _row, code in BAD_ROWS:
        assert f"[{code}]" in err


def test_it_refuses_a_duplicate_code(db, tmp_path):
    text = HEADER + "52.07,A,kabupaten,52\n5207,B,kabupaten,52\n"
    _error, err = refused(write(tmp_path, text))
    assert "[kode_ganda]" in err


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "berkas_kosong"),
        ("code,name\n52,NTB\n", "kolom_hilang"),
        (HEADER, "berkas_kosong"),
    ],
)
def test_it_refuses_a_file_without_regions(db, tmp_path, text, code):
    _error, err = refused(write(tmp_path, text))
    assert f"[{code}]" in err


def test_it_refuses_an_unknown_format_and_a_missing_file(db, tmp_path):
    _error, err = refused(write(tmp_path, "x", name="wilayah.txt"))
    assert "[berkas_tidak_terbaca]" in err
    error, _err = refused(tmp_path / "tidak-ada.csv")
    assert "tidak dapat dibaca" in str(error)


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[116.8, -8.7], [116.9, -8.7], [116.9, -8.6], [116.8, -8.6], [116.8, -8.7]]],
}


def _geojson(tmp_path: Path, features: list[dict[str, object]]) -> Path:
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_it_sets_the_boundaries(db, tmp_path):
    feature = {
        "type": "Feature",
        "properties": {"code": "52.07", "label_lat": -8.65, "label_lng": 116.85},
        "geometry": SQUARE,
    }
    out, _err = run(SUMBAWA_BARAT, "--batas", str(_geojson(tmp_path, [feature])))
    assert "1 batas diubah" in out
    kab = Region.objects.get(code="5207")
    assert kab.boundary == SQUARE
    assert (kab.label_lat, kab.label_lon) == (-8.65, 116.85)
    out, _err = run(SUMBAWA_BARAT, "--batas", str(_geojson(tmp_path, [feature])))
    assert "0 batas diubah" in out


@pytest.mark.parametrize(
    ("feature", "code"),
    [
        ({"properties": {"code": "52.09"}, "geometry": SQUARE}, "batas_tanpa_wilayah"),
        ({"properties": {"code": "x"}, "geometry": SQUARE}, "kode_tidak_valid"),
        (
            {"properties": {"code": "52.07"}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
            "geometri_tidak_valid",
        ),
        (  # a ring that does not close
            {
                "properties": {"code": "52.07"},
                "geometry": {"type": "Polygon", "coordinates": [SQUARE["coordinates"][0][:-1]]},
            },
            "geometri_tidak_valid",
        ),
        (  # positions that are no numbers
            {
                "properties": {"code": "52.07"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[[["a", "b"]] * 4]]},
            },
            "geometri_tidak_valid",
        ),
        (  # latitude and longitude swapped out of the globe
            {
                "properties": {"code": "52.07"},
                "geometry": {"type": "Polygon", "coordinates": [[[-8.7, 116.8]] * 4]},
            },
            "geometri_tidak_valid",
        ),
    ],
)
def test_it_refuses_bad_boundaries_and_writes_nothing(db, tmp_path, feature, code):
    before = codes()
    _error, err = refused(SUMBAWA_BARAT, "--batas", str(_geojson(tmp_path, [feature])))
    assert f"[{code}]" in err
    assert codes() == before


@pytest.mark.parametrize("text", ["{not json", "[" * 100_000 + "]" * 100_000, "[]"])
def test_it_refuses_a_boundary_file_that_is_no_geojson(db, tmp_path, text):
    path = write(tmp_path, text, name="batas.geojson")
    _error, err = refused(SUMBAWA_BARAT, "--batas", str(path))
    assert "[batas_bukan_geojson]" in err


def test_it_loads_the_file_as_xlsx_too(db, tmp_path):
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with SUMBAWA_BARAT.open(encoding="utf-8") as f:
        for row in csv.reader(f):
            sheet.append(row)
    path = tmp_path / "wilayah.xlsx"
    book.save(path)
    out, _err = run(path)
    assert "74 wilayah baru" in out


def test_the_header_name_follows_a_rename(db, tmp_path, settings):
    settings.DESKPEMILU_INSTALLATION_REGION = "5207"
    installation.forget()  # an earlier test of this process may have loaded (and rolled back) it
    assert installation.name() == "5207"  # not loaded yet: the code stands in
    run(SUMBAWA_BARAT)
    assert installation.name() == "Kabupaten Sumbawa Barat"
    run(write(tmp_path, HEADER + "52.07,Kabupaten Sumbawa Barat (KSB),kabupaten,52\n"))
    assert installation.name() == "Kabupaten Sumbawa Barat (KSB)"
