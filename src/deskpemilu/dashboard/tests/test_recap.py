"""The recap page: totals equal the sheets entered through the API, provisional beside verified,
percentages, drill-down and scope."""

from __future__ import annotations

import re

import pytest

from deskpemilu.dashboard.tests.helpers import (
    AMPENAN_SELATAN,
    CAKRANEGARA_TIMUR,
    PEJERUK,
    enter,
    put,
    verify,
    votes_only,
)


def numbers(html: str) -> str:
    """The page text without tags and spaces, to find rendered numbers."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_it_shows_the_sum_of_the_sheets(client_for, api_for, admin, verifier):
    api = api_for(admin)
    bodies = [enter(api, "ppwp", f"{AMPENAN_SELATAN}{n:03d}", seed=n) for n in (1, 2, 3)]
    bodies.append(enter(api, "ppwp", f"{CAKRANEGARA_TIMUR}001", seed=5))
    verify(api_for(verifier), "ppwp", f"{AMPENAN_SELATAN}001")

    page = client_for(admin).get("/rekap/ppwp/5271/")
    assert page.status_code == 200
    recap = page.context["page"]
    for line in recap.lines:
        assert line.votes == sum(b["suara"][line.key] for b in bodies)
        assert line.verified == bodies[0]["suara"][line.key]
    sah = sum(b["administrasi"]["suara_sah"] for b in bodies)
    assert recap.provisional["suara_sah"] == sah
    assert recap.verified["suara_sah"] == bodies[0]["administrasi"]["suara_sah"]
    assert (recap.tps_reported, recap.tps_verified, recap.tps_total) == (4, 1, 1248)
    text = numbers(page.content.decode())
    assert "4 dari 1.248" in text
    assert "1 dari 1.248" in text
    assert "WITA" in text


@pytest.mark.django_db
def test_it_computes_percentages_of_valid_votes(client_for, api_for, admin):
    tps = f"{AMPENAN_SELATAN}001"
    put(api_for(admin), "ppwp", tps, votes_only(tps, "ppwp", {"1": 50, "2": 30, "3": 20}))
    page = client_for(admin).get(f"/rekap/ppwp/{AMPENAN_SELATAN}/")
    lines = {line.key: line for line in page.context["page"].lines}
    assert [lines[k].percent for k in "123"] == [50.0, 30.0, 20.0]
    assert lines["1"].verified_percent == 0.0
    assert "50,00" in page.content.decode()  # Indonesian decimal comma


@pytest.mark.django_db
def test_it_differs_verified_only_until_verification(client_for, api_for, admin, verifier):
    tps = f"{AMPENAN_SELATAN}002"
    body = enter(api_for(admin), "ppwp", tps)
    web = client_for(admin)
    before = web.get(f"/rekap/ppwp/{AMPENAN_SELATAN}/").context["page"]
    assert before.provisional["suara_sah"] == body["administrasi"]["suara_sah"]
    assert before.verified["suara_sah"] == 0
    verify(api_for(verifier), "ppwp", tps)
    after = web.get(f"/rekap/ppwp/{AMPENAN_SELATAN}/").context["page"]
    assert after.verified["suara_sah"] == after.provisional["suara_sah"]
    assert [ln.verified for ln in after.lines] == [ln.votes for ln in after.lines]


@pytest.mark.django_db
def test_it_links_down_to_kecamatan_kelurahan_and_the_sheet(client_for, api_for, admin):
    enter(api_for(admin), "ppwp", f"{AMPENAN_SELATAN}001")
    web = client_for(admin)
    city = web.get("/rekap/ppwp/5271/").content.decode()
    assert 'href="/rekap/ppwp/527101/"' in city
    kecamatan = web.get("/rekap/ppwp/527101/").content.decode()
    assert f'href="/rekap/ppwp/{AMPENAN_SELATAN}/"' in kecamatan
    kelurahan = web.get(f"/rekap/ppwp/{AMPENAN_SELATAN}/")
    html = kelurahan.content.decode()
    assert f'href="/hasil/ppwp/{AMPENAN_SELATAN}001/"' in html
    assert "st-dientri" in html and "st-belum" in html
    rows = {c.code: c for c in kelurahan.context["page"].children}
    assert rows[f"{AMPENAN_SELATAN}001"].status == "dientri"
    # A TPS code in the recap URL leads to its sheet.
    tps = web.get(f"/rekap/ppwp/{AMPENAN_SELATAN}001/")
    assert tps.status_code == 302
    assert tps["Location"] == f"/hasil/ppwp/{AMPENAN_SELATAN}001/"


@pytest.mark.django_db
def test_it_draws_the_chart_and_the_map(client_for, api_for, admin):
    enter(api_for(admin), "ppwp", f"{AMPENAN_SELATAN}001")
    html = client_for(admin).get("/rekap/ppwp/5271/").content.decode()
    assert 'class="bars"' in html
    assert html.count("<path") >= 50  # every kelurahan drawn
    assert f'data-code="{AMPENAN_SELATAN}"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script (CSP)


@pytest.mark.django_db
def test_it_scopes_the_recap(client_for, lurah, outsider):
    web = client_for(lurah)
    assert web.get("/rekap/ppwp/5271/").status_code == 403
    assert web.get("/rekap/ppwp/527101/").status_code == 403
    assert web.get(f"/rekap/ppwp/{AMPENAN_SELATAN}/").status_code == 403
    assert web.get(f"/rekap/ppwp/{PEJERUK}/").status_code == 200
    assert web.get(f"/rekap/pilkada/{PEJERUK}/").status_code == 404
    assert client_for(outsider).get(f"/rekap/ppwp/{AMPENAN_SELATAN}/").status_code == 403


@pytest.mark.django_db
def test_it_sends_the_reader_to_their_home_region(client_for, lurah, admin):
    response = client_for(lurah).get("/rekap/?kontes=dpr")
    assert response["Location"] == f"/rekap/dpr/{PEJERUK}/"
    home = client_for(admin).get("/rekap/")
    assert 'href="/rekap/ppwp/5271/"' in home.content.decode()


@pytest.mark.django_db
def test_it_groups_candidates_under_their_party_inside_one_dapil(client_for, api_for, admin):
    tps = f"{AMPENAN_SELATAN}001"  # Ampenan = Dapil Kota Mataram 3
    body = votes_only(tps, "dprd-kabkota", {"4": 10, "4.1": 5, "4.3": 25, "4.2": 0, "8": 7})
    put(api_for(admin), "dprd-kabkota", tps, body)
    web = client_for(admin)
    page = web.get("/rekap/dprd-kabkota/527101/").context["page"]
    assert page.show_candidates
    golkar = next(line for line in page.lines if line.key == "4")
    assert golkar.votes == 40  # party column + candidates
    assert golkar.party_only == 10
    assert [c.key for c in golkar.candidates[:2]] == ["4.3", "4.1"]
    assert golkar.candidates[0].rank == 1
    # The city spans six dapil: party totals only, no candidate keys.
    city = web.get("/rekap/dprd-kabkota/5271/").context["page"]
    assert not city.show_candidates
    assert all("." not in line.key for line in city.lines)
    assert next(line for line in city.lines if line.key == "4").votes == 40
    # DPR has one dapil over the whole city: candidates at the city level.
    assert web.get("/rekap/dpr/5271/").context["page"].show_candidates


@pytest.mark.django_db
def test_it_reads_the_page_in_constant_queries(
    client_for, api_for, admin, django_assert_max_num_queries
):
    api = api_for(admin)
    for n in (1, 2, 3):
        enter(api, "dprd-kabkota", f"{AMPENAN_SELATAN}{n:03d}", seed=n)
    web = client_for(admin)
    for url in (
        "/rekap/dprd-kabkota/5271/",
        "/rekap/dprd-kabkota/527101/",
        f"/rekap/dprd-kabkota/{AMPENAN_SELATAN}/",
    ):
        with django_assert_max_num_queries(14):
            assert web.get(url).status_code == 200
