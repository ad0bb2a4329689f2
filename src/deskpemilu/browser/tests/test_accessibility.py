"""Accessibility as a gate: every demo role signs in, and axe-core (bundled by
axe-playwright-python, injected by the test only: the app's CSP stays as it is) checks every page
the role's main menu offers, on the desk's screen and on a phone. No serious or critical
violation may be left; the counts per page are written to var/artifacts/axe.json."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from deskpemilu.browser.tests.conftest import PASSWORD, Desk

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# One account per role, scoped like the demo cast (setup_demo).
CAST = [
    ("a11y_admin", "admin", "", ""),
    ("a11y_operator", "operator", "5271011004", "diskominfo"),
    ("a11y_verifier", "verifier", "", ""),
    ("a11y_lurah", "lurah", "5271011006", ""),
    ("a11y_camat", "camat", "527106", ""),
    ("a11y_liaison", "liaison", "", "polri"),
    ("a11y_health", "health", "527101", ""),
    ("a11y_viewer", "viewer", "", ""),
]
SEVERE = {"serious", "critical"}
# Pages of the key flows that no menu links directly: the C.Hasil form, the sheet, the incident
# report form, the verification queue.
FLOWS = {
    "a11y_operator": [
        "/hasil/ppwp/5271011004001/isi/",
        "/kejadian/lapor/",
        "/hasil/pilih/",
        "/luring/antrean/",
    ],
    "a11y_admin": [
        "/hasil/ppwp/5271011004002/isi/",
        "/hasil/selisih/",
        "/hasil/kontes/",
        "/pemilihan/",
        "/rekap/pkwkk/5271/banding/",
        "/accounts/me/",
    ],
    "a11y_verifier": ["/hasil/verifikasi/"],
    "a11y_lurah": ["/kejadian/lapor/", "/kesiapan/tps/5271011006001/"],
    # Kerawanan: the import, the form on the TPS page, the map layers.
    "a11y_liaison": ["/kesiapan/kerawanan/impor/", "/kesiapan/tps/5271011006001/"],
    "a11y_viewer": ["/kesiapan/?lapisan=kerawanan", "/situasi/?peta=kerawanan", "/accounts/me/"],
}


def sign_in(context: Any, desk: Desk, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{desk.url}/accounts/login/?next=/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^[^?]*/$"))
    return page


def menu(page: Any) -> list[str]:
    """The main menu's links (same origin), the home page first."""
    hrefs = page.eval_on_selector_all(
        "nav.mainnav a", "els => els.map(e => e.getAttribute('href'))"
    )
    seen: list[str] = []
    for href in ["/", *hrefs]:
        if href and href.startswith("/") and href not in seen:
            seen.append(href)
    return seen


def severe_violations(page: Any) -> list[dict[str, Any]]:
    result = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
         "target": v["nodes"][0]["target"] if v["nodes"] else []}
        for v in result.response["violations"]
        if v.get("impact") in SEVERE
    ]  # fmt: skip


@pytest.fixture(scope="module")
def cast(desk: Desk) -> list[str]:
    for username, role, scope, agency in CAST:
        if username not in desk.accounts:
            desk.account(username, role, scope, agency)
    return [c[0] for c in CAST]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_page_of_any_role_has_a_serious_accessibility_violation(
    desk, browser, artifacts, cast, viewport
):
    report: dict[str, dict[str, list[dict[str, Any]]]] = {}
    statuses: dict[str, int] = {}
    overflow: dict[str, int] = {}
    headers: dict[str, float] = {}
    for username in cast:
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID")
        page = sign_in(context, desk, username)
        for path in menu(page) + FLOWS.get(username, []):
            response = page.goto(f"{desk.url}{path}")
            statuses[f"{username} {path}"] = response.status if response else 0
            report.setdefault(username, {})[path] = severe_violations(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORTS[viewport]["width"]:
                overflow[f"{username} {path}"] = width
            headers[username] = page.locator("header.top").bounding_box()["height"]
        context.close()
    (artifacts / f"axe-{viewport}.json").write_text(json.dumps(report, indent=1))
    failing = {
        f"{user} {path}": [f"{v['id']} ({v['impact']}, {v['nodes']})" for v in found]
        for user, pages in report.items()
        for path, found in pages.items()
        if found
    }
    assert sum(len(p) for p in report.values()) >= 40  # the walk saw every role's pages
    assert failing == {}
    assert overflow == {}  # no page scrolls sideways
    # The header leaves the screen to the page: at most a fifth of a phone's height.
    assert max(headers.values()) <= VIEWPORTS[viewport]["height"] / 5, headers
    assert {k: s for k, s in statuses.items() if s != 200} == {}  # the menu offers no 403
