"""The issue's "done when" for readiness, in headless Chromium: a lurah marks every item of a
TPS of their kelurahan on a phone; the city summary (API and page) and the map show it at once;
another kelurahan's TPS is outside their area (403)."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from deskpemilu.browser.tests.conftest import PASSWORD, Desk

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PEJERUK = "5271011006"
TPS = "5271011006001"  # Pejeruk TPS 001
OTHER_TPS = "5271011004001"  # Ampenan Selatan: another kelurahan
PATH = f'.readiness-map path[data-code="{PEJERUK}"]'


def sign_in(context: Any, desk: Desk, username: str, landing: str) -> Any:
    page = context.new_page()
    page.goto(f"{desk.url}/accounts/login/?next={landing}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^[^?]*" + re.escape(landing) + "$"))
    return page


def watch_console(page: Any, errors: list[str]) -> None:
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))


def city(page: Any, desk: Desk) -> tuple[int, str, dict[str, Any]]:
    """TPS ready on the city page, Pejeruk's colour on its map, and the summary API."""
    page.goto(f"{desk.url}/kesiapan/wilayah/5271/")
    ready = int(page.inner_text("[data-testid=tps-ready]").replace(".", ""))
    fill = page.get_attribute(PATH, "fill")
    response = page.request.get(f"{desk.url}/api/v1/readiness/summary/5271")
    assert response.ok, response.text()
    return ready, fill, json.loads(response.text())


def mark_everything_ready(page: Any) -> None:
    items = page.locator("fieldset.ck-item")
    assert items.count() >= 17
    for i in range(items.count()):
        item = items.nth(i)
        item.locator("label.ck-siap").click()
        quantity = item.locator("input[name^=jumlah-]")
        if quantity.count():
            target = quantity.get_attribute("data-target") or "4"
            quantity.fill(target)
    page.click(".ck-save button")


def test_a_lurah_marks_a_tps_ready_on_a_phone(desk, browser, artifacts):
    desk.account("lurah_pejeruk_hp", "lurah", PEJERUK)
    desk.account("desk_kesiapan", "admin")
    errors: list[str] = []

    desk_context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    desk_page = sign_in(desk_context, desk, "desk_kesiapan", "/kesiapan/")
    desk_errors: list[str] = []
    watch_console(desk_page, desk_errors)
    ready_before, fill_before, api_before = city(desk_page, desk)
    assert api_before["tps_ready"] == ready_before

    # The lurah, on a phone.
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="id-ID"
    )
    page = sign_in(context, desk, "lurah_pejeruk_hp", "/kesiapan/")
    watch_console(page, errors)
    assert "Pejeruk" in page.inner_text("h1")
    page.click(f'table a[href="/kesiapan/tps/{TPS}/"]')
    page.wait_for_url(re.compile(r"^[^?]*" + f"/kesiapan/tps/{TPS}/$"))
    # Nothing on the phone page is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    mark_everything_ready(page)
    page.wait_for_selector("[data-testid=tps-ready]")
    assert "Tersimpan" in page.inner_text(".messages")
    page.screenshot(path=str(artifacts / "readiness-lurah-phone.png"), full_page=True)
    assert errors == []

    # Another kelurahan's TPS is not theirs: a 403 page saying it is outside their area.
    response = page.goto(f"{desk.url}/kesiapan/tps/{OTHER_TPS}/")
    assert response.status == 403
    assert "Di luar wilayah tugas Anda" in page.inner_text("main")
    api = page.request.put(
        f"{desk.url}/api/v1/readiness/{OTHER_TPS}",
        data=json.dumps({"items": {"lokasi": {"status": "siap"}}}),
        headers={"Content-Type": "application/json"},
    )
    assert api.status in (403, 404)  # without a CSRF token the session may not write at all
    context.close()

    # The desk sees it at once: the city summary, the API and the map.
    started = time.monotonic()
    ready_after, fill_after, api_after = city(desk_page, desk)
    seen_after = time.monotonic() - started
    assert ready_after == ready_before + 1
    assert api_after["tps_ready"] == api_before["tps_ready"] + 1
    ampenan = next(c for c in api_after["children"] if c["code"] == "527101")
    assert ampenan["tps_ready"] >= 1
    assert fill_after != fill_before
    desk_page.screenshot(path=str(artifacts / "readiness-city-desk.png"), full_page=True)
    (artifacts / "readiness-timing.txt").write_text(
        f"city page + summary API after the save: {seen_after:.2f}s\n"
    )
    desk_context.close()

    assert desk_errors == []
