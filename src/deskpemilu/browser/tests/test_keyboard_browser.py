"""Keyboard only: an operator enters a C.Hasil sheet, a verifier verifies it against its photo,
and a lurah reports an incident, each without touching a mouse (Tab, arrows, typing, Enter)."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest

from deskpemilu.browser.tests.conftest import PASSWORD, Desk
from deskpemilu.browser.tests.test_results_browser import api_status, form_photo, sheet_from_page

pytestmark = pytest.mark.browser

PEJERUK = "5271011006"
TPS = "5271011006007"  # Pejeruk TPS 007: no other browser test writes it
DESKTOP = {"width": 1366, "height": 900}


def keyboard_sign_in(browser: Any, desk: Desk, username: str, landing: str) -> Any:
    page = browser.new_context(viewport=DESKTOP, locale="id-ID").new_page()
    page.goto(f"{desk.url}/accounts/login/?next={landing}")
    page.focus("#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # The landing itself, not the sign-in page whose ?next= ends with it.
    page.wait_for_url(re.compile(r"^[^?]*" + re.escape(landing) + "$"))
    return page


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus (fails if it never does)."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def upload_photo(desk: Desk, token: str, path: Any) -> None:
    """The form photo arrives by the API (the phone's camera is not a keyboard's business)."""
    boundary = "deskpemilu-keyboard"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="foto"; filename="c.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(  # noqa: S310 - the local test server
        f"{desk.url}/api/v1/results/ppwp/{TPS}/photos",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201


def test_the_three_key_flows_need_no_mouse(desk, browser, tmp_path):
    desk.account("op_keyboard", "operator", PEJERUK, "diskominfo")
    desk.account("verif_keyboard", "verifier")
    desk.account("lurah_keyboard", "lurah", PEJERUK)
    token = desk.token("op_keyboard")

    # 1. The operator types the sheet: a number, Enter, the next box; Enter on the button sends.
    page = keyboard_sign_in(browser, desk, "op_keyboard", f"/hasil/ppwp/{TPS}/isi/")
    sheet = sheet_from_page(page)
    names = page.eval_on_selector_all("[data-step]", "els => els.map(e => e.name)")
    tab_to(page, f"[name='{names[0]}']")
    for name in names:
        if name in sheet:
            page.keyboard.press("Control+A")
            page.keyboard.type(str(sheet[name]))
        page.keyboard.press("Enter")
    tab_to(page, "#kirim")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert api_status(desk, token, "ppwp", TPS) == "dientri"
    upload_photo(desk, token, form_photo("ppwp", sheet, tmp_path / "c.jpg"))

    # 2. The verifier checks it against the photo and says so with the keyboard.
    page = keyboard_sign_in(browser, desk, "verif_keyboard", f"/hasil/ppwp/{TPS}/verifikasi/")
    tab_to(page, "#sesuai")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert api_status(desk, token, "ppwp", TPS) == "terverifikasi"

    # 3. The lurah reports an incident: arrows choose, Tab moves on, Enter sends.
    page = keyboard_sign_in(browser, desk, "lurah_keyboard", "/kejadian/lapor/")
    tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")
    tab_to(page, "input[name='severity']")
    page.keyboard.press("ArrowRight")  # a radio group: the arrow picks the next level
    tab_to(page, "#id_tps")
    page.keyboard.type("7")
    tab_to(page, "#id_description")
    page.keyboard.type("Kotak suara tiba terlambat (dilaporkan tanpa tetikus)")
    tab_to(page, "#send-report")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/kejadian/\d+/$", page.url), page.url
    assert "tanpa tetikus" in page.inner_text("main")
