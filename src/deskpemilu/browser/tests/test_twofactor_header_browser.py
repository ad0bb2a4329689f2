"""An account that must still enrol its second factor sees a header with nothing that would
bounce: the step itself, its username and "Keluar" (no menu of features, no notification
badge, no profile link), without sideways scrolling, on the desk's screen and on a phone.

The session's desk runs with 2FA off (DESKPEMILU_TESTING); this module starts a second server
on the same database with DESKPEMILU_2FA_ENFORCED=1, as an installation runs."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from deskpemilu.browser.tests.conftest import PASSWORD, Desk, _wait_until_up
from deskpemilu.core.pgharness import free_port

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def enforcing(desk: Desk) -> Iterator[str]:
    """The address of a server that demands the second factor of admins and verifiers."""
    env = {**desk.env, "DESKPEMILU_2FA_ENFORCED": "1"}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = desk.log.with_name("serve-2fa.log")
    with log.open("w+") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "deskpemilu", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(url, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def sign_in(context: Any, url: str, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{url}/accounts/login/?next=/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    # Every page waits for the second factor: the sign-in lands on its enrolment.
    page.wait_for_url(re.compile(r"/accounts/2fa/"))
    return page


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_pending_account_sees_only_its_name_and_sign_out(
    desk, browser, enforcing, viewport
) -> None:
    username = f"verif_2fa_{viewport}"
    desk.account(username, "verifier")
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID")
    page = sign_in(context, enforcing, username)
    assert page.locator("#totp-secret").is_visible()

    who = page.locator("header .who")
    assert who.inner_text().split() == [username, "Keluar"]
    assert who.locator("a").count() == 0  # no profile link, no notification badge
    assert page.locator("#notif-badge").count() == 0
    # The menu offers the one step this account can take now, nothing that would bounce.
    links = page.eval_on_selector_all("header nav a", "els => els.map(a => a.pathname)")
    assert links == ["/accounts/2fa/"], links

    width = VIEWPORTS[viewport]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for box in page.eval_on_selector_all(
        "header *", "els => els.map(e => e.getBoundingClientRect().right)"
    ):
        assert box <= width + 0.5, box  # nothing in the header sticks out of the screen

    # "Keluar" works from here.
    with page.expect_navigation():
        who.get_by_role("button", name="Keluar").click()
    assert page.locator("header .who").count() == 0  # signed out
    context.close()
