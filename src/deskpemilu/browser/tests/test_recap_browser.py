"""The issue's "live" criterion in headless Chromium: the desk's recap page shows a sheet accepted
through the API within a few seconds, without a reload, by polling its fragment (304 while
nothing changed).

Part of the browser suite (its server and Chromium come from this directory's conftest)."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from typing import Any

import pytest

from deskpemilu.browser.tests.conftest import PASSWORD
from deskpemilu.results.synthetic import ppwp_sheet

pytestmark = pytest.mark.browser

TPS = "5271031006002"  # Cakranegara Timur TPS 002
DESKTOP = {"width": 1366, "height": 900}


def api(desk: Any, token: str, method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(  # noqa: S310 - the local test server
        f"{desk.url}/api/v1{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read() or b"null")


def sheet(dpt: int) -> dict[str, Any]:
    """A consistent PPWP sheet for a TPS with `dpt` voters."""
    return ppwp_sheet(dpt // 2, dpt - dpt // 2, invalid=4)


def test_the_recap_page_follows_a_new_sheet_live(desk, browser, artifacts):
    desk.account("desk_rekap_live", "admin")
    token = desk.token("desk_rekap_live")
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    polls: list[int] = []
    page.on("response", lambda r: polls.append(r.status) if r.url.endswith("/fragmen/") else None)
    page.goto(f"{desk.url}/accounts/login/?next=/rekap/ppwp/5271/")
    page.fill("#id_username", "desk_rekap_live")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^[^?]*/rekap/ppwp/5271/$"))
    reported = ".stats li:first-child b"
    before = page.inner_text(reported)
    page.evaluate("document.getElementById('live').dataset.loadedOnce = 'yes'")
    time.sleep(6)  # at least one poll while nothing changes

    dpt = api(desk, token, "GET", f"/tps/{TPS}")["dpt"]
    api(desk, token, "PUT", f"/results/ppwp/{TPS}", sheet(dpt))
    accepted = time.monotonic()
    while page.inner_text(reported) == before and time.monotonic() - accepted < 20:
        time.sleep(0.2)
    seen = time.monotonic() - accepted

    assert page.inner_text(reported) != before, "the recap did not update"
    assert seen < 12, f"the recap took {seen:.1f}s"
    assert page.evaluate("document.getElementById('live').dataset.loadedOnce") == "yes"
    assert 304 in polls and 200 in polls
    assert set(polls) <= {200, 304}
    assert "stale" not in (page.get_attribute(".live-stamp", "class") or "")
    page.screenshot(path=str(artifacts / "recap-live-city.png"), full_page=True)
    (artifacts / "recap-live-timing.txt").write_text(
        f"sheet accepted → page updated: {seen:.2f}s\n"
    )
    context.close()
    assert errors == []


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_ballot_switcher_is_a_row_of_buttons_on_every_recap_page(desk, browser, viewport):
    """On the recap and seat pages (not only the results pages) the ballots are separate
    buttons, not one underlined string; the current one stands out."""
    desk.account("desk_rekap_kontes", "admin")
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    page.goto(f"{desk.url}/accounts/login/?next=/rekap/dprd-kabkota/5271/")
    page.fill("#id_username", "desk_rekap_kontes")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    for path in ("/rekap/dprd-kabkota/5271/", "/rekap/dprd-kabkota/527102/kursi/"):
        page.goto(f"{desk.url}{path}")
        switcher = page.locator("nav.ballots")
        assert switcher.evaluate("e => getComputedStyle(e).display") == "flex", path
        links = switcher.locator("a")
        assert links.count() >= 3  # seats: the party ballots only
        styles = links.evaluate_all(
            "els => els.map(e => [getComputedStyle(e).borderRadius,"
            " getComputedStyle(e).textDecorationLine, e.getBoundingClientRect().width])"
        )
        assert all(radius != "0px" and line == "none" for radius, line, _w in styles), styles
        current = page.locator("nav.ballots a[aria-current]")
        assert current.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (path, width)
    context.close()
