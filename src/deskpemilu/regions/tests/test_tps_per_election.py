"""TPS per election (README, "TPS per election"): Pemilu 2024 has 1,248 TPS in Kota Mataram,
Pilkada 2024 581 with the same 13-digit code shapes but other numbers and DPT. The API gives an
election's TPS, counts and DPT with `?pemilihan=` (default the active election), `import_tps
--pemilihan` loads KPU's list of one election, and a Pilkada contest's results address Pilkada's
TPS while Pemilu 2024's figures stay as they were."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from deskpemilu.regions.models import Region, Tps
from deskpemilu.results.rollups import check_rollups
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps

KELURAHAN = "5271011004"  # Pemilu 2024: 26 TPS; Pilkada 2024 (demo): 12
SHARED = "5271011004003"  # in both: DPT 245 (Pemilu), 542 (Pilkada)
PEMILU_ONLY = "5271011004020"


def activate(code):
    call_command("activate_election", code, stdout=io.StringIO())


def put(client, contest, tps, body):
    return client.put(
        f"/api/v1/results/{contest}/{tps}", data=json.dumps(body), content_type="application/json"
    )


@pytest.mark.django_db
def test_the_tps_api_gives_the_tps_of_the_election_asked(api_for, viewer):
    client = api_for(viewer)
    pemilu = client.get(f"/api/v1/tps/{SHARED}").json()
    assert (pemilu["code"], pemilu["election"], pemilu["dpt"]) == (SHARED, "pemilu2024", 245)
    pilkada = client.get(f"/api/v1/tps/{SHARED}", {"pemilihan": "pilkada2024"}).json()
    assert (pilkada["code"], pilkada["election"], pilkada["dpt"]) == (SHARED, "pilkada2024", 542)
    assert client.get(f"/api/v1/tps/{SHARED}", {"pemilihan": "pemilu2024"}).json() == pemilu
    # A TPS of Pemilu 2024 that the merged Pilkada list does not have.
    assert client.get(f"/api/v1/tps/{PEMILU_ONLY}").status_code == 200
    missing = client.get(f"/api/v1/tps/{PEMILU_ONLY}", {"pemilihan": "pilkada2024"})
    assert missing.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pemilihan", "status", "code"),
    [
        ("pilkada2029", 404, "pemilihan_tidak_dikenal"),
        ("Pilkada 2024", 422, "pemilihan_tidak_valid"),
        ("x" * 21, 422, "pemilihan_tidak_valid"),
        ("pilkada\x002024", 422, "pemilihan_tidak_valid"),
    ],
)
def test_an_unknown_election_is_refused_with_a_code(api_for, viewer, pemilihan, status, code):
    client = api_for(viewer)
    for url in (f"/api/v1/tps/{SHARED}", "/api/v1/regions/5271"):
        response = client.get(url, {"pemilihan": pemilihan})
        assert response.status_code == status, (url, response.content)
        assert response.json()["errors"][0]["code"] == code


@pytest.mark.django_db
def test_the_region_api_counts_the_tps_and_dpt_of_each_election(api_for, viewer):
    client = api_for(viewer)
    pemilu = client.get("/api/v1/regions/5271").json()
    assert pemilu["tps_count"] == 1248
    pilkada = client.get("/api/v1/regions/5271", {"pemilihan": "pilkada2024"}).json()
    assert (pilkada["tps_count"], pilkada["dpt"]) == (581, 320_604)
    assert sum(c["tps_count"] for c in pilkada["children"]) == 581
    assert {c["code"]: c["dpt"] for c in pilkada["children"]}["527101"] == 64_404
    kelurahan = client.get(f"/api/v1/regions/{KELURAHAN}", {"pemilihan": "pilkada2024"}).json()
    assert kelurahan["tps_count"] == 12 == len(kelurahan["children"])
    assert kelurahan["children"][2] == {
        "code": SHARED,
        "name": "TPS 003",
        "level": "tps",
        "tps_count": 1,
        "dpt": 542,
    }
    assert kelurahan["dpt_is_demo"] is True
    assert client.get(f"/api/v1/regions/{KELURAHAN}").json()["tps_count"] == 26
    elections = {e["code"]: e["tps_count"] for e in client.get("/api/v1/elections").json()}
    assert elections == {"pemilu2024": 1248, "pilkada2024": 581}


@pytest.mark.django_db
def test_the_default_follows_the_active_election(api_for, viewer):
    activate("pilkada2024")
    client = api_for(viewer)
    assert client.get("/api/v1/regions/5271").json()["tps_count"] == 581
    assert client.get(f"/api/v1/tps/{SHARED}").json()["dpt"] == 542
    assert client.get(f"/api/v1/tps/{PEMILU_ONLY}").status_code == 404
    pemilu = client.get("/api/v1/regions/5271", {"pemilihan": "pemilu2024"}).json()
    assert pemilu["tps_count"] == 1248
    activate("pemilu2024")
    assert client.get("/api/v1/regions/5271").json()["tps_count"] == 1248


@pytest.mark.django_db
def test_import_tps_loads_the_list_of_the_election_named(tmp_path: Path, api_for, viewer):
    path = tmp_path / "kpu_pilkada.csv"
    path.write_text(
        "kode_tps,nomor,alamat,dpt_l,dpt_p,lat,lon\n"
        f"{SHARED},3,Jl. Contoh 3,300,290,,\n"
        f"{KELURAHAN}013,13,Jl. Contoh 13,200,210,,\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_tps", str(path), "--pemilihan", "pilkada2024", stdout=out)
    assert "1 TPS baru, 1 diubah" in out.getvalue()
    client = api_for(viewer)
    pilkada = client.get(f"/api/v1/tps/{SHARED}", {"pemilihan": "pilkada2024"}).json()
    assert (pilkada["dpt"], pilkada["address"], pilkada["is_demo"]) == (590, "Jl. Contoh 3", False)
    # Pemilu 2024's TPS of the same code, and its counts, are untouched.
    assert client.get(f"/api/v1/tps/{SHARED}").json()["dpt"] == 245
    assert client.get("/api/v1/regions/5271").json()["tps_count"] == 1248
    counts = client.get("/api/v1/regions/5271", {"pemilihan": "pilkada2024"}).json()
    assert (counts["tps_count"], counts["dpt"]) == (582, 320_604 + 48 + 410)
    with pytest.raises(CommandError, match="pilkada2029"):
        call_command("import_tps", str(path), "--pemilihan", "pilkada2029", stdout=io.StringIO())


@pytest.mark.django_db
def test_seed_mataram_loads_both_elections_once():
    assert Tps.every.filter(election="pemilu2024").count() == 1248
    assert Tps.every.filter(election="pilkada2024").count() == 581
    out = io.StringIO()
    call_command("seed_mataram", stdout=out)
    assert "tidak ada yang diubah" in out.getvalue()
    assert Tps.every.count() == 1248 + 581
    assert Region.objects.get(code="5271").counts_in("pilkada2024") == (
        581,
        sum(Tps.every.filter(election="pilkada2024").values_list("dpt_l", flat=True)),
        sum(Tps.every.filter(election="pilkada2024").values_list("dpt_p", flat=True)),
    )


@pytest.mark.django_db
def test_pilkada_results_address_pilkadas_tps_and_pemilu_stays_readable(
    api_for, operator, verifier, viewer
):
    entering, checking, reader = api_for(operator), api_for(verifier), api_for(viewer)
    pemilu = sheet_for_tps(SHARED, "ppwp")
    assert put(entering, "ppwp", SHARED, pemilu).status_code == 201
    before = reader.get("/api/v1/recap/ppwp/5271").json()
    before_kelurahan = reader.get(f"/api/v1/recap/ppwp/{KELURAHAN}").json()

    activate("pilkada2024")
    # The sheet carries Pilkada's DPT for this TPS (542): it is Pilkada's TPS that is checked.
    walikota = sheet_for_tps(SHARED, "pkwkk")
    assert (
        walikota["administrasi"]["pemilih_dpt_l"] + walikota["administrasi"]["pemilih_dpt_p"] == 542
    )
    response = put(entering, "pkwkk", SHARED, walikota)
    assert response.status_code == 201, response.content
    assert not any(f["code"] == "dpt_beda_data_induk" for f in response.json()["flags"])
    # Pemilu 2024's TPS 020 has no Pilkada counterpart: nothing to enter there.
    assert put(entering, "pkwkk", PEMILU_ONLY, walikota).status_code == 404
    attach_photo(entering, "pkwkk", SHARED)
    verified = checking.post(
        f"/api/v1/results/pkwkk/{SHARED}/verify",
        data=json.dumps({"version": 1}),
        content_type="application/json",
    )
    assert verified.status_code == 200, verified.content

    sheet = reader.get(f"/api/v1/results/pkwkk/{SHARED}").json()
    assert sheet["status"] == "terverifikasi"
    recap = reader.get("/api/v1/recap/pkwkk/5271").json()
    assert (recap["tps_total"], recap["tps_reported"], recap["tps_verified"]) == (581, 1, 1)
    assert recap["totals"] == walikota["suara"]
    assert sum(c["tps_total"] for c in recap["children"]) == 581
    kelurahan = reader.get(f"/api/v1/recap/pkwkk/{KELURAHAN}").json()
    assert kelurahan["tps_total"] == 12 == len(kelurahan["children"])
    assert kelurahan["children"][2]["code"] == SHARED
    assert kelurahan["children"][2]["status"] == "terverifikasi"

    # Pemilu 2024: its figures as they were, and over its own 1,248 TPS.
    after = reader.get("/api/v1/recap/ppwp/5271").json()
    assert after["totals"] == before["totals"] and after["tps_total"] == 1248
    assert reader.get(f"/api/v1/recap/ppwp/{KELURAHAN}").json() == before_kelurahan
    assert reader.get(f"/api/v1/results/ppwp/{SHARED}").json()["status"] == "dientri"
    assert check_rollups() == []


@pytest.mark.django_db
def test_the_results_pages_of_pilkada_show_pilkadas_tps(client_for, api_for, operator, admin):
    activate("pilkada2024")
    body = sheet_for_tps(SHARED, "pkwkk")
    assert put(api_for(operator), "pkwkk", SHARED, body).status_code == 201
    activate("pemilu2024")
    web = client_for(admin)
    grid = web.get("/hasil/", {"wilayah": KELURAHAN, "pemilihan": "pilkada2024"})
    assert grid.status_code == 200
    assert len(grid.context["tps_rows"]) == 12
    assert [r["tps"].dpt for r in grid.context["tps_rows"]][2] == 542
    assert len(web.get("/hasil/", {"wilayah": KELURAHAN}).context["tps_rows"]) == 26
    # The sheet of Pilkada's TPS 003 opens from the grid's link, read-only.
    link = grid.context["tps_rows"][2]["cells"][1]["url"]  # pkwkp, pkwkk
    assert link == f"/hasil/pkwkk/{SHARED}/"
    assert web.get(link).status_code == 200
    # The D.Hasil of the kelurahan: one column per Pilkada TPS; of the kota: 581 TPS.
    dhasil = web.get(f"/rekap/pkwkk/{KELURAHAN}/dhasil/")
    assert dhasil.status_code == 200
    assert (len(dhasil.context["d"].columns), dhasil.context["d"].tps_total) == (12, 12)
    assert dhasil.context["d"].tps_counted == 1
    assert web.get("/rekap/pkwkk/5271/dhasil/").context["d"].tps_total == 581
    assert web.get("/rekap/ppwp/5271/dhasil/").context["d"].tps_total == 1248
    # The TPS export of the contest lists Pilkada's TPS, by their KPU code.
    export = web.get("/rekap/tps.csv", {"contest": "pkwkk", "region": KELURAHAN})
    assert export.status_code == 200
    lines = export.content.decode("utf-8-sig").splitlines()
    data = [line for line in lines if line.startswith("5271011004")]
    assert len(data) == 12 and data[2].startswith(f"{SHARED},")


@pytest.mark.django_db
def test_an_elections_tps_list_round_trips_through_export_and_import(tmp_path: Path):
    path = tmp_path / "pilkada.csv"
    call_command("export_tps", "--pemilihan", "pilkada2024", "-o", str(path), stdout=io.StringIO())
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 581
    assert "@" not in path.read_text(encoding="utf-8-sig")  # KPU codes, not storage keys
    out = io.StringIO()
    call_command("import_tps", str(path), "--pemilihan", "pilkada2024", stdout=out)
    # The demo flag goes (KPU's list replaces the demo), nothing else changes.
    assert "0 TPS baru" in out.getvalue()
    assert Tps.every.filter(election="pilkada2024").count() == 581
    assert Tps.every.filter(election="pemilu2024", is_demo=True).count() == 1248
    with pytest.raises(CommandError, match="pilkada2029"):
        call_command("export_tps", "--pemilihan", "pilkada2029", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_region_and_tps_pages_show_the_active_elections_tps(client_for, viewer):
    web = client_for(viewer)
    assert len(web.get(f"/wilayah/{KELURAHAN}/").context["page"].tps) == 26
    activate("pilkada2024")
    page = web.get(f"/wilayah/{KELURAHAN}/")
    assert len(page.context["page"].tps) == 12
    assert f'href="/wilayah/tps/{SHARED}/"' in page.content.decode()
    tps = web.get(f"/wilayah/tps/{SHARED}/")
    assert tps.status_code == 200
    assert tps.context["tps"].dpt == 542
    assert f'<dd class="code">{SHARED}</dd>' in tps.content.decode()
    assert web.get(f"/wilayah/tps/{PEMILU_ONLY}/").status_code == 404


@pytest.mark.django_db
def test_the_openapi_document_names_the_pemilihan_parameter(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/tps/{tps_code}", "/api/v1/regions/{code}"):
        operation = doc["paths"][path]["get"]
        names = {p["name"]: p for p in operation["parameters"]}
        assert names["pemilihan"]["in"] == "query"
        assert not names["pemilihan"].get("required", False)
        assert "pemilihan_tidak_dikenal" in operation["description"]


@pytest.mark.django_db
def test_a_query_for_another_election_stays_few_queries(
    api_for, admin, django_assert_max_num_queries
):
    client = api_for(admin)
    client.get("/api/v1/regions/5271", {"pemilihan": "pilkada2024"})
    # The token, the election, the region, its children (their counts per election on the
    # row), the demo flag: never one per child.
    with django_assert_max_num_queries(5):
        client.get("/api/v1/regions/5271", {"pemilihan": "pilkada2024"})
    with django_assert_max_num_queries(4):
        client.get(f"/api/v1/regions/{KELURAHAN}", {"pemilihan": "pilkada2024"})
    with django_assert_max_num_queries(3):
        client.get(f"/api/v1/tps/{SHARED}", {"pemilihan": "pilkada2024"})


@pytest.mark.django_db
def test_pemilu_recaps_keep_their_tps_while_pilkada_is_active(client_for, api_for, admin, viewer):
    activate("pilkada2024")
    assert api_for(viewer).get("/api/v1/recap/ppwp/5271").json()["tps_total"] == 1248
    page = client_for(admin).get("/rekap/dprd-kabkota/527102/kursi/")
    assert page.status_code == 200
    assert page.context["projections"][0].tps_total == 222  # Pemilu 2024's TPS of the dapil


@pytest.mark.django_db
def test_kpus_pilkada_files_are_checked_against_pilkadas_tps(
    tmp_path: Path, api_for, admin, operator, verifier
):
    from deskpemilu.portal.sirekap import to_sirekap

    activate("pilkada2024")
    entering = api_for(operator)
    body = sheet_for_tps(SHARED, "pkwkk")
    assert put(entering, "pkwkk", SHARED, body).status_code == 201
    attach_photo(entering, "pkwkk", SHARED)
    verified = api_for(verifier).post(
        f"/api/v1/results/pkwkk/{SHARED}/verify",
        data=json.dumps({"version": 1}),
        content_type="application/json",
    )
    assert verified.status_code == 200
    # KPU's file names the TPS by its 13-digit code; a second file names a Pemilu-only TPS.
    published = to_sirekap(body["administrasi"], body["suara"], chart_ids={})
    (tmp_path / f"{SHARED}.json").write_text(json.dumps(published))
    (tmp_path / f"{PEMILU_ONLY}.json").write_text(json.dumps(published))
    out = io.StringIO()
    call_command("import_sirekap", str(tmp_path), "--kontes", "pkwkk", stdout=out)
    assert "1 TPS tersimpan" in out.getvalue()
    data = (
        api_for(admin)
        .get("/api/v1/kpu/crosscheck", {"region": KELURAHAN, "contest": "pkwkk"})
        .json()
    )
    assert (data["counts"]["cocok"], data["counts"]["tps_total"]) == (1, 12)
    assert len(data["children"]) == 12 and data["children"][2]["code"] == SHARED
    assert data["children"][2]["cocok"] == 1
    whole = api_for(admin).get("/api/v1/kpu/crosscheck", {"region": "5271", "contest": "pkwkk"})
    assert whole.json()["counts"]["tps_total"] == 581


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key", [f"{SHARED}@%00", f"{SHARED}@" + "x" * 40, f"{SHARED}@pilkada2029", f"{SHARED}@"]
)
def test_a_malformed_storage_key_in_a_url_is_a_404(api_for, client_for, viewer, key):
    assert api_for(viewer).get(f"/api/v1/tps/{key}").status_code == 404
    assert client_for(viewer).get(f"/wilayah/tps/{key}/").status_code == 404


@pytest.mark.django_db
def test_a_storage_key_in_a_link_opens_that_elections_tps(api_for, viewer):
    client = api_for(viewer)
    assert client.get(f"/api/v1/tps/{SHARED}@pilkada2024").json()["dpt"] == 542
    # It may not contradict the election asked for.
    wrong = client.get(f"/api/v1/tps/{SHARED}@pilkada2024", {"pemilihan": "pemilu2024"})
    assert wrong.status_code == 404
