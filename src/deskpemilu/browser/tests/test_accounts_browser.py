"""Two-step sign-in in a browser on a phone: a verifier enrols with the secret shown, and the
recovery codes it is given read cleanly at 390 px (each on one line, none drawn over another)."""

from __future__ import annotations

import base64
import re
from typing import Any

from django_otp.oath import totp

from deskpemilu.browser.tests.conftest import PASSWORD, Desk

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def sign_in(context: Any, desk: Desk, username: str, landing: str) -> Any:
    page = context.new_page()
    page.goto(f"{desk.url}/accounts/login/?next={landing}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^[^?]*" + re.escape(landing) + "$"))
    return page


def boxes(page: Any, selector: str) -> list[dict[str, float]]:
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.x, y: r.y, w: r.width, h: r.height}; })",
    )


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    )


def assert_codes_read_cleanly(page: Any) -> None:
    lines = page.eval_on_selector_all(
        "ol.recovery-codes code", "els => els.map(e => e.getClientRects().length)"
    )
    assert lines == [1] * 10, lines  # no code is broken over two lines
    texts = boxes(page, "ol.recovery-codes code")
    em = page.eval_on_selector("ol.recovery-codes", "e => parseFloat(getComputedStyle(e).fontSize)")
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            assert not overlap(a, b), (a, b)
            same_row = a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]
            if same_row:  # room for the next column's number ("10.") between the codes
                left, right = sorted((a, b), key=lambda r: r["x"])
                assert right["x"] - (left["x"] + left["w"]) >= 2.5 * em, (left, right)


def test_a_verifier_enrols_on_a_phone_and_reads_the_recovery_codes(desk, browser, artifacts):
    desk.account("verif_ponsel", "verifier")
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = sign_in(context, desk, "verif_ponsel", "/accounts/2fa/")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_kode", f"{totp(key):06d}")
    page.click("button[type=submit]")
    codes = page.locator("ol.recovery-codes li")
    codes.first.wait_for()
    assert codes.count() == 10
    page.screenshot(path=str(artifacts / "2fa-recovery-codes-phone.png"), full_page=True)
    assert_codes_read_cleanly(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # the page does not scroll sideways
    page.set_viewport_size(DESKTOP)  # and on the desk's screen
    assert_codes_read_cleanly(page)
    context.close()
