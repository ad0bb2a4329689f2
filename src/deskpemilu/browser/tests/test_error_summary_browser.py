"""A refused save cannot be missed: the C.Hasil form sent with broken boxes comes back with the
error summary at the top, focused (so a screen reader reads it and a phone shows it), counting
the problems and linking each to its box; on the desk's screen and on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from deskpemilu.browser.tests.conftest import PASSWORD, Desk

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# A TPS of Ampenan Selatan that the other browser tests leave alone, one per viewport.
TPS = {"desktop": "5271011004007", "phone": "5271011004008"}


def sign_in(context: Any, desk: Desk, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{desk.url}/accounts/login/?next=/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^[^?]*/$"))
    return page


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_refused_sheet_lands_on_its_error_summary(desk, browser, viewport) -> None:
    if "summary_operator" not in desk.accounts:
        desk.account("summary_operator", "operator", "5271011004", "diskominfo")
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID")
    page = sign_in(context, desk, "summary_operator")
    page.goto(f"{desk.url}/hasil/ppwp/{TPS[viewport]}/isi/")
    # Only the DPT is prefilled: every other box is missing, and one is not a number.
    page.fill("[name='suara.2']", "12a")
    with page.expect_navigation():
        page.click("#kirim")

    summary = page.locator("#ringkasan-masalah")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "ringkasan-masalah"
    title = page.locator("#ringkasan-masalah-judul").inner_text()
    assert re.match(r"Lembar belum disimpan: \d+ masalah", title), title
    box = summary.bounding_box()
    assert box is not None
    assert 0 <= box["y"] < VIEWPORTS[viewport]["height"] / 2  # on screen, near the top
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]

    # The first link puts the cursor in the first broken box.
    first = summary.locator("a").first
    href = first.get_attribute("href")
    assert href == "#" + page.locator("[aria-invalid='true']").first.get_attribute("id")
    first.click()
    assert page.evaluate("document.activeElement.id") == href[1:]
    assert "#f-suara-2" in [a.get_attribute("href") for a in summary.locator("a").all()]
    context.close()
