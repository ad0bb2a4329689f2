"""The issue's "done when" for the desk's own work, in headless Chromium: the desk puts someone on
duty at the Posko now and a viewer sees them; the desk enters a coordination meeting with three
decisions assigned to agencies and closes one; the Polri liaison sees Polri's decision (and only
it) on a phone until it is done."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deskpemilu.browser.tests.conftest import PASSWORD, Desk

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
DECISIONS = [
    ("Pastikan lokasi TPS, kotak suara dan surat suara siap", "bagian-pemerintahan", "2024-02-12"),
    ("Siagakan petugas dan posko kesehatan di setiap puskesmas", "dinkes", "2024-02-13"),
    ("Patroli kamtibmas bersama TNI di setiap kecamatan", "polri", "2024-02-13"),
]


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


def shift_now() -> tuple[str, str]:
    """(duty date, shift code) running now in WITA; the night shift belongs to the day it began."""
    now = datetime.now(ZoneInfo("Asia/Makassar"))
    if 7 <= now.hour < 15:
        return now.date().isoformat(), "pagi"
    if 15 <= now.hour < 23:
        return now.date().isoformat(), "siang"
    day = now.date() if now.hour >= 23 else now.date() - timedelta(days=1)
    return day.isoformat(), "malam"


def put_on_duty_now(page: Any) -> None:
    day, shift = shift_now()
    page.goto(page.url.split("/tim/")[0] + f"/tim/piket/?dari={day}")
    page.fill("#id_date", day)
    page.select_option("#id_shift", shift)
    page.select_option("#id_member", label="Muhammad Rizal Hakim")
    page.click("text=Jadwalkan")
    page.wait_for_selector(".messages li")
    assert "Muhammad Rizal Hakim dijadwalkan" in page.inner_text(".messages")


def enter_meeting(page: Any) -> None:
    page.click("text=Rapat")
    page.click("text=Catat rapat baru")
    page.wait_for_url(re.compile(r"^[^?]*/tim/rapat/baru/$"))
    page.fill("#id_title", "Rapat koordinasi kesiapan hari pemungutan")
    page.fill("#id_date", "2024-02-06")
    page.fill("#id_time", "09:00")
    page.check("label:has-text('Baiq Nurul Hidayati') input")
    page.fill("#id_other_attendees", "KPU Kota Mataram\nBawaslu Kota Mataram")
    points = page.locator("input[name=poin]")
    points.nth(0).fill("Lokasi TPS beserta kotak dan surat suara harus siap")
    points.nth(1).fill("Kesiapan petugas dan posko kesehatan di puskesmas")
    points.nth(2).fill("Keamanan dan ketertiban wilayah bersama TNI/Polri")
    page.click("[data-add-row=points]")  # the script adds a fourth, empty, row
    assert page.locator("input[name=poin]").count() == 4
    rows = page.locator(".decision")
    for i, (text, agency, due) in enumerate(DECISIONS):
        row = rows.nth(i)
        row.locator("textarea").fill(text)
        row.locator("select[name=keputusan_instansi]").select_option(agency)
        row.locator("input[name=keputusan_tenggat]").fill(due)
    page.click("text=Simpan rapat")
    page.wait_for_url(re.compile(r"^[^?]*/tim/rapat/\d+/$"))


def test_it_runs_a_meeting_and_follows_its_decisions(desk, browser, artifacts):
    desk.account("desk_tim", "admin")
    desk.account("polri_tim", "liaison", agency="polri")
    desk.account("pimpinan_tim", "viewer")
    errors: list[str] = []

    # The desk, at the Posko's desktop.
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = sign_in(context, desk, "desk_tim", "/tim/")
    watch_console(page, errors)
    put_on_duty_now(page)
    page.goto(f"{desk.url}/tim/")
    enter_meeting(page)
    decisions = page.locator("li.decision-item")
    assert decisions.count() == 3
    assert "Ruang Kenari, Kantor Wali Kota Mataram" in page.inner_text("dl.facts")
    first = page.locator("#keputusan-1")
    first.locator("input[name=note]").fill("Seluruh TPS dicek bersama lurah dan PPS")
    first.locator("button[value=selesai]").click()
    page.wait_for_selector("#keputusan-1 .badge.status.selesai")
    assert page.locator(".badge.status.terbuka").count() == 2
    page.screenshot(path=str(artifacts / "team-meeting-desk.png"), full_page=True)
    minutes = page.request.get(page.url + "notulen.pdf")
    assert minutes.ok and minutes.body().startswith(b"%PDF")
    context.close()

    # The Polri liaison, on a phone: Polri's decision only, until it is done.
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="id-ID"
    )
    page = sign_in(context, desk, "polri_tim", "/tim/tindak-lanjut/")
    watch_console(page, errors)
    items = page.locator("ul.action-cards > li.decision-item")
    assert items.count() == 1
    assert DECISIONS[2][0] in items.first.inner_text()
    body = page.inner_text("main")
    assert DECISIONS[0][0] not in body and DECISIONS[1][0] not in body
    page.screenshot(path=str(artifacts / "team-liaison-phone.png"), full_page=True)
    items.first.locator("input[name=note]").fill("Patroli gabungan di 6 kecamatan selesai")
    items.first.locator("button[value=selesai]").click()
    page.wait_for_selector(".messages li")
    assert page.locator("ul.action-cards > li.decision-item").count() == 0
    context.close()

    # A leader sees who is on duty at the Posko now and the calendar of stages.
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="id-ID"
    )
    page = sign_in(context, desk, "pimpinan_tim", "/tim/")
    watch_console(page, errors)
    assert "Muhammad Rizal Hakim" in page.inner_text(".on-duty")
    page.screenshot(path=str(artifacts / "team-viewer-phone.png"), full_page=True)
    page.goto(f"{desk.url}/tahapan/")
    assert page.locator("table.stage-grid tbody tr").count() == 6
    page.screenshot(path=str(artifacts / "stages-viewer-phone.png"), full_page=True)
    context.close()

    assert errors == []
