"""A live block is one drawing of the data, redrawn at most once per redraw window
(DESKPEMILU_SITUATION_REDRAW_SECONDS): within the window a poll gets the same block and ETag
whatever was written meanwhile; the first poll after it shows the write. The desk's clock
(timezone.now) is moved by hand here, so no test waits for a window to pass."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from deskpemilu.results.contests import clear_cache
from deskpemilu.results.tests.sheets import sheet_for_tps
from deskpemilu.situation import fragments
from deskpemilu.situation.tests.helpers import AMPENAN_SELATAN, enter, tps_of, verify

pytestmark = pytest.mark.django_db

ROOM = "/situasi/fragmen/"
TV = "/situasi/tv/fragmen/"
# A moment near the real clock (sessions signed in now stay valid), on a whole second.
START = timezone.now().replace(microsecond=0)


def figure(html: str, testid: str) -> int:
    found = re.search(rf'data-testid="{testid}">(\d+)<', html)
    assert found, testid
    return int(found.group(1))


def stamp(html: str) -> str:
    found = re.search(r'data-testid="sit-drawn-at">([^<]*)<', html)
    assert found, "sit-drawn-at"
    return found.group(1)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[float], datetime]]:
    """The desk's clock, held at START until a test moves it on by some seconds."""
    moment = [START]
    monkeypatch.setattr(timezone, "now", lambda: moment[0])

    def move(seconds: float) -> datetime:
        moment[0] += timedelta(seconds=seconds)
        return moment[0]

    cache.delete(fragments.SNAPSHOT_KEY)
    yield move
    cache.delete(fragments.SNAPSHOT_KEY)


@pytest.fixture
def window(settings) -> float:
    """The production window (tests run with 0)."""
    settings.DESKPEMILU_SITUATION_REDRAW_SECONDS = 2
    return 2.0


def a_verified_sheet(api_for, operator, verifier) -> None:
    tps = tps_of(AMPENAN_SELATAN, 1)[0]
    enter(api_for(operator), tps, sheet_for_tps(tps))
    verify(api_for(verifier), tps)


def test_a_write_inside_the_window_leaves_the_block_and_its_etag(
    window, clock, client_for, api_for, operator, verifier, viewer
):
    screen = client_for(viewer)
    first = screen.get(ROOM)
    assert figure(first.content.decode(), "verified-ppwp") == 0

    a_verified_sheet(api_for, operator, verifier)
    clock(1.5)
    assert screen.get(ROOM, headers={"If-None-Match": first["ETag"]}).status_code == 304
    again = screen.get(ROOM)
    assert again["ETag"] == first["ETag"]
    assert again.content == first.content


def test_the_first_poll_after_the_window_shows_the_write(
    window, clock, client_for, api_for, operator, verifier, viewer
):
    screen = client_for(viewer)
    first = screen.get(ROOM)
    a_verified_sheet(api_for, operator, verifier)
    clock(2.5)
    after = screen.get(ROOM, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert figure(after.content.decode(), "verified-ppwp") == 1
    # The next window, nothing written: the same block, a 304.
    clock(2.5)
    assert screen.get(ROOM, headers={"If-None-Match": after["ETag"]}).status_code == 304


def test_with_no_window_every_write_shows_at_once(
    settings, clock, client_for, api_for, operator, verifier, viewer
):
    settings.DESKPEMILU_SITUATION_REDRAW_SECONDS = 0
    screen = client_for(viewer)
    first = screen.get(TV)
    a_verified_sheet(api_for, operator, verifier)
    after = screen.get(TV, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


def test_a_new_screen_inside_the_window_gets_the_block_of_the_window(
    window, clock, client_for, make_user, api_for, operator, verifier, viewer
):
    """Every screen of a variant reads the same drawing: a screen that opens after the write
    but inside the window is not shown newer figures than the others."""
    first = client_for(viewer).get(ROOM)
    a_verified_sheet(api_for, operator, verifier)
    clock(1)
    other = client_for(make_user("layar_dua", "viewer")).get(ROOM)
    assert figure(other.content.decode(), "verified-ppwp") == 0
    assert stamp(other.content.decode()) == stamp(first.content.decode())


def test_two_readers_of_different_blind_kinds_never_share_a_block(
    window, clock, client_for, api_for, admin, operator, verifier, viewer
):
    """PPWP verified blind, a first entry pending: the viewer reads its provisional figures, the
    verifier (a possible re-entrant) must not, in the same window and at the same head."""
    tps = tps_of(AMPENAN_SELATAN, 1)[0]
    body = sheet_for_tps(tps)
    mode = {"kontes": "ppwp", "mode": "blind", "alasan": "uji entri ganda buta"}
    try:
        assert client_for(admin).post("/hasil/kontes/", mode).status_code == 302
        enter(api_for(operator), tps, body)
        votes = int(body["suara"]["1"])
        for path in (ROOM, TV):
            cache.delete(fragments.SNAPSHOT_KEY)  # a window that starts after the entry
            seen = client_for(viewer).get(path)
            clock(0.5)
            blind = client_for(verifier).get(path)
            assert blind.content != seen.content
            assert blind["ETag"] != seen["ETag"]
            if path == ROOM:
                assert figure(seen.content.decode(), "ppwp-1") == votes
                assert figure(blind.content.decode(), "ppwp-1") == 0
            else:
                sah = int(body["administrasi"]["suara_sah"])
                assert f"Suara sah {sah} " in seen.content.decode()
                assert "Suara sah 0 " in blind.content.decode()
    finally:
        clear_cache()


def test_the_stamp_shows_when_the_block_read_the_data(
    window, clock, client_for, api_for, operator, verifier, viewer
):
    screen = client_for(viewer)
    first = screen.get(ROOM).content.decode()
    drawn = timezone.localtime(START).strftime("%H.%M.%S")
    assert stamp(first) == f"{drawn} WITA"
    assert "diperbarui paling lama tiap 2 detik" in first

    a_verified_sheet(api_for, operator, verifier)
    clock(1)
    assert stamp(screen.get(ROOM).content.decode()) == f"{drawn} WITA"  # the same drawing
    later = timezone.localtime(clock(2)).strftime("%H.%M.%S")
    assert stamp(screen.get(ROOM).content.decode()) == f"{later} WITA"
