"""Live updates: the fragment answers 304 while nothing changed, and the new numbers after a
write; the TV mode's views and its own fragment."""

from __future__ import annotations

import re

import pytest

from deskpemilu.results.tests.sheets import sheet_for_tps
from deskpemilu.situation.tests.helpers import AMPENAN_SELATAN, enter, tps_of

pytestmark = pytest.mark.django_db


def test_it_answers_304_until_something_changes(client_for, api_for, admin):
    web = client_for(admin)
    first = web.get("/situasi/fragmen/?peta=hasil")
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    again = web.get("/situasi/fragmen/?peta=hasil", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    tps = tps_of(AMPENAN_SELATAN, 1)[0]
    enter(api_for(admin), tps, sheet_for_tps(tps))
    changed = web.get("/situasi/fragmen/?peta=hasil", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert re.search(r'data-testid="reported-ppwp">1<', changed.content.decode())


def test_it_answers_304_in_one_query(client_for, admin, django_assert_max_num_queries):
    web = client_for(admin)
    etag = web.get("/situasi/fragmen/")["ETag"]
    # The session and the user, then the audit head.
    with django_assert_max_num_queries(3):
        assert web.get("/situasi/fragmen/", headers={"If-None-Match": etag}).status_code == 304


def test_it_keeps_the_etag_apart_per_measure(client_for, admin):
    web = client_for(admin)
    a = web.get("/situasi/fragmen/?peta=hasil")["ETag"]
    b = web.get("/situasi/fragmen/?peta=kejadian")["ETag"]
    assert a != b


def test_it_shows_the_tv_mode_with_four_views(client_for, viewer):
    response = client_for(viewer).get("/situasi/tv/?detik=4")
    page = response.content.decode()
    assert response.status_code == 200
    views = re.findall(r'class="tv-view" data-view="(\w+)"', page)
    assert views == ["hasil", "kesiapan", "kejadian", "kesehatan"]
    assert 'data-interval="4"' in page
    assert "situation/tv.js" in page
    assert page.count("<svg") >= 3  # chart, readiness map, incident map


def test_it_refreshes_the_tv_views(client_for, api_for, admin):
    web = client_for(admin)
    first = web.get("/situasi/tv/fragmen/")
    assert first.status_code == 200
    assert 'data-view="kejadian"' in first.content.decode()
    etag = first["ETag"]
    assert web.get("/situasi/tv/fragmen/", headers={"If-None-Match": etag}).status_code == 304


def test_it_keeps_the_tv_to_the_desk(client_for, lurah, operator):
    for user in (lurah, operator):
        assert client_for(user).get("/situasi/tv/").status_code == 403
        assert client_for(user).get("/situasi/tv/fragmen/").status_code == 403
        assert client_for(user).get("/situasi/fragmen/").status_code == 403


@pytest.mark.parametrize("raw", ["²", "٣", "99999999999999999999"])
def test_odd_digits_in_the_tv_timing_fall_back_to_the_default(client_for, viewer, raw):
    # "²".isdigit() is true but int("²") raises: such a value must not be a 500.
    response = client_for(viewer).get("/situasi/tv/", {"detik": raw, "segar": raw})
    assert response.status_code == 200
