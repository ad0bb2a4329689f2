"""Issue 18, item 4: on a 390 px phone the situation room is no wider than the screen and its
results tables (progress per ballot, PPWP provisional beside verified) stay inside their card:
no column, "Terverifikasi" included, sticks out of it."""

from __future__ import annotations

import pytest

from deskpemilu.browser.tests.test_situation_browser import (  # noqa: F401  (a fixture)
    PHONE,
    morning,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_the_results_tables_stay_inside_their_card_on_a_phone(desk, browser, morning):  # noqa: F811
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page = sign_in(context, desk, "pimpinan_situasi", "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card = page.locator(".sit-results").bounding_box()
    assert card is not None and card["x"] >= 0 and card["x"] + card["width"] <= PHONE["width"]
    assert page.locator("table.sit-ppwp").count() == 1
    cells = page.eval_on_selector_all(
        ".sit-results table th, .sit-results table td",
        "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().right])",
    )
    assert any(text == "Terverifikasi" for text, _right in cells)
    outside = [(t, r) for t, r in cells if r > card["x"] + card["width"] + 0.5]
    assert outside == []
    # Nor is a table scrolled sideways inside the card: every column shows.
    hidden = page.eval_on_selector_all(
        ".sit-results table", "els => els.filter(t => t.scrollWidth > t.clientWidth + 1).length"
    )
    assert hidden == 0
    context.close()
