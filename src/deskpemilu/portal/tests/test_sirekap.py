"""The cross-check with KPU, on realistic data: twenty TPS entered and verified through the API,
their Sirekap files built from the verified sheets, three of them altered the ways Sirekap went
wrong in 2024 (a digit read as another, two columns swapped, a TPS missing), imported; exactly
those differences come out, per TPS and per region."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from deskpemilu.audit.models import AuditEntry
from deskpemilu.portal.crosscheck import compare
from deskpemilu.portal.models import SirekapImport, SirekapTps
from deskpemilu.portal.sirekap import PPWP_CHART_IDS, read_files, to_sirekap
from deskpemilu.results.tests.sheets import sheet_for_tps, with_votes
from deskpemilu.situation.tests.helpers import (
    AMPENAN_SELATAN,
    CAKRANEGARA_TIMUR,
    PEJERUK,
    enter,
    tps_of,
    verify,
)

pytestmark = pytest.mark.django_db

# What Sirekap publishes of the administrasi (no ballot counts), as in its 2024 JSON.
SIREKAP_ADMIN = {
    "pemilih_dpt_l",
    "pemilih_dpt_p",
    "pemilih_dpt_j",
    "pengguna_dpt_l",
    "pengguna_dpt_p",
    "pengguna_dpt_j",
    "pengguna_dptb_l",
    "pengguna_dptb_p",
    "pengguna_dptb_j",
    "pengguna_non_dpt_l",
    "pengguna_non_dpt_p",
    "pengguna_non_dpt_j",
    "pengguna_total_j",
    "suara_sah",
    "suara_tidak_sah",
    "suara_total",
}


def as_published(detail: dict[str, Any]) -> dict[str, Any]:
    """The desk's verified sheet as KPU's Sirekap JSON of that TPS."""
    data = to_sirekap(detail["administrasi"], detail["suara"], ts="2024-02-15 21:04:11")
    data["administrasi"] = {k: v for k, v in data["administrasi"].items() if k in SIREKAP_ADMIN}
    data["images"] = [f"https://sirekap-obj-formc.kpu.go.id/{detail['tps']}-1.jpg"]
    return data


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def twenty(api_for, admin, verifier) -> dict[str, Any]:
    """Twenty TPS in two kecamatan, entered by the desk and verified by a second person. One
    has exactly 117 votes for paslon 2 (Sirekap's 117 → 617)."""
    desk, second = api_for(admin), api_for(verifier)
    codes = tps_of(AMPENAN_SELATAN, 8) + tps_of(PEJERUK, 6) + tps_of(CAKRANEGARA_TIMUR, 6)
    assert len(codes) == 20
    for seed, tps in enumerate(codes):
        body = sheet_for_tps(tps, seed=seed)
        if seed == 3:
            body = with_votes(body, {"1": 40, "2": 117, "3": body["suara"]["3"]})
        enter(desk, tps, body)
        verify(second, tps)
    details = {tps: desk.get(f"/api/v1/results/ppwp/{tps}").json() for tps in codes}
    assert details[codes[3]]["suara"]["2"] == 117
    return {"codes": codes, "details": details}


def write_files(directory: Path, twenty: dict[str, Any]) -> dict[str, Any]:
    codes, details = twenty["codes"], twenty["details"]
    shifted, swapped, missing = codes[3], codes[9], codes[16]
    for tps in codes:
        data = as_published(details[tps])
        if tps == shifted:
            data["chart"]["100026"] = 617  # OCR read the 1 as a 6
        if tps == swapped:
            chart = data["chart"]
            chart["100025"], chart["100026"] = chart["100026"], chart["100025"]
        if tps == missing:
            continue
        (directory / f"{tps}.json").write_text(json.dumps(data))
    return {"shifted": shifted, "swapped": swapped, "missing": missing}


def test_it_finds_exactly_the_differences(tmp_path, twenty, api_for, admin):
    altered = write_files(tmp_path, twenty)
    out = io.StringIO()
    call_command("import_sirekap", str(tmp_path), stdout=out)
    assert "19 TPS tersimpan" in out.getvalue()

    data = api_for(admin).get("/api/v1/kpu/crosscheck?region=5271").json()
    assert data["counts"]["cocok"] == 17
    assert data["counts"]["berbeda"] == 2
    assert data["counts"]["tidak_di_kpu"] == 1
    assert data["counts"]["tidak_di_desk"] == 0
    not_matching = {t["tps"]: t for t in data["tps"]}
    assert set(not_matching) == {altered["shifted"], altered["swapped"], altered["missing"]}

    shifted = not_matching[altered["shifted"]]
    assert shifted["status"] == "berbeda"
    assert [(d["field"], d["desk"], d["kpu"], d["selisih"]) for d in shifted["differences"]] == [
        ("suara.2", 117, 617, 500)
    ]
    swapped = not_matching[altered["swapped"]]
    votes = twenty["details"][altered["swapped"]]["suara"]
    first, second = votes["1"], votes["2"]
    assert first != second
    assert [(d["field"], d["desk"], d["kpu"]) for d in swapped["differences"]] == [
        ("suara.1", first, second),
        ("suara.2", second, first),
    ]
    assert not_matching[altered["missing"]]["status"] == "tidak_di_kpu"
    assert not_matching[altered["missing"]]["differences"] == []

    # Per kecamatan: the digit shift and the swap are in Ampenan, the missing one in Cakranegara.
    kids = {c["code"]: c for c in data["children"]}
    assert (kids["527101"]["cocok"], kids["527101"]["berbeda"]) == (12, 2)
    assert (kids["527103"]["cocok"], kids["527103"]["tidak_di_kpu"]) == (5, 1)
    assert kids["527102"]["cocok"] == 0
    # Sums over the TPS both sides have: only paslon 2 differs in total (+500; a swap keeps
    # the sum of both columns but moves each).
    desk_2 = sum(
        twenty["details"][t]["suara"]["2"] for t in twenty["codes"] if t != altered["missing"]
    )
    assert data["sums"]["2"]["desk"] == desk_2
    assert data["sums"]["2"]["kpu"] == desk_2 + 500 + (first - second)

    # Per kelurahan, down to each TPS.
    kelurahan = api_for(admin).get(f"/api/v1/kpu/crosscheck?region={AMPENAN_SELATAN}").json()
    assert kelurahan["counts"]["berbeda"] == 1
    rows = {c["code"]: c for c in kelurahan["children"]}
    assert rows[altered["shifted"]]["berbeda"] == 1
    pejeruk = api_for(admin).get(f"/api/v1/kpu/crosscheck?region={PEJERUK}").json()
    assert (pejeruk["counts"]["cocok"], pejeruk["counts"]["berbeda"]) == (5, 1)


def test_it_shows_the_differences_to_the_desk(tmp_path, twenty, client_for, admin, viewer):
    altered = write_files(tmp_path, twenty)
    call_command("import_sirekap", str(tmp_path), stdout=io.StringIO())
    page = client_for(viewer).get("/situasi/kpu/").content.decode()
    assert 'data-testid="count-cocok">17<' in page
    assert 'data-testid="count-berbeda">2<' in page
    assert f'data-tps="{altered["shifted"]}" data-field="suara.2"' in page
    assert f'data-tps="{altered["missing"]}" data-status="tidak_di_kpu"' in page
    assert "/situasi/kpu/?wilayah=527101" in page
    drill = client_for(viewer).get("/situasi/kpu/?wilayah=527101&kontes=ppwp")
    assert drill.status_code == 200
    assert 'data-testid="count-berbeda">2<' in drill.content.decode()
    # CSV of the differences, with the audit head; the export is audited.
    response = client_for(admin).get("/situasi/kpu/selisih.csv?wilayah=5271")
    text = response.content.decode()
    assert text.startswith("# Selisih desk dan KPU")
    rows = list(csv.DictReader(io.StringIO(text.split("\r\n", 1)[1])))
    assert [(r["kode_tps"], r["isian"], r["selisih_kpu_desk"]) for r in rows] == sorted(
        [
            (altered["shifted"], "suara.2", "500"),
            (altered["swapped"], "suara.1", str(rows[1]["selisih_kpu_desk"])),
            (altered["swapped"], "suara.2", str(-int(rows[1]["selisih_kpu_desk"]))),
            (altered["missing"], "", ""),
        ]
    )
    entry = AuditEntry.objects.filter(action="report.export").latest("seq")
    assert entry.payload["kind"] == "selisih-kpu"


def test_it_shows_the_differences_to_the_public(tmp_path, twenty, client, settings):
    altered = write_files(tmp_path, twenty)
    call_command("import_sirekap", str(tmp_path), stdout=io.StringIO())
    settings.DESKPEMILU_PUBLIC_PORTAL = True
    page = client.get("/publik/kpu/").content.decode()
    assert 'data-testid="count-berbeda">2<' in page
    assert f'href="/publik/tps/{altered["shifted"]}/"' in page
    tps_page = client.get(f"/publik/tps/{altered['shifted']}/").content.decode()
    assert "Data KPU (Sirekap)" in tps_page and "617" in tps_page
    csv_text = client.get("/publik/kpu/5271/selisih.csv").content.decode()
    assert "kepala rantai audit" in csv_text.splitlines()[0]


def test_it_counts_a_tps_kpu_has_and_the_desk_has_not_verified(tmp_path, api_for, admin):
    tps = tps_of(PEJERUK, 1)[0]
    body = sheet_for_tps(tps)
    enter(api_for(admin), tps, body)  # entered, not verified
    (tmp_path / f"{tps}.json").write_text(
        json.dumps(to_sirekap(body["administrasi"], body["suara"]))
    )
    call_command("import_sirekap", str(tmp_path), stdout=io.StringIO())
    data = api_for(admin).get(f"/api/v1/kpu/crosscheck?region={PEJERUK}").json()
    assert data["counts"]["tidak_di_desk"] == 1
    assert data["tps"][0]["tps"] == tps and data["tps"][0]["status"] == "tidak_di_desk"


def test_it_replaces_a_tps_imported_again(tmp_path, twenty, api_for, admin):
    write_files(tmp_path, twenty)
    call_command("import_sirekap", str(tmp_path), stdout=io.StringIO())
    fixed = tmp_path / "koreksi"
    fixed.mkdir()
    shifted = twenty["codes"][3]
    (fixed / f"{shifted}.json").write_text(json.dumps(as_published(twenty["details"][shifted])))
    call_command("import_sirekap", str(fixed), stdout=io.StringIO())
    assert SirekapTps.objects.filter(tps_id=shifted).count() == 2
    assert SirekapTps.objects.filter(tps_id=shifted, is_current=True).count() == 1
    data = api_for(admin).get("/api/v1/kpu/crosscheck").json()
    assert (data["counts"]["cocok"], data["counts"]["berbeda"]) == (18, 1)


def test_it_keeps_what_cannot_be_read_as_problems(tmp_path, twenty):
    codes = twenty["codes"]
    good = as_published(twenty["details"][codes[0]])
    (tmp_path / f"{codes[0]}.json").write_text(json.dumps(good))
    (tmp_path / "5271011004999.json").write_text(json.dumps(good))  # no such TPS
    (tmp_path / "rusak.json").write_text("{not json")
    (tmp_path / "tanpa-kode.json").write_text(json.dumps(good))
    unknown = {**good, "chart": {"100099": 5, "null": None}}
    (tmp_path / f"{codes[1]}.json").write_text(json.dumps(unknown))
    boolean = {**good, "administrasi": {**good["administrasi"], "suara_sah": True}}
    (tmp_path / f"{codes[2]}.json").write_text(json.dumps(boolean))
    # Not published yet: Sirekap's nulls.
    empty = {"chart": None, "administrasi": None, "images": [], "ts": "2024-02-14 13:00:00"}
    (tmp_path / f"{codes[4]}.json").write_text(json.dumps(empty))
    err = io.StringIO()
    call_command("import_sirekap", str(tmp_path), stdout=io.StringIO(), stderr=err)
    batch = SirekapImport.objects.get()
    assert (batch.files, batch.tps_count, batch.empty) == (7, 1, 1)
    assert sorted(p["code"] for p in batch.problems) == [
        "angka_tidak_valid",
        "json_tidak_valid",
        "kode_tps_tidak_valid",
        "pilihan_tidak_dikenal",
        "tps_tidak_dikenal",
    ]
    assert "rusak.json" in err.getvalue()
    assert AuditEntry.objects.filter(action="sirekap.import").count() == 1


def test_it_reads_the_code_from_a_field_a_list_and_a_mapping(tmp_path, twenty, api_for, admin):
    codes = twenty["codes"]
    records = []
    for tps in codes[:3]:
        data = as_published(twenty["details"][tps])
        data["kode_tps"] = tps
        records.append(data)
    (tmp_path / "kumpulan.json").write_text(json.dumps(records))
    # Another mapping: a file keyed by the desk's own choice numbers, via "suara".
    detail = twenty["details"][codes[3]]
    keyed = {"kode_tps": codes[3], "administrasi": {"suara_sah": 1}, "suara": detail["suara"]}
    (tmp_path / "lain.json").write_text(json.dumps({codes[3]: keyed}))
    mapping = tmp_path / "peta.json"
    mapping.write_text(json.dumps({"100025": "1", "100026": "2", "100027": "3"}))
    call_command("import_sirekap", str(tmp_path), "--pemetaan", str(mapping), stdout=io.StringIO())
    assert set(SirekapTps.objects.values_list("tps_id", flat=True)) == set(codes[:4])
    data = api_for(admin).get("/api/v1/kpu/crosscheck").json()
    diffs = {t["tps"]: t["differences"] for t in data["tps"] if t["status"] == "berbeda"}
    assert [d["field"] for d in diffs[codes[3]]] == ["administrasi.suara_sah"]


def test_it_imports_an_uploaded_zip(tmp_path, twenty, client_for, admin, viewer, lurah):
    write_files(tmp_path, twenty)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(tmp_path.glob("*.json")):
            archive.write(path, f"ppwp/52/5271/{path.name}")
    upload = SimpleUploadedFile("sirekap-ppwp-5271.zip", buffer.getvalue(), "application/zip")
    web = client_for(admin)
    assert web.get("/situasi/kpu/impor/").status_code == 200
    response = web.post("/situasi/kpu/impor/", {"kontes": "ppwp", "berkas": [upload]})
    assert response.status_code == 302
    batch = SirekapImport.objects.get()
    assert (batch.files, batch.tps_count, batch.imported_by) == (19, 19, admin)
    page = web.get(response.url).content.decode()
    assert "19 TPS tersimpan" in page
    assert 'data-testid="count-berbeda">2<' in page
    # Only the desk imports; leaders read; others see nothing of it.
    assert client_for(viewer).get("/situasi/kpu/impor/").status_code == 403
    assert client_for(viewer).get("/situasi/kpu/").status_code == 200
    assert client_for(lurah).get("/situasi/kpu/").status_code == 403


def test_it_refuses_an_upload_without_files(client_for, admin):
    web = client_for(admin)
    response = web.post("/situasi/kpu/impor/", {"kontes": "ppwp"})
    assert response.status_code == 422
    broken = SimpleUploadedFile("sirekap.zip", b"PK not really a zip", "application/zip")
    response = web.post("/situasi/kpu/impor/", {"kontes": "ppwp", "berkas": [broken]})
    assert response.status_code == 422
    assert "bukan berkas zip" in response.content.decode()
    assert SirekapImport.objects.count() == 0


def test_it_keeps_the_crosscheck_api_to_the_desk(api_for, lurah, operator):
    for user in (lurah, operator):
        assert api_for(user).get("/api/v1/kpu/crosscheck").status_code == 403


def test_it_compares_only_what_kpu_published():
    desk_admin = {
        "suara_sah": 210,
        "suara_tidak_sah": 4,
        "pemilih_dpt_l": 120,
        "pemilih_dpt_p": 125,
    }
    desk_votes = {"1": 60, "2": 120, "3": 30}
    # KPU left paslon 3 and the invalid votes out (null): unknown, not a difference.
    assert compare(desk_admin, desk_votes, {"suara_sah": 210}, {"1": 60, "2": 120}) == []
    # A total is compared only where its parts are missing.
    diffs = compare(desk_admin, desk_votes, {"pemilih_dpt_j": 250}, {})
    assert [(d.field, d.desk, d.kpu) for d in diffs] == [("administrasi.pemilih_dpt_j", 245, 250)]
    both = {"pemilih_dpt_l": 120, "pemilih_dpt_p": 125, "pemilih_dpt_j": 999}
    assert compare(desk_admin, desk_votes, both, {}) == []


def test_it_reads_sirekap_chart_ids():
    record = {"chart": {"100025": 60, "100026": 120, "100027": 30, "null": None}}
    reading = read_files(
        [("5271011004001.json", json.dumps(record).encode())],
        choice_keys=lambda code: {"1", "2", "3"},
        mapping=PPWP_CHART_IDS,
    )
    assert reading.problems == []
    assert reading.records[0].suara == {"1": 60, "2": 120, "3": 30}


def test_it_says_why_a_command_import_cannot_start(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="bukan berkas atau direktori"):
        call_command("import_sirekap", str(tmp_path / "tidak-ada"), stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"tidak ada berkas \.json"):
        call_command("import_sirekap", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Surat suara tidak dikenal"):
        call_command("import_sirekap", str(tmp_path), "--kontes", "pilkada", stdout=io.StringIO())
    assert SirekapImport.objects.count() == 0
