"""The anomaly list (page and API): every flagged sheet in the reader's scope, with its rule,
TPS, author and links; filters by contest, kecamatan and rule; constant queries."""

from __future__ import annotations

import copy
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from deskpemilu.dashboard.tests.helpers import AMPENAN_SELATAN, CAKRANEGARA_TIMUR, put
from deskpemilu.results.tests.sheets import sheet_for_tps

DPT_RULE = "dpt_beda_data_induk"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def dpt_differs(tps: str, contest: str = "ppwp") -> dict:
    """A consistent sheet whose DPT is 5 more than the master data says."""
    body = sheet_for_tps(tps, contest)
    body["administrasi"]["pemilih_dpt_l"] += 5
    return body


def confirmed_inconsistent(tps: str, contest: str = "ppwp") -> dict:
    """Valid votes that do not match section IV, confirmed by the operator with a note."""
    body = copy.deepcopy(sheet_for_tps(tps, contest))
    first = next(iter(body["suara"]))
    body["suara"][first] += 1
    body["konfirmasi_tidak_konsisten"] = True
    body["catatan"] = "Formulir memang tertulis demikian"
    return body


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (240, 240, 230)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def flagged(api_for, admin, operator):
    """Three flagged sheets (two kecamatan, two rules) and one clean sheet."""
    op = api_for(operator)
    first = f"{AMPENAN_SELATAN}001"
    assert put(op, "ppwp", first, dpt_differs(first))["flags"][0]["code"] == DPT_RULE
    photo = SimpleUploadedFile("c.jpg", jpeg(), "image/jpeg")
    assert op.post(f"/api/v1/results/ppwp/{first}/photos", {"foto": [photo]}).status_code == 201
    put(op, "dpr", f"{AMPENAN_SELATAN}002", confirmed_inconsistent(f"{AMPENAN_SELATAN}002", "dpr"))
    put(api_for(admin), "ppwp", f"{CAKRANEGARA_TIMUR}001", dpt_differs(f"{CAKRANEGARA_TIMUR}001"))
    put(op, "ppwp", f"{AMPENAN_SELATAN}003", sheet_for_tps(f"{AMPENAN_SELATAN}003"))
    return first


@pytest.mark.django_db
def test_it_lists_every_flagged_sheet(client_for, admin, flagged):
    page = client_for(admin).get("/rekap/anomali/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert {(r.contest, r.tps) for r in rows} == {
        ("ppwp", f"{AMPENAN_SELATAN}001"),
        ("dpr", f"{AMPENAN_SELATAN}002"),
        ("ppwp", f"{CAKRANEGARA_TIMUR}001"),
    }
    row = next(r for r in rows if r.tps == flagged)
    assert [f.code for f in row.flags] == [DPT_RULE]
    assert row.author == "op_ampenan_selatan"
    assert row.kelurahan == "Ampenan Selatan"
    html = page.content.decode()
    assert f'href="/hasil/ppwp/{flagged}/"' in html
    assert row.photo_url and f'href="{row.photo_url}"' in html
    assert "DPT pada lembar berbeda dengan DPT TPS di data induk" in html


@pytest.mark.django_db
def test_it_filters_by_contest_kecamatan_and_rule(client_for, admin, flagged):
    web = client_for(admin)

    def tps_of(query: str) -> set[str]:
        return {r.tps for r in web.get(f"/rekap/anomali/?{query}").context["rows"]}

    assert tps_of("contest=dpr") == {f"{AMPENAN_SELATAN}002"}
    assert tps_of("kecamatan=527103") == {f"{CAKRANEGARA_TIMUR}001"}
    assert tps_of(f"rule={DPT_RULE}") == {flagged, f"{CAKRANEGARA_TIMUR}001"}
    assert tps_of("rule=dikonfirmasi_tidak_konsisten") == {f"{AMPENAN_SELATAN}002"}
    assert tps_of(f"rule={DPT_RULE}&kecamatan=527101&contest=ppwp") == {flagged}
    assert web.get("/rekap/anomali/?rule=bukan_aturan").status_code == 400
    assert web.get("/rekap/anomali/?kecamatan=5271011004").status_code == 400


@pytest.mark.django_db
def test_it_answers_the_api_with_filters(api_for, admin, flagged):
    api = api_for(admin)
    body = api.get(f"/api/v1/anomalies?rule={DPT_RULE}&kecamatan=527101").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["tps"] == flagged
    assert item["flags"][0]["code"] == DPT_RULE
    assert item["flags"][0]["message"].startswith("DPT pada lembar")
    assert item["kelurahan"] == {"code": AMPENAN_SELATAN, "name": "Ampenan Selatan"}
    assert item["sheet_url"] == f"/hasil/ppwp/{flagged}/"
    assert item["photo_url"].startswith("/hasil/foto/")
    assert item["author"] == "op_ampenan_selatan"
    assert api.get("/api/v1/anomalies?contest=dpr").json()["count"] == 1
    assert api.get("/api/v1/anomalies?per_page=2").json()["pages"] == 2
    assert api.get("/api/v1/anomalies?rule=bukan_aturan").status_code == 422
    assert api.get("/api/v1/anomalies?contest=pilkada").status_code == 422
    assert api.get("/api/v1/anomalies?page=0").status_code == 422


@pytest.mark.django_db
def test_it_keeps_to_the_readers_scope(client_for, api_for, operator, outsider, polri, flagged):
    mine = client_for(operator).get("/rekap/anomali/").context["rows"]
    assert {r.tps[:10] for r in mine} == {AMPENAN_SELATAN}
    theirs = api_for(outsider).get("/api/v1/anomalies").json()
    assert [i["tps"] for i in theirs["items"]] == [f"{CAKRANEGARA_TIMUR}001"]
    assert api_for(outsider).get("/api/v1/anomalies?kecamatan=527101").status_code == 404
    assert client_for(outsider).get("/rekap/anomali/?kecamatan=527101").status_code == 403
    assert api_for(polri).get("/api/v1/anomalies").status_code == 403
    assert client_for(polri).get("/rekap/anomali/").status_code == 403


@pytest.mark.django_db
def test_it_reads_the_list_in_constant_queries(client_for, api_for, admin, flagged):
    web, api = client_for(admin), api_for(admin)
    web.get("/rekap/anomali/")
    api.get("/api/v1/anomalies")
    with CaptureQueriesContext(connection) as page_few:
        web.get("/rekap/anomali/")
    with CaptureQueriesContext(connection) as api_few:
        api.get("/api/v1/anomalies")
    for n in range(4, 10):
        tps = f"{AMPENAN_SELATAN}{n:03d}"
        put(api, "ppwp", tps, dpt_differs(tps))
    with CaptureQueriesContext(connection) as page_many:
        page = web.get("/rekap/anomali/")
    with CaptureQueriesContext(connection) as api_many:
        assert api.get("/api/v1/anomalies").json()["count"] == 9
    assert len(page.context["rows"]) == 9
    assert len(page_many) == len(page_few) <= 8
    assert len(api_many) == len(api_few) <= 8


@pytest.mark.django_db
def test_it_documents_the_api(api_for, admin):
    spec = api_for(admin).get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/anomalies"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"contest", "kecamatan", "rule", "page"}
