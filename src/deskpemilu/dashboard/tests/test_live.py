"""Live recap: the page polls its numbers fragment with If-None-Match; 304 while nothing
changed, the new numbers within one poll of a sheet being accepted."""

from __future__ import annotations

import re

import pytest

from deskpemilu.dashboard.tests.helpers import AMPENAN_SELATAN, enter, verify


def fragment(client, url, etag=""):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(url, headers=headers)


@pytest.mark.django_db
def test_it_answers_304_until_a_sheet_is_accepted(client_for, api_for, admin):
    web = client_for(admin)
    url = "/rekap/ppwp/5271/fragmen/"
    first = fragment(web, url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    again = fragment(web, url, etag)
    assert again.status_code == 304
    assert again.content == b""

    body = enter(api_for(admin), "ppwp", f"{AMPENAN_SELATAN}001")
    changed = fragment(web, url, etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.context["page"].provisional["suara_sah"] == body["administrasi"]["suara_sah"]
    assert fragment(web, url, changed["ETag"]).status_code == 304


@pytest.mark.django_db
def test_it_notices_a_verification_on_the_kelurahan_page(client_for, api_for, admin, verifier):
    enter(api_for(admin), "ppwp", f"{AMPENAN_SELATAN}001")
    web = client_for(admin)
    url = f"/rekap/ppwp/{AMPENAN_SELATAN}/fragmen/"
    etag = fragment(web, url)["ETag"]
    verify(api_for(verifier), "ppwp", f"{AMPENAN_SELATAN}001")
    changed = fragment(web, url, etag)
    assert changed.status_code == 200
    assert "st-terverifikasi" in changed.content.decode()


@pytest.mark.django_db
def test_it_starts_polling_from_the_page_etag(client_for, admin):
    web = client_for(admin)
    page = web.get("/rekap/ppwp/527101/").content.decode()
    etag = re.search(r'data-etag="([^"]+)"', page).group(1).replace("&quot;", '"')
    assert 'data-url="/rekap/ppwp/527101/fragmen/"' in page
    assert "/static/deskpemilu/live.js" in page
    assert fragment(web, "/rekap/ppwp/527101/fragmen/", etag).status_code == 304


@pytest.mark.django_db
def test_it_keeps_the_etag_per_language(client_for, admin):
    web = client_for(admin)
    etag = fragment(web, "/rekap/ppwp/5271/fragmen/")["ETag"]
    web.cookies["django_language"] = "en"
    english = fragment(web, "/rekap/ppwp/5271/fragmen/", etag)
    assert english.status_code == 200


@pytest.mark.django_db
def test_it_scopes_the_fragment(client_for, lurah):
    web = client_for(lurah)
    assert web.get("/rekap/ppwp/5271/fragmen/").status_code == 403
    assert web.get("/rekap/ppwp/5271011006/fragmen/").status_code == 200


@pytest.mark.django_db
def test_it_answers_a_poll_in_few_queries(
    client_for, api_for, admin, django_assert_max_num_queries
):
    enter(api_for(admin), "ppwp", f"{AMPENAN_SELATAN}001")
    web = client_for(admin)
    for url in ("/rekap/ppwp/5271/fragmen/", f"/rekap/ppwp/{AMPENAN_SELATAN}/fragmen/"):
        etag = fragment(web, url)["ETag"]
        # Session, user, the region, its rollups (and a kelurahan's sheets), and for a verifier
        # or an admin the contest's verification mode read fresh (it decides what they see).
        with django_assert_max_num_queries(6):
            assert fragment(web, url, etag).status_code == 304


@pytest.mark.django_db
def test_it_answers_a_blind_re_entrant_anew_when_the_mode_changes(
    client_for, api_for, admin, operator
):
    """The ETag varies with what the reader may see: once PPWP is verified blind, an admin's
    cached provisional numbers are not confirmed with a 304, and the page shows verified ones."""
    from deskpemilu.results.contests import clear_cache

    enter(api_for(operator), "ppwp", f"{AMPENAN_SELATAN}001")
    web = client_for(admin)
    url = f"/rekap/ppwp/{AMPENAN_SELATAN}/fragmen/"
    first = fragment(web, url)
    assert first.context["page"].provisional["suara_sah"] > 0
    mode = {"kontes": "ppwp", "mode": "blind", "alasan": "uji entri ganda buta"}
    try:
        assert web.post("/hasil/kontes/", mode).status_code == 302
        again = fragment(web, url, first["ETag"])
        assert again.status_code == 200
        page = again.context["page"]
        assert page.verified_only and page.provisional["suara_sah"] == 0
    finally:
        clear_cache()
