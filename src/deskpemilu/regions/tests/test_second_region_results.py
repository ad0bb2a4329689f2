"""Results entry in a second region (issue 17): Kabupaten Sumbawa Barat loaded after the
elections, a ppwp sheet entered by an operator of a KSB desa, verified by a second person and
recapped up to the kabupaten, while Kota Mataram's figures stay as they were. A contest that is
not on the ballot there (DPRD Kota Mataram) is refused with its own code."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from deskpemilu.regions.seed import DATA_DIR
from deskpemilu.results.contests import clear_cache
from deskpemilu.results.models import Choice, Rollup, RollupKind
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps, with_votes

from .conftest import csv_bytes

KSB = "5207"
GOA = "5207012001"  # a desa of Kecamatan Jereweh
GOA_TPS = [f"{GOA}001", f"{GOA}002", f"{GOA}003"]
# Distinctive figures of the one sheet entered, to find on the pages.
VOTES = {"1": 137, "2": 59, "3": 41}


def put(client, contest, tps, body):
    return client.put(
        f"/api/v1/results/{contest}/{tps}", data=json.dumps(body), content_type="application/json"
    )


def load_ksb(tmp_path, election: str = "") -> None:
    """The documented steps: the regions, then the TPS list (of `election`, default the active)."""
    out = io.StringIO()
    call_command("load_regions", str(DATA_DIR / "sumbawa_barat_wilayah.csv"), stdout=out)
    tps = tmp_path / "tps.csv"
    rows = [
        [GOA_TPS[0], "1", "SDN 1 Goa", "150", "160", "", ""],
        [GOA_TPS[1], "2", "Balai Desa Goa", "140", "145", "", ""],
        [GOA_TPS[2], "3", "Posyandu Goa", "120", "118", "", ""],
    ]
    tps.write_bytes(csv_bytes(rows))
    extra = ["--pemilihan", election] if election else []
    call_command("import_tps", str(tps), *extra, stdout=out)


@pytest.fixture
def ksb(db, settings, tmp_path):
    load_ksb(tmp_path)
    settings.DESKPEMILU_INSTALLATION_REGION = KSB
    return KSB


@pytest.fixture
def goa_operator(make_user):
    return make_user("op_goa", "operator", GOA, "diskominfo")


def test_a_region_loaded_after_the_election_has_its_rollup_rows(ksb):
    # Made by load_regions, so a sheet write never inserts rows while it holds others' locks.
    for code in (KSB, "520701", GOA):
        assert Rollup.objects.filter(region_id=code, contest_id="ppwp").count() == len(
            RollupKind.values
        ), code


def test_the_national_and_provincial_contests_take_a_ksb_sheet(ksb, goa_operator, api_for):
    client = api_for(goa_operator)
    assert put(client, "ppwp", GOA_TPS[0], sheet_for_tps(GOA_TPS[0])).status_code == 201
    assert put(client, "dpd", GOA_TPS[0], sheet_for_tps(GOA_TPS[0], "dpd")).status_code == 201


def test_a_contest_not_on_the_ballot_there_is_refused_with_a_code(
    ksb, goa_operator, api_for, client_for
):
    body = sheet_for_tps("5271011004001", "dprd-kabkota")  # any body: the TPS decides first
    answer = put(api_for(goa_operator), "dprd-kabkota", GOA_TPS[0], body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["code"] == "kontes_tidak_di_tps"
    web = client_for(goa_operator)
    # The pages: the TPS's own ballots open, the other one is not there (404, not a 500).
    assert web.get(f"/hasil/ppwp/{GOA_TPS[0]}/isi/").status_code == 200
    assert web.get(f"/hasil/dprd-kabkota/{GOA_TPS[0]}/isi/").status_code == 404


def test_a_ksb_sheet_is_entered_verified_and_recapped(
    ksb, goa_operator, verifier, admin, api_for, client_for
):
    desk = api_for(admin)
    mataram_before = desk.get("/api/v1/recap/ppwp/5271").json()
    before = desk.get(f"/api/v1/recap/ppwp/{KSB}").json()
    assert before["tps_total"] == 3

    body = with_votes(sheet_for_tps(GOA_TPS[0]), VOTES)
    operator = api_for(goa_operator)
    assert put(operator, "ppwp", GOA_TPS[0], body).status_code == 201
    attach_photo(operator, "ppwp", GOA_TPS[0])
    verified = api_for(verifier).post(
        f"/api/v1/results/ppwp/{GOA_TPS[0]}/verify",
        data=json.dumps({"version": 1}),
        content_type="application/json",
    )
    assert verified.status_code == 200, verified.content
    assert verified.json()["status"] == "terverifikasi"

    recap = desk.get(f"/api/v1/recap/ppwp/{KSB}?verified_only=true").json()
    assert recap["tps_total"] == 3
    assert recap["tps_reported"] == 1
    assert {k: v for k, v in recap["totals"].items() if v} == VOTES
    assert desk.get("/api/v1/recap/ppwp/5271").json() == mataram_before

    web = client_for(admin)
    for url in (f"/rekap/ppwp/{KSB}/", "/", "/situasi/"):
        page = web.get(url)
        assert page.status_code == 200, url
        assert "137" in page.content.decode(), url

    out = io.StringIO()
    call_command("check_recap", stdout=out)
    assert out.getvalue().startswith("OK")
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "OK" in out.getvalue()


def test_the_region_s_pages_list_only_the_contests_cast_there(ksb, admin, client_for):
    """The recap's ballot tabs and the situation room's rows at KSB: the presidential, DPD and
    provincial races, never Kota Mataram's DPRD or Pilwalkot."""
    web = client_for(admin)
    recap = web.get(f"/rekap/ppwp/{KSB}/").content.decode()
    assert f"/rekap/dpd/{KSB}/" in recap
    assert "/rekap/dprd-kabkota/" not in recap
    assert "/rekap/pkwkk/" not in recap
    mataram = web.get("/rekap/ppwp/5271/").content.decode()
    assert "/rekap/dprd-kabkota/5271/" in mataram
    room = web.get("/situasi/").content.decode()
    assert "DPRD Kota" not in room
    assert "DPD" in room


