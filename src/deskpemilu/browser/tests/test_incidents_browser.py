"""The issue's "done when", in headless Chromium against `deskpemilu serve`: on election
morning a lurah reports a crowd disturbance at a TPS from a phone (with its position), the desk
verifies it and forwards it to Polri, the Polri liaison sees it and answers, the desk closes it.
Then `deskpemilu notify_worker --once` sends the outbox: the emails arrive at a real local SMTP
server and the signed webhook at a real local HTTP server. The timeline shows every step, and
a TNI liaison never sees the incident."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import subprocess
import sys
from typing import Any

import pytest

from deskpemilu.browser.tests.conftest import PASSWORD, Desk

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PEJERUK = "5271011006"
SECRET = "rahasia-webhook-posko-uji-0123456789"
SET_EMAILS = (
    "from deskpemilu.accounts.models import User; "
    "User.objects.filter(username='kjd_desk').update(email='desk@mataramkota.go.id'); "
    "User.objects.filter(username='kjd_polri').update(email='polresta@polri.go.id')"
)


@pytest.fixture
def smtp_server() -> Any:
    from aiosmtpd.controller import Controller

    from deskpemilu.notify.tests.servers import SmtpServer, free_port

    state = SmtpServer("127.0.0.1", free_port())
    controller = Controller(state, hostname=state.host, port=state.port)
    controller.start()
    try:
        yield state
    finally:
        controller.stop()


@pytest.fixture
def webhook_server() -> Any:
    from deskpemilu.notify.tests.servers import start_webhook_server

    state, server = start_webhook_server()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def sign_in(context: Any, desk: Desk, username: str, errors: list[str]) -> Any:
    page = context.new_page()
    page.on(
        "console",
        lambda m: errors.append(f"{m.text} {m.location.get('url')}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{desk.url}/accounts/login/?next=/kejadian/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^[^?]*/kejadian/$"))
    return page


def lurah_reports(desk: Desk, browser: Any, artifacts: Any, errors: list[str]) -> str:
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        permissions=["geolocation"],
        geolocation={"latitude": -8.5712, "longitude": 116.0887, "accuracy": 12},
    )
    page = sign_in(context, desk, "kjd_lurah", errors)
    page.click("text=Lapor kejadian")
    page.wait_for_url("**/kejadian/lapor/")
    page.select_option("#id_category", "keamanan")
    page.check("input[name=severity][value=tinggi]")
    assert page.input_value("#id_kelurahan") == PEJERUK  # the lurah's only kelurahan
    page.fill("#id_tps", "1")
    page.fill(
        "#id_description",
        "Kerumunan massa di depan TPS 001, pemilih tidak dapat masuk. Mohon bantuan pengamanan.",
    )
    page.click("#use-position")
    page.wait_for_selector("#position-status:has-text('Lokasi disertakan')")
    assert page.input_value("#id_lat") == "-8.571200"
    page.screenshot(path=str(artifacts / "incident-report-phone.png"), full_page=True)
    page.click("#send-report")
    page.wait_for_url(re.compile(r"^[^?]*/kejadian/\d+/$"))
    assert "terkirim" in page.inner_text(".messages")
    number = page.inner_text("h1").split()[0]
    assert number.startswith("KJD-")
    context.close()
    return number


def open_incident(page: Any, number: str) -> None:
    page.goto(page.url.split("/kejadian/")[0] + "/kejadian/")
    page.click(f"a.num:has-text('{number}')")
    page.wait_for_url(re.compile(r"^[^?]*/kejadian/\d+/$"))


def desk_verifies_and_forwards(
    desk: Desk, browser: Any, number: str, artifacts: Any, errors: list[str]
) -> str:
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = sign_in(context, desk, "kjd_desk", errors)
    assert page.locator("svg [data-code^='kjd-']").count() == 1  # its marker on the map
    page.screenshot(path=str(artifacts / "incident-board.png"), full_page=True)
    open_incident(page, number)
    page.fill("#desk-note", "Dikonfirmasi lewat telepon dengan KPPS.")
    page.click("#desk-actions button[value=diverifikasi]")
    page.wait_for_selector(".messages:has-text('Tercatat')")
    page.check("#desk-actions input[name=agencies][value=polri]")
    page.fill("#desk-note", "Mohon pengamanan segera.")
    page.click("#desk-actions button[value=diteruskan]")
    page.wait_for_selector("#forwarded:has-text('Polri')")
    url = page.url
    context.close()
    return url


def polri_answers(desk: Desk, browser: Any, number: str, errors: list[str]) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page = sign_in(context, desk, "kjd_polri", errors)
    assert number in page.inner_text(".incident-list")
    open_incident(page, number)
    page.fill("#answer-note", "Dua unit Sabhara meluncur ke TPS 001.")
    page.click("#answer button[value=ditangani]")
    page.wait_for_selector(".messages:has-text('Tercatat')")
    context.close()


def desk_closes(desk: Desk, browser: Any, url: str, artifacts: Any, errors: list[str]) -> Any:
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = sign_in(context, desk, "kjd_desk", errors)
    page.goto(url)
    page.fill("#desk-note", "Situasi kondusif, pemungutan suara berlanjut.")
    page.click("#desk-actions button[value=selesai]")
    page.wait_for_selector(".messages:has-text('Tercatat')")
    steps = page.locator("#timeline > li").all_inner_texts()
    page.screenshot(path=str(artifacts / "incident-timeline.png"), full_page=True)
    context.close()
    return steps


def run_worker(desk: Desk, smtp: Any) -> str:
    env = {
        **desk.env,
        "DESKPEMILU_SMTP_HOST": smtp.host,
        "DESKPEMILU_SMTP_PORT": str(smtp.port),
    }
    result = subprocess.run(
        [sys.executable, "-m", "deskpemilu", "notify_worker", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (result.stdout, result.stderr)
    return result.stdout


def test_the_election_morning_flow(desk, browser, artifacts, smtp_server, webhook_server):
    desk.account("kjd_lurah", "lurah", PEJERUK)
    desk.account("kjd_desk", "admin")
    desk.account("kjd_polri", "liaison", agency="polri")
    desk.account("kjd_tni", "liaison", agency="tni")
    desk.manage("shell", "-c", SET_EMAILS)
    desk.manage("notify_webhook", "posko-uji", webhook_server.url, "--secret-stdin", stdin=SECRET)
    errors: list[str] = []

    number = lurah_reports(desk, browser, artifacts, errors)
    url = desk_verifies_and_forwards(desk, browser, number, artifacts, errors)
    polri_answers(desk, browser, number, errors)
    steps = desk_closes(desk, browser, url, artifacts, errors)

    # The timeline shows each step, oldest first, starting with the report.
    assert len(steps) == 5, steps
    for text, who, status in zip(
        steps,
        ["kjd_lurah", "kjd_desk", "kjd_desk", "kjd_polri", "kjd_desk"],
        ["Baru", "Diverifikasi", "Diteruskan", "Ditangani", "Selesai"],
        strict=True,
    ):
        assert who in text and status in text, text
    assert "Polri (Polresta Mataram)" in steps[2]  # the agency's name, not its slug

    # A TNI liaison never sees it: not on the board, 404 on its page.
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    expected_404: list[str] = []  # the refused page itself logs its 404 in the console
    page = sign_in(context, desk, "kjd_tni", expected_404)
    assert number not in page.content()
    response = page.goto(url)
    assert response is not None and response.status == 404
    context.close()

    output = run_worker(desk, smtp_server)
    assert "sent=" in output
    emails = {m["To"]: m for m in smtp_server.messages}
    assert number in emails["desk@mataramkota.go.id"]["Subject"]  # the report, to the desk
    assert "Polri" in emails["polresta@polri.go.id"]["Subject"]  # forwarded, to Polri
    events = []
    for call in webhook_server.received:
        signature = call.headers["x-deskpemilu-signature"]
        expected = "sha256=" + hmac.new(SECRET.encode(), call.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(signature, expected)
        body = json.loads(call.body)
        assert body["data"]["number"] == number
        events.append((body["event"], body["data"]["status"]))
    assert ("incident.reported", "baru") in events
    assert ("incident.forwarded", "diteruskan") in events
    assert ("incident.status", "selesai") in events

    # The favicon is not this feature's (no app serves one yet).
    assert [e for e in errors if "favicon.ico" not in e] == []
    log = desk.server_log()
    assert "Traceback" not in log
    assert not re.search(r'" 500 ', log)
