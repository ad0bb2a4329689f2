"""/hasil/: where every TPS of the account's area stands per ballot, and a TPS picker."""

import json

import pytest

from deskpemilu.results.tests.sheets import sheet_for_tps

KELURAHAN = "5271011004"  # Ampenan Selatan, 26 TPS


def put(client, contest, tps):
    body = json.dumps(sheet_for_tps(tps, contest))
    url = f"/api/v1/results/{contest}/{tps}"
    assert client.put(url, body, content_type="application/json").status_code == 201


@pytest.mark.django_db
def test_it_shows_the_operator_the_tps_of_their_kelurahan(client_for, api_for, operator):
    put(api_for(operator), "ppwp", f"{KELURAHAN}001")
    html = client_for(operator).get("/hasil/").content.decode()
    assert "Ampenan Selatan" in html
    assert html.count('data-sheet="ppwp/') == 26
    first = html.split(f'data-sheet="ppwp/{KELURAHAN}001"')[1].split("</a>")[0]
    assert "dientri" in first
    second = html.split(f'data-sheet="ppwp/{KELURAHAN}002"')[1].split("</a>")[0]
    assert "belum" in second
    assert f'href="/hasil/dpr/{KELURAHAN}001/isi/"' in html


@pytest.mark.django_db
def test_it_keeps_the_queries_constant(
    client_for, api_for, operator, django_assert_max_num_queries
):
    client = client_for(operator)
    client.get("/hasil/")  # warm the per-process contest cache
    with django_assert_max_num_queries(12) as few:
        client.get("/hasil/")
    empty = len(few)  # read now: the next request resets the connection's query log
    for n in range(1, 8):
        for contest in ("ppwp", "dpr"):
            put(api_for(operator), contest, f"{KELURAHAN}{n:03d}")
    with django_assert_max_num_queries(empty):
        client.get("/hasil/")


@pytest.mark.django_db
def test_it_shows_the_desk_the_city_by_kecamatan(
    client_for, api_for, operator, admin, django_assert_max_num_queries
):
    put(api_for(operator), "ppwp", f"{KELURAHAN}001")
    client = client_for(admin)
    client.get("/hasil/")
    with django_assert_max_num_queries(12):
        html = client.get("/hasil/").content.decode()
    assert "Ampenan" in html and "Sandubaya" in html
    assert "Antrean verifikasi" in html and "Antrean selisih" in html
    ampenan = html.split("?wilayah=527101")[1].split("</tr>")[0]
    assert "1 · " in ampenan


@pytest.mark.django_db
def test_it_hides_other_areas(client_for, operator, outsider):
    assert client_for(operator).get("/hasil/?wilayah=527103").status_code == 403
    assert client_for(outsider).get(f"/hasil/?wilayah={KELURAHAN}").status_code == 403


@pytest.mark.django_db
def test_it_picks_a_tps_by_code_or_by_kelurahan_and_number(client_for, operator, viewer):
    client = client_for(operator)
    by_code = client.get("/hasil/pilih/", {"kontes": "dpd", "tps": "52.71.01.1004 TPS 007"})
    assert by_code["Location"] == f"/hasil/dpd/{KELURAHAN}007/isi/"
    by_number = client.get(
        "/hasil/pilih/", {"kontes": "ppwp", "kelurahan": KELURAHAN, "nomor": "3"}
    )
    assert by_number["Location"] == f"/hasil/ppwp/{KELURAHAN}003/isi/"
    read_only = client_for(viewer).get(
        "/hasil/pilih/", {"kontes": "ppwp", "tps": f"{KELURAHAN}003"}
    )
    assert read_only["Location"] == f"/hasil/ppwp/{KELURAHAN}003/"


@pytest.mark.django_db
def test_it_says_the_same_for_missing_and_foreign_tps(client_for, operator):
    client = client_for(operator)
    for code in ("5271031006001", "5271011004999", "12"):
        response = client.get("/hasil/pilih/", {"tps": code}, follow=True)
        assert "tidak ditemukan di wilayah Anda" in response.content.decode()
