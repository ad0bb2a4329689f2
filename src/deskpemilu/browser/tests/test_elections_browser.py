"""The desk switches the active election in headless Chromium, on a phone: Pilkada 2024 opens
for entry, Pemilu 2024 becomes read-only, and back."""

from __future__ import annotations

import pytest

from deskpemilu.browser.tests.conftest import Desk
from deskpemilu.browser.tests.test_team_browser import PHONE, sign_in, watch_console

pytestmark = pytest.mark.browser


def switch(page, code: str) -> None:
    page.locator(f"tr[data-election={code}] button").click()
    page.wait_for_selector(f"tr[data-election={code}] [data-active]")


def test_the_desk_switches_the_active_election(desk: Desk, browser) -> None:
    desk.account("desk_pemilihan", "admin")
    errors: list[str] = []
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    try:
        page = sign_in(context, desk, "desk_pemilihan", "/pemilihan/")
        watch_console(page, errors)
        assert page.locator("tr[data-election=pemilu2024] [data-active]").count() == 1
        switch(page, "pilkada2024")
        assert "Pemilihan aktif kini: Pilkada 2024" in page.inner_text("body")
        assert page.locator("tr[data-election=pemilu2024] button").count() == 1
        # Pemilu 2024 is now read-only on the results page; Pilkada's ballots are entered.
        page.goto(f"{desk.url}/hasil/?wilayah=5271011004&pemilihan=pemilu2024")
        assert "hanya dapat dibaca" in page.inner_text("body")
        page.goto(f"{desk.url}/hasil/?wilayah=5271011004")
        assert "Pilwalkot Mataram" in page.inner_text("table.tps-grid")
        page.goto(f"{desk.url}/pemilihan/")
        switch(page, "pemilu2024")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        assert errors == []
    finally:
        context.close()
        # The browser session shares one server: the other tests enter Pemilu 2024.
        desk.manage("activate_election", "pemilu2024")
