"""The live blocks are drawn once per data version and reader variant and served from the cache
(situation.fragments): a write shows at the next poll, a warm poll reads a fixed handful of
statements whatever the data, and the blind re-entry rule holds with a warm cache."""

from __future__ import annotations

import re

import pytest

from deskpemilu.results.contests import clear_cache
from deskpemilu.results.tests.sheets import sheet_for_tps
from deskpemilu.situation import fragments
from deskpemilu.situation.tests.helpers import (
    AMPENAN_SELATAN,
    election_morning,
    enter,
    tps_of,
    verify,
)

pytestmark = pytest.mark.django_db

ROOM = "/situasi/fragmen/"
TV = "/situasi/tv/fragmen/"


def figure(html: str, testid: str) -> int:
    found = re.search(rf'data-testid="{testid}">(\d+)<', html)
    assert found, testid
    return int(found.group(1))


def test_it_shows_a_verified_sheet_at_the_next_poll(
    client_for, api_for, make_user, operator, verifier, viewer
):
    screen, other = client_for(viewer), client_for(make_user("layar_dua", "viewer"))
    first = screen.get(ROOM)
    assert figure(first.content.decode(), "verified-ppwp") == 0
    assert other.get(ROOM).content == first.content  # the second screen reads the cached block
    assert screen.get(ROOM, headers={"If-None-Match": first["ETag"]}).status_code == 304

    tps = tps_of(AMPENAN_SELATAN, 1)[0]
    enter(api_for(operator), tps, sheet_for_tps(tps))
    verify(api_for(verifier), tps)

    after = screen.get(ROOM, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    html = after.content.decode()
    assert figure(html, "reported-ppwp") == 1
    assert figure(html, "verified-ppwp") == 1
    assert figure(other.get(ROOM).content.decode(), "verified-ppwp") == 1


def test_it_serves_a_warm_poll_in_a_fixed_number_of_statements(
    client_for, api_for, make_user, admin, verifier, viewer, django_assert_num_queries
):
    election_morning(api_for(admin), api_for(verifier))
    another = client_for(make_user("layar_dua", "viewer"))  # an audited write: before the polls
    for path in (ROOM, TV):
        assert client_for(viewer).get(path).status_code == 200  # the first screen draws it
        # The session and the user, the audit head; the block itself from the cache.
        with django_assert_num_queries(3):
            response = another.get(path)
        assert response.status_code == 200
        assert b"<svg" in response.content


def test_it_keeps_the_blind_rule_with_a_warm_cache(
    client_for, api_for, admin, operator, verifier, viewer
):
    """PPWP verified blind: the viewer's block (provisional figures, with the pending first
    entry) is in the cache when a possible re-entrant polls; they get a block of their own."""
    tps = tps_of(AMPENAN_SELATAN, 1)[0]
    body = sheet_for_tps(tps)
    mode = {"kontes": "ppwp", "mode": "blind", "alasan": "uji entri ganda buta"}
    try:
        assert client_for(admin).post("/hasil/kontes/", mode).status_code == 302
        enter(api_for(operator), tps, body)
        votes = int(body["suara"]["1"])
        assert votes > 0
        for path in (ROOM, f"{ROOM}?peta=partisipasi"):
            seen = client_for(viewer).get(path).content.decode()
            assert figure(seen, "ppwp-1") == votes
            blind = client_for(verifier).get(path).content.decode()
            assert figure(blind, "ppwp-1") == 0
            # The turnout map repeats the sheet's numbers: drawn for each variant apart.
            assert ("Ampenan Selatan · partisipasi" in seen) == ("peta" in path)
            assert "Ampenan Selatan · partisipasi" not in blind
        sah = int(body["administrasi"]["suara_sah"])
        assert f"Suara sah {sah} " in client_for(viewer).get(TV).content.decode()
        assert "Suara sah 0 " in client_for(verifier).get(TV).content.decode()
        # The operator who typed it reads no situation room, and would be another variant.
        assert client_for(operator).get(ROOM).status_code in (403, 404)
        variants = {fragments.reader(u).variant for u in (viewer, verifier, operator)}
        assert len(variants) == 3
    finally:
        clear_cache()
