"""GET /api/v1/recap/{contest}/{region}: rollups equal the sum of the sheets at every level."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskpemilu.core.photos import store_photo
from deskpemilu.regions.models import Tps
from deskpemilu.results import submission, verification
from deskpemilu.results.contests import clear_cache, contest_info
from deskpemilu.results.models import Sheet, SheetStatus
from deskpemilu.results.rollups import check_rollups, rebuild_rollups
from deskpemilu.results.tests.sheets import attach_photo, form_photo, sheet_for_tps, with_votes

AMPENAN_SELATAN = "5271011004"


def put(client, contest, tps, body):
    url = f"/api/v1/results/{contest}/{tps}"
    response = client.put(url, json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 201), response.content
    if response.status_code == 201:
        attach_photo(client, contest, tps)
    return response


@pytest.mark.django_db
def test_it_sums_tps_up_to_the_city(api_for, admin, verifier):
    client = api_for(admin)
    bodies = {}
    for n in (1, 2, 3):
        tps = f"{AMPENAN_SELATAN}{n:03d}"
        bodies[tps] = sheet_for_tps(tps, seed=n)
        put(client, "ppwp", tps, bodies[tps])
    other = "5271031006001"  # Cakranegara Timur
    bodies[other] = sheet_for_tps(other, seed=7)
    put(client, "ppwp", other, bodies[other])
    api_for(verifier).post(
        f"/api/v1/results/ppwp/{AMPENAN_SELATAN}001/verify",
        json.dumps({"version": 1}),
        content_type="application/json",
    )

    city = client.get("/api/v1/recap/ppwp/5271").json()
    for key in ("1", "2", "3"):
        assert city["totals"].get(key, 0) == sum(b["suara"][key] for b in bodies.values())
    assert city["suara_sah"] == sum(b["administrasi"]["suara_sah"] for b in bodies.values())
    assert (city["tps_total"], city["tps_reported"], city["tps_verified"]) == (1248, 4, 1)
    ampenan = next(c for c in city["children"] if c["code"] == "527101")
    assert (ampenan["tps_reported"], ampenan["tps_verified"]) == (3, 1)
    assert city["updated_at"]

    verified = client.get("/api/v1/recap/ppwp/5271?verified_only=true").json()
    assert verified["totals"] == {
        k: v for k, v in bodies[f"{AMPENAN_SELATAN}001"]["suara"].items() if v
    }

    kelurahan = client.get(f"/api/v1/recap/ppwp/{AMPENAN_SELATAN}").json()
    assert len(kelurahan["children"]) == 26
    first = kelurahan["children"][0]
    assert (first["code"], first["status"], first["tps_verified"]) == (
        f"{AMPENAN_SELATAN}001",
        "terverifikasi",
        1,
    )
    assert kelurahan["children"][5]["status"] == "belum"
    assert check_rollups() == []


@pytest.mark.django_db
def test_it_answers_304_while_nothing_changed(api_for, admin):
    client = api_for(admin)
    first = client.get("/api/v1/recap/ppwp/5271")
    etag = first["ETag"]
    assert client.get("/api/v1/recap/ppwp/5271", headers={"If-None-Match": etag}).status_code == 304
    put(client, "ppwp", f"{AMPENAN_SELATAN}001", sheet_for_tps(f"{AMPENAN_SELATAN}001"))
    changed = client.get("/api/v1/recap/ppwp/5271", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.django_db
def test_it_adds_party_totals_for_legislative_contests(api_for, admin):
    client = api_for(admin)
    tps = f"{AMPENAN_SELATAN}001"
    body = sheet_for_tps(tps, "dprd-kabkota")
    put(client, "dprd-kabkota", tps, body)
    recap = client.get(f"/api/v1/recap/dprd-kabkota/{AMPENAN_SELATAN}").json()
    party_one = sum(v for k, v in body["suara"].items() if k.split(".")[0] == "1")
    assert recap["party_totals"]["1"] == party_one


@pytest.mark.django_db
def test_it_scopes_the_recap(api_for, lurah):
    client = api_for(lurah)
    assert client.get("/api/v1/recap/ppwp/5271").status_code == 404
    assert client.get("/api/v1/recap/ppwp/5271011004").status_code == 404
    assert client.get("/api/v1/recap/ppwp/5271011006").status_code == 200
    assert client.get("/api/v1/recap/pilkada/5271011006").status_code == 404


@pytest.mark.django_db
def test_it_reads_a_recap_in_constant_queries(api_for, admin, django_assert_max_num_queries):
    client = api_for(admin)
    # Once to fill this process's contest cache and the token's last use (written once a
    # minute): run alone, this test once counted those too; the figure is the steady state.
    client.get("/api/v1/recap/ppwp/5271")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/recap/ppwp/5271")
    with django_assert_max_num_queries(6):
        client.get(f"/api/v1/recap/ppwp/{AMPENAN_SELATAN}")


TPS_CODES = [f"{k}{n:03d}" for k in ("5271011004", "5271011005", "5271061001") for n in (1, 2, 3)]
action = st.tuples(
    st.sampled_from(TPS_CODES),
    st.sampled_from(["ppwp", "dprd-kabkota"]),
    st.sampled_from(["enter", "correct", "verify"]),
    st.integers(0, 9),
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(action, min_size=1, max_size=12))
def test_property_rollups_equal_the_sheets(make_user, actions):
    # The contest cache lives a minute per process: a test run before on this worker (another
    # app's) may have set a contest's mode in a transaction since rolled back.
    clear_cache()
    operator = make_user("op_prop", "admin")
    checker = make_user("ver_prop", "verifier")
    for tps_code, contest, kind, seed in actions:
        info = contest_info(contest)
        tps = Tps.objects.get(code=tps_code)
        sheet = Sheet.objects.filter(tps=tps, contest_id=contest).first()
        body = sheet_for_tps(tps_code, contest, seed=seed)
        if kind == "verify" and sheet is not None and sheet.status == SheetStatus.ENTERED:
            submission.photos_add(actor=operator, sheet=sheet, photos=[store_photo(form_photo())])
            verification.sheet_verify(
                actor=checker, sheet=sheet, contest=info, version_number=sheet.current.number
            )
        elif kind == "correct" and sheet is not None:
            key = next(iter(body["suara"]))
            submission.sheet_submit(
                actor=operator,
                tps=tps,
                contest=info,
                body=with_votes(body, {key: body["suara"][key] + 1}),
                reason="koreksi",
            )
        elif kind != "verify":
            submission.sheet_submit(
                actor=operator, tps=tps, contest=info, body=body, reason="koreksi"
            )
        assert check_rollups() == []


@pytest.mark.django_db
def test_it_rebuilds_rollups_to_the_same_numbers(api_for, admin):
    client = api_for(admin)
    for n in (1, 2):
        put(client, "ppwp", f"{AMPENAN_SELATAN}{n:03d}", sheet_for_tps(f"{AMPENAN_SELATAN}{n:03d}"))
    before = client.get("/api/v1/recap/ppwp/5271").json()
    rebuild_rollups(actor=None)
    after = client.get("/api/v1/recap/ppwp/5271").json()
    assert before["totals"] == after["totals"]
    assert check_rollups() == []


@pytest.mark.django_db
def test_it_sums_the_whole_installation_under_code_zero(api_for, admin, lurah):
    client = api_for(admin)
    put(client, "ppwp", f"{AMPENAN_SELATAN}001", sheet_for_tps(f"{AMPENAN_SELATAN}001"))
    whole = client.get("/api/v1/recap/ppwp/0").json()
    province = client.get("/api/v1/recap/ppwp/52").json()
    assert whole["region"] == {"code": "0", "name": "Nasional", "level": "nasional"}
    assert whole["totals"] == province["totals"]
    assert (whole["tps_total"], whole["tps_reported"]) == (1248, 1)
    assert [c["code"] for c in whole["children"]] == ["52"]
    assert api_for(lurah).get("/api/v1/recap/ppwp/0").status_code == 404
