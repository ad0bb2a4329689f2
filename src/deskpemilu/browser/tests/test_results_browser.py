"""The issue's "done when": in headless Chromium, an operator enters all five ballots of a TPS
on a phone, photos included, and a second person verifies them all in the browser: four
against the photo and one (DPD, set to blind double entry) by typing the form again."""

from __future__ import annotations

import io
import json
import re
import time
import urllib.request
from typing import Any

import pytest
from PIL import Image, ImageDraw

from deskpemilu.browser.tests.conftest import PASSWORD, Desk

pytestmark = pytest.mark.browser

TPS = "5271011004001"  # Ampenan Selatan TPS 001
KELURAHAN = "5271011004"
CONTESTS = ["ppwp", "dpr", "dpd", "dprd-prov", "dprd-kabkota"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def form_photo(contest: str, numbers: dict[str, int], path: Any) -> Any:
    """A stand-in for a photo of the C.Hasil page: lines and the numbers, as a JPEG."""
    image = Image.new("RGB", (1200, 1600), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.text((60, 40), f"C.HASIL {contest.upper()}  TPS 001  AMPENAN SELATAN", fill=(20, 20, 20))
    for i, (name, value) in enumerate(sorted(numbers.items())[:60]):
        y = 100 + i * 24
        draw.line((40, y + 18, 1160, y + 18), fill=(180, 180, 180))
        draw.text((60, y), name, fill=(40, 40, 40))
        draw.text((1000, y), str(value), fill=(10, 10, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    path.write_bytes(buffer.getvalue())
    return path


def sheet_from_page(page: Any) -> dict[str, int]:
    """A consistent sheet for the boxes the page shows, from its prefilled DPT."""
    dpt_l = int(page.input_value("[name='administrasi.pemilih_dpt_l']"))
    dpt_p = int(page.input_value("[name='administrasi.pemilih_dpt_p']"))
    keys = page.eval_on_selector_all(
        "input[name^='suara.']", "els => els.map(e => e.name.slice(6))"
    )
    voted_l, voted_p = dpt_l * 8 // 10, dpt_p * 8 // 10
    used = voted_l + voted_p + 1
    invalid = 4
    valid = used - invalid
    received = dpt_l + dpt_p + (dpt_l + dpt_p) * 2 // 100 + 1
    votes = dict.fromkeys(keys, 0)
    spread = keys[:5]
    for i, key in enumerate(spread):
        votes[key] = valid // len(spread) + (valid % len(spread) if i == 0 else 0)
    sheet = {
        "administrasi.pemilih_dpt_l": dpt_l,
        "administrasi.pemilih_dpt_p": dpt_p,
        "administrasi.pengguna_dpt_l": voted_l,
        "administrasi.pengguna_dpt_p": voted_p,
        "administrasi.pengguna_dptb_l": 0,
        "administrasi.pengguna_dptb_p": 0,
        "administrasi.pengguna_non_dpt_l": 1,
        "administrasi.pengguna_non_dpt_p": 0,
        "administrasi.surat_suara_diterima": received,
        "administrasi.surat_suara_rusak": 1,
        "administrasi.surat_suara_tidak_digunakan": received - used - 1,
        "administrasi.surat_suara_digunakan": used,
        "administrasi.pemilih_disabilitas_l": 2,
        "administrasi.pemilih_disabilitas_p": 1,
        "administrasi.pengguna_disabilitas_l": 2,
        "administrasi.pengguna_disabilitas_p": 0,
        "administrasi.suara_sah": valid,
        "administrasi.suara_tidak_sah": invalid,
    }
    sheet.update({f"suara.{k}": v for k, v in votes.items()})
    return sheet


def type_sheet(page: Any, sheet: dict[str, int]) -> None:
    """Type as an operator does: a number, Enter, the next box, in the paper's order."""
    names = page.eval_on_selector_all("[data-step]", "els => els.map(e => e.name)")
    page.focus(f"[name='{names[0]}']")
    for name in names:
        assert page.evaluate("document.activeElement.name") == name
        if name in sheet:
            page.keyboard.press("Control+A")
            page.keyboard.type(str(sheet[name]))
        page.keyboard.press("Enter")


def fill_sheet(page: Any, sheet: dict[str, int]) -> None:
    """The quick way for the other forms: only the boxes that are not 0 (an empty vote box
    counts 0), then Enter from the last box to reach the button."""
    for name, value in sheet.items():
        if value or not name.startswith("suara."):
            page.fill(f"[name='{name}']", str(value))
    page.locator("[data-step]").last.focus()
    page.keyboard.press("Enter")


def settled(page: Any) -> None:
    """Wait until the live check has answered for what is typed now."""
    page.wait_for_selector("#sheet-form:not([data-checking])", state="attached")


def send(page: Any, landing: str, button: str = "#kirim") -> None:
    """Press the button; on a refusal, fail with the messages the page shows."""
    with page.expect_navigation():
        page.click(button)
    if not page.url.endswith(landing):
        shown = page.eval_on_selector_all(
            ".msg > span, .problems > p, .refusal", "els => els.map(e => e.textContent)"
        )
        raise AssertionError(f"{page.url}: {shown}")


def photo_shown(page: Any) -> bool:
    """The form's photo has arrived and decoded (polled from here: the page's CSP forbids the
    eval that wait_for_function needs)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        width = page.eval_on_selector(".photos img", "img => img.complete && img.naturalWidth")
        if width:
            return True
        time.sleep(0.1)
    return False


def sign_in(context: Any, desk: Desk, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{desk.url}/accounts/login/?next=/hasil/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^[^?]*/hasil/$"))
    return page


def watch_console(page: Any, errors: list[str]) -> None:
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))


def api_status(desk: Desk, token: str, contest: str, tps: str = TPS) -> str:
    request = urllib.request.Request(  # noqa: S310 - the local test server
        f"{desk.url}/api/v1/results/{contest}/{tps}",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return str(json.load(response)["status"])


def enter_all_five(desk: Desk, browser: Any, artifacts: Any, tmp_path: Any) -> dict[str, dict]:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="id-ID"
    )
    page = sign_in(context, desk, "op_browser")
    errors: list[str] = []
    watch_console(page, errors)
    page.click(f"a[data-sheet='ppwp/{TPS}']")
    entered = {}
    for index, contest in enumerate(CONTESTS):
        page.wait_for_url(f"**/hasil/{contest}/{TPS}/isi/")
        sheet = sheet_from_page(page)
        if contest == "ppwp":
            check_live_rules(page, sheet)
        if contest == "ppwp":
            type_sheet(page, sheet)
        else:
            fill_sheet(page, sheet)
        assert page.evaluate("document.activeElement.id") == "kirim"
        photo = form_photo(contest, sheet, tmp_path / f"{contest}.jpg")
        page.set_input_files("input[name=foto]:not([capture])", str(photo))
        page.wait_for_selector("[data-previews] img")
        settled(page)
        if contest == "ppwp":
            assert page.inner_text("[data-problem-count]") == "✓"
            page.screenshot(
                path=str(artifacts / "results-entry-phone.png"),
                full_page=True,
                style=".submitbar { position: static; }",  # one bar, at the end of the page
            )
        send(page, f"/hasil/{contest}/{TPS}/")
        assert "Tersimpan" in page.inner_text(".messages")
        assert page.locator(".photos img").count() == 1
        entered[contest] = sheet
        if index + 1 < len(CONTESTS):
            page.click("#next-contest")  # the next ballot of the same box
    page.goto(f"{desk.url}/hasil/?wilayah={KELURAHAN}")
    for contest in CONTESTS:
        assert page.inner_text(f"a[data-sheet='{contest}/{TPS}']") == "dientri"
    assert errors == []
    context.close()
    return entered


def check_live_rules(page: Any, sheet: dict[str, int]) -> None:
    """A wrong valid-vote total is named beside its box before anything is sent; the live
    sums follow the typing."""
    wrong = {**sheet, "administrasi.suara_sah": sheet["administrasi.suara_sah"] + 10}
    type_sheet(page, wrong)
    slot = "[data-for='administrasi.suara_sah']"
    page.wait_for_selector(f"{slot}:has-text('Suara sah tidak sama dengan jumlah perolehan')")
    assert page.locator("#confirm-block").is_visible()
    voters = sum(
        v for k, v in sheet.items() if k.startswith("administrasi.pengguna_") and "dis" not in k
    )
    assert page.inner_text("output[data-total='voters']") == f"{voters:,}".replace(",", ".")
    page.fill("[name='administrasi.suara_sah']", str(sheet["administrasi.suara_sah"]))
    page.wait_for_selector(f"{slot}:empty", state="attached")


def verify_all_five(desk: Desk, browser: Any, artifacts: Any, entered: dict[str, dict]) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = sign_in(context, desk, "verif_browser")
    errors: list[str] = []
    watch_console(page, errors)
    for contest in CONTESTS:
        page.goto(f"{desk.url}/hasil/verifikasi/")
        page.click(f"a[data-verify='{contest}/{TPS}']")
        page.wait_for_url(f"**/hasil/{contest}/{TPS}/verifikasi/")
        assert photo_shown(page)
        if contest == "dpd":  # blind: the first entry's numbers are not on the page
            assert page.locator(".sheet-numbers").count() == 0
            fill_sheet(page, entered[contest])
            page.screenshot(path=str(artifacts / "results-verify-blind.png"), full_page=False)
            settled(page)
            send(page, "/hasil/verifikasi/")
        else:
            if contest == "ppwp":
                page.screenshot(path=str(artifacts / "results-verify.png"), full_page=False)
            send(page, "/hasil/verifikasi/", button="#sesuai")
        assert "Terverifikasi" in page.inner_text(".messages")
    page.goto(f"{desk.url}/hasil/?wilayah={KELURAHAN}")
    for contest in CONTESTS:
        assert page.inner_text(f"a[data-sheet='{contest}/{TPS}']") == "terverifikasi"
    assert errors == []
    context.close()


def test_it_enters_and_verifies_the_five_ballots_of_a_tps(desk, browser, artifacts, tmp_path):
    desk.account("op_browser", "operator", KELURAHAN, "diskominfo")
    desk.account("verif_browser", "verifier")
    entered = enter_all_five(desk, browser, artifacts, tmp_path)
    verify_all_five(desk, browser, artifacts, entered)
    token = desk.token("verif_browser")
    assert {c: api_status(desk, token, c) for c in CONTESTS} == dict.fromkeys(
        CONTESTS, "terverifikasi"
    )
    log = desk.server_log()
    assert "Traceback" not in log
    assert not re.search(r'" 500 ', log)


def api_put(desk: Desk, token: str, contest: str, tps: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(  # noqa: S310 - the local test server
        f"{desk.url}/api/v1/results/{contest}/{tps}",
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status in (200, 201)


def api_body(sheet: dict[str, int]) -> dict[str, Any]:
    """The API's body for the form's boxes (`administrasi.x` → {"administrasi": {"x": …}})."""
    body: dict[str, Any] = {"administrasi": {}, "suara": {}}
    for name, value in sheet.items():
        section, key = name.split(".", 1)
        body[section][key] = value
    return body


def test_a_verifier_returns_a_sheet_and_its_operator_corrects_it(desk, browser, tmp_path):
    """Send back, as the desk does it: the verifier gives a reason on the sheet page; the
    operator finds the sheet on their page, reads why, and stores a correction."""
    tps = f"{KELURAHAN}002"
    desk.account("op_kembali", "operator", KELURAHAN, "diskominfo")
    desk.account("verif_kembali", "verifier")
    operator = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page = sign_in(operator, desk, "op_kembali")
    page.goto(f"{desk.url}/hasil/ppwp/{tps}/isi/")
    sheet = sheet_from_page(page)
    api_put(desk, desk.token("op_kembali"), "ppwp", tps, api_body(sheet))

    verifier = browser.new_context(viewport=DESKTOP, locale="id-ID")
    desk_page = sign_in(verifier, desk, "verif_kembali")
    desk_page.goto(f"{desk.url}/hasil/ppwp/{tps}/")
    desk_page.click("details.return-form summary")
    desk_page.fill("#f-alasan-kembali", "Suara paslon 1 tidak sesuai foto halaman 2")
    send(desk_page, f"/hasil/ppwp/{tps}/", button="details.return-form button")
    assert "Dikembalikan ke operator" in desk_page.inner_text(".messages")
    assert desk_page.locator("#returned").is_visible()
    verifier.close()

    page.goto(f"{desk.url}/hasil/")
    assert page.locator("#dikembalikan").is_visible()
    page.click(f"#dikembalikan a[href='/hasil/ppwp/{tps}/isi/']")
    assert "Suara paslon 1 tidak sesuai foto halaman 2" in page.inner_text("#returned")
    fixed = {**sheet, "suara.1": sheet["suara.1"] - 1, "suara.2": sheet["suara.2"] + 1}
    fill_sheet(page, fixed)
    page.fill("#f-alasan", "dibaca ulang dari formulir")
    settled(page)
    send(page, f"/hasil/ppwp/{tps}/")
    assert page.inner_text(".sheet-status .badge") == "dientri"
    operator.close()
    assert api_status(desk, desk.token("verif_kembali"), "ppwp", tps) == "dientri"