def test_the_portal_publishes_only_the_contests_cast_there(ksb, settings, client):
    """The same rule at the public doors: the region's recap tabs and its open data."""
    settings.DESKPEMILU_PUBLIC_PORTAL = True
    cache.clear()
    try:
        data = client.get("/publik/data/").content.decode()
        assert f"/publik/data/ppwp/{KSB}.csv" in data
        assert "/publik/data/dprd-kabkota/" not in data
        assert "/publik/data/pkwkk/" not in data
        recap = client.get(f"/publik/wilayah/{KSB}/").content.decode()
        assert "kontes=dpd" in recap
        assert "kontes=dprd-kabkota" not in recap
    finally:
        cache.clear()


EXAMPLE = (
    DATA_DIR.parent.parent / "results" / "data" / "examples" / "pilkada2024_sumbawa_barat.json"
)


@pytest.fixture
def ksb_pilkada(db, settings, tmp_path):
    """KSB with its Pilkada 2024 TPS and the example election file of its own contest, Pilkada
    2024 active: the README's steps for results entry in another region."""
    load_ksb(tmp_path, election="pilkada2024")
    out = io.StringIO()
    call_command("load_election", str(EXAMPLE), stdout=out)
    assert "contests 1" in out.getvalue()
    call_command("activate_election", "pilkada2024", stdout=out)
    settings.DESKPEMILU_INSTALLATION_REGION = KSB
    yield KSB
    clear_cache()  # the contest rolls back with the test: not in the next test's lookups


def test_the_example_file_needs_the_region_first(db):
    with pytest.raises(CommandError, match="unknown region"):
        call_command("load_election", str(EXAMPLE), stdout=io.StringIO())


def test_the_example_election_file_loads_once(ksb_pilkada):
    out = io.StringIO()
    call_command("load_election", str(EXAMPLE), stdout=out)
    assert "contests 0" in out.getvalue() and "choices 0" in out.getvalue()
    labels = Choice.objects.filter(dapil__contest_id="pkwkk-5207").values_list("label", "is_demo")
    assert sorted(labels) == [("Paslon nomor 1 (demo)", True), ("Paslon nomor 2 (demo)", True)]


def test_the_region_s_own_contest_is_entered_and_recapped(
    ksb_pilkada, goa_operator, admin, api_for, client_for
):
    operator = api_for(goa_operator)
    body = with_votes(sheet_for_tps(GOA_TPS[1], "pkwkk-5207"), {"1": 151, "2": 66})
    assert put(operator, "pkwkk-5207", GOA_TPS[1], body).status_code == 201
    # The Pilgub covers the province; the Pilwalkot of Mataram is not on a KSB ballot.
    assert put(operator, "pkwkp", GOA_TPS[1], sheet_for_tps(GOA_TPS[1], "pkwkp")).status_code == 201
    refused = put(operator, "pkwkk", GOA_TPS[1], body)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "kontes_tidak_di_tps"

    recap = api_for(admin).get(f"/api/v1/recap/pkwkk-5207/{KSB}").json()
    assert recap["tps_total"] == 3
    assert recap["tps_reported"] == 1
    assert {k: v for k, v in recap["totals"].items() if v} == {"1": 151, "2": 66}
    page = client_for(admin).get(f"/rekap/pkwkk-5207/{KSB}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Rekap Pilbup KSB · Kabupaten Sumbawa Barat" in body
    assert "Paslon nomor 1 (demo)" in body and "151" in body
    out = io.StringIO()
    call_command("check_recap", stdout=out)
    assert out.getvalue().startswith("OK")
