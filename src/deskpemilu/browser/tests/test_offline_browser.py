"""Issue #19's acceptance, in headless Chromium: an operator loses the signal, saves sheets and
an incident report on the phone, reloads (the queue survives), gets the signal back, and every
item reaches the server once; a version someone else stored meanwhile is shown as a conflict,
not overwritten. A second test cuts the connection after the server stored a sheet and before
the answer arrived: the retry makes no second version.

The figures (the app shell's bytes, the account's pages, the time from reconnect to all-sent)
are written to var/artifacts/offline.json."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from deskpemilu.browser.tests.conftest import PASSWORD, Desk
from deskpemilu.browser.tests.test_results_browser import fill_sheet, form_photo, sheet_from_page

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TAMAN_SARI = "5271011008"
BANJAR = "5271011009"


def api(desk: Desk, token: str, method: str, path: str, body: Any = None, **headers: str) -> Any:
    request = urllib.request.Request(  # noqa: S310 - the test's own server
        f"{desk.url}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def a_sheet() -> dict[str, Any]:
    """A consistent PPWP sheet, as another session sends it."""
    return {
        "administrasi": {
            "pemilih_dpt_l": 100, "pemilih_dpt_p": 100, "pengguna_dpt_l": 50,
            "pengguna_dpt_p": 50, "pengguna_dptb_l": 0, "pengguna_dptb_p": 0,
            "pengguna_non_dpt_l": 0, "pengguna_non_dpt_p": 0, "surat_suara_diterima": 120,
            "surat_suara_digunakan": 100, "surat_suara_rusak": 0,
            "surat_suara_tidak_digunakan": 20, "suara_sah": 98, "suara_tidak_sah": 2,
        },
        "suara": {"1": 50, "2": 30, "3": 18},
    }  # fmt: skip


def audit_count(desk: Desk, object_id: str) -> int:
    script = (
        "from deskpemilu.audit.models import AuditEntry; "
        f"print(AuditEntry.objects.filter(action='sheet.submit', object_id='{object_id}').count())"
    )
    return int(desk.manage("shell", "-c", script).strip().splitlines()[-1])


def poll(what: Any, timeout: float = 60, step: float = 0.2) -> Any:
    """Poll from here: the pages' CSP forbids the eval that wait_for_function needs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


def sign_in(context: Any, desk: Desk, username: str, errors: list[str]) -> Any:
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{desk.url}/accounts/login/?next=/hasil/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^[^?]*/hasil/$"))
    # The worker has kept the shell and this account's pages.
    ready = poll(lambda: page.get_attribute("html", "data-offline-ready"), timeout=120)
    return page, json.loads(ready)


def counts(page: Any) -> tuple[int, int]:
    waiting = page.get_attribute("#netbar", "data-waiting-count")
    attention = page.get_attribute("#netbar", "data-attention-count")
    return int(waiting or 0), int(attention or 0)


def save_sheet_offline(page: Any, desk: Desk, contest: str, tps: str, photo: Any = None) -> None:
    page.goto(f"{desk.url}/hasil/{contest}/{tps}/isi/")
    sheet = sheet_from_page(page)
    fill_sheet(page, sheet)
    if photo is not None:
        page.locator("input[data-photos]").nth(1).set_input_files(form_photo(contest, sheet, photo))
    page.click("#kirim")
    page.wait_for_selector("[data-offline-saved]:has-text('Tersimpan di perangkat ini')")


def queued(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(
        "window.DeskQueue.all().then(items => items.map(i => "
        "({kind: i.kind, state: i.state, key: i.key, ifMatch: i.ifMatch, result: i.result || null,"
        " errors: i.errors || null})))"
    )


def test_it_keeps_what_is_typed_offline_and_sends_it_once(desk, browser, artifacts):
    op = desk.account("pwa_op_taman_sari", "operator", TAMAN_SARI, "diskominfo")
    other = desk.account("pwa_op2_taman_sari", "operator", TAMAN_SARI, "dishub")
    admin_token = desk.token(desk.account("pwa_admin", "admin"))
    tps1, tps2, tps3 = (f"{TAMAN_SARI}00{n}" for n in (1, 2, 3))
    errors: list[str] = []
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page, kept = sign_in(context, desk, op, errors)
    assert kept["kept"] == kept["pages"] > 10  # the queue, the TPS list, every C.Hasil form

    context.set_offline(True)
    page.goto(f"{desk.url}/hasil/")  # the TPS list, from the device
    page.wait_for_selector("#netbar.offline:has-text('Luring')")
    save_sheet_offline(page, desk, "ppwp", tps1)
    save_sheet_offline(page, desk, "ppwp", tps2)
    # Typed over "no version yet"; someone else stores a version meanwhile.
    save_sheet_offline(page, desk, "ppwp", tps3)
    status, _body = api(
        desk, desk.token(other), "PUT", f"/api/v1/results/ppwp/{tps3}", a_sheet(),
        **{"Idempotency-Key": "other-session-1"},
    )  # fmt: skip
    assert status == 201

    page.goto(f"{desk.url}/kejadian/lapor/")
    page.select_option("#id_category", "logistik")
    page.check("input[name=severity][value=sedang]")
    page.select_option("#id_kelurahan", TAMAN_SARI)
    page.fill("#id_tps", "2")
    page.fill("#id_description", "Kotak suara TPS 002 Taman Sari rusak, dilapor tanpa sinyal.")
    page.click("#send-report")
    page.wait_for_selector("[data-offline-saved]:has-text('Laporan tersimpan di perangkat ini')")
    assert counts(page) == (4, 0)

    page.reload()  # still offline: the queue is on the device
    assert poll(lambda: counts(page) == (4, 0))
    assert "4 menunggu dikirim" in page.inner_text("#netbar")
    keys = {q["key"] for q in queued(page)}
    assert len(keys) == 4 and all(re.fullmatch(r"[0-9a-f]{32}", k) for k in keys)

    started = time.monotonic()
    context.set_offline(False)
    poll(lambda: counts(page) == (0, 1), timeout=90)
    all_sent = time.monotonic() - started

    items = queued(page)
    assert sorted(i["state"] for i in items) == ["conflict", "sent", "sent", "sent"]
    conflict = next(i for i in items if i["state"] == "conflict")
    assert conflict["errors"][0]["code"] == "versi_bukan_terkini"
    for tps in (tps1, tps2):
        status, sheet = api(desk, admin_token, "GET", f"/api/v1/results/ppwp/{tps}")
        assert status == 200 and len(sheet["history"]) == 1, sheet
        assert audit_count(desk, f"ppwp/{tps}") == 1
    status, sheet = api(desk, admin_token, "GET", f"/api/v1/results/ppwp/{tps3}")
    assert len(sheet["history"]) == 1 and sheet["history"][0]["author"] == other, sheet
    assert audit_count(desk, f"ppwp/{tps3}") == 1  # not overwritten
    status, listing = api(desk, admin_token, "GET", f"/api/v1/incidents?region={TAMAN_SARI}")
    assert [i["description"][:10] for i in listing["items"]] == ["Kotak suar"]

    # The queue page says what was sent, and what needs the operator, with the reason.
    page.goto(f"{desk.url}/luring/antrean/")
    page.wait_for_selector("[data-list=sent] [data-state=sent]")
    assert page.locator("[data-list=sent] [data-state=sent]").count() == 3
    card = page.locator("[data-list=attention] [data-state=conflict]")
    assert "bentrok" in card.inner_text() and "bukan versi terkini" in card.inner_text()

    # Signing out asks first (one item is unsent); refusing keeps everything.
    page.once("dialog", lambda d: d.dismiss())
    page.click("form[data-signout] button")
    time.sleep(0.5)
    assert page.url.endswith("/luring/antrean/") and len(queued(page)) == 4
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.click("form[data-signout] button")
    left = page.evaluate(
        "new Promise(ok => { const r = indexedDB.open('deskpemilu'); r.onsuccess = () => {"
        " const t = r.result.transaction('antrean').objectStore('antrean').count();"
        " t.onsuccess = () => ok(t.result); }; })"
    )
    cached = page.evaluate("caches.keys()")
    assert left == 0 and not [c for c in cached if c.startswith("dp-pages-")]
    assert errors == []

    shell = kept["shellBytes"]
    report = {"shell_bytes": shell, "pages": kept["pages"], "pages_bytes": kept["bytes"],
              "reconnect_to_all_sent_s": round(all_sent, 2), "items": 4}  # fmt: skip
    (artifacts / "offline.json").write_text(json.dumps(report, indent=2))
    context.close()


def test_a_send_cut_after_the_server_stored_it_makes_no_second_version(
    desk, browser, artifacts, tmp_path
):
    op = desk.account("pwa_op_banjar", "operator", BANJAR, "diskominfo")
    admin_token = desk.token(desk.account("pwa_admin", "admin"))
    tps = f"{BANJAR}001"
    errors: list[str] = []
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page, _kept = sign_in(context, desk, op, errors)
    context.set_offline(True)
    # With a photo of the form: it waits on the device too, and follows the numbers.
    save_sheet_offline(page, desk, "ppwp", tps, photo=tmp_path / "c-hasil.jpg")

    puts: list[int] = []

    def cut_the_first(route: Any) -> None:
        if route.request.method != "PUT":
            route.continue_()
            return
        puts.append(1)
        if len(puts) == 1:
            route.fetch()  # the server stores it...
            route.abort("connectionreset")  # ...and the answer never arrives
        else:
            route.continue_()

    context.route(f"**/api/v1/results/ppwp/{tps}", cut_the_first)
    context.set_offline(False)
    poll(lambda: counts(page) == (0, 0), timeout=90)
    assert len(puts) >= 2
    [item] = queued(page)
    assert item["state"] == "sent" and item["result"]["version"] == 1
    status, sheet = api(desk, admin_token, "GET", f"/api/v1/results/ppwp/{tps}")
    assert status == 200 and len(sheet["history"]) == 1
    assert len(sheet["photos"]) == 1
    assert audit_count(desk, f"ppwp/{tps}") == 1
    assert errors == []
    context.close()


def test_a_checklist_saved_offline_is_sent_once(desk, browser):
    """A readiness update typed without a signal: only the changed item is queued, and it is
    stored once when the signal returns, even though the send is cut after the server stored
    it (the replay of an unchanged item makes no second report). A photo beyond the device's
    budget is refused on the device."""
    kelurahan = "5271011011"
    op = desk.account("pwa_op_pejarakan", "operator", kelurahan, "diskominfo")
    admin_token = desk.token(desk.account("pwa_admin", "admin"))
    tps = f"{kelurahan}001"
    errors: list[str] = []
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page, kept = sign_in(context, desk, op, errors)
    assert kept["kept"] == kept["pages"]
    context.set_offline(True)
    page.goto(f"{desk.url}/kesiapan/tps/{tps}/")  # from the device
    page.wait_for_selector("#netbar.offline")
    first, second = page.eval_on_selector_all(
        "fieldset[data-item]", "els => els.slice(0, 2).map(e => e.dataset.item)"
    )
    page.check(f"input[name=status-{first}][value=bermasalah]")
    page.fill(f"input[name=catatan-{first}]", "Tenda roboh, dilapor tanpa sinyal")
    page.click(".ck-save button")
    page.wait_for_selector("[data-offline-saved]:has-text('Kesiapan tersimpan di perangkat ini')")
    assert counts(page) == (1, 0)
    [item] = queued(page)
    assert item["kind"] == "readiness"
    body = page.evaluate("window.DeskQueue.all().then(items => items[0].body)")
    assert list(body["items"]) == [first]  # the untouched items are not sent

    # Photos wait on the device too, up to 10 MB in all: a larger one is refused there.
    page.goto(f"{desk.url}/kejadian/lapor/")
    page.select_option("#id_category", "logistik")
    page.check("input[name=severity][value=sedang]")
    page.select_option("#id_kelurahan", kelurahan)
    page.fill("#id_description", "Foto terlalu besar untuk antrean perangkat.")
    big = {"name": "besar.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (11 * 1024 * 1024)}
    page.set_input_files("#id_foto", big)
    page.click("#send-report")
    page.wait_for_selector("[data-offline-saved]:has-text('melebihi 10 MB')")
    assert counts(page) == (1, 0)

    puts: list[int] = []

    def cut_the_first(route: Any) -> None:
        if route.request.method != "PUT":
            route.continue_()
            return
        puts.append(1)
        if len(puts) == 1:
            route.fetch()  # stored...
            route.abort("connectionreset")  # ...and the answer lost
        else:
            route.continue_()

    context.route(f"**/api/v1/readiness/{tps}", cut_the_first)
    context.set_offline(False)
    poll(lambda: counts(page) == (0, 0), timeout=90)
    assert len(puts) >= 2
    status, history = api(desk, admin_token, "GET", f"/api/v1/readiness/{tps}/history")
    assert status == 200
    mine = [h for h in history if h["item"] == first]
    assert len(mine) == 1 and mine[0]["status"] == "bermasalah", history
    assert not [h for h in history if h["item"] == second]
    page.goto(f"{desk.url}/luring/antrean/")
    page.wait_for_selector("[data-list=sent] [data-state=sent]")
    assert "% siap" in page.inner_text("[data-list=sent] [data-state=sent]")
    assert errors == []
    context.close()


def test_the_offline_pages_pass_the_accessibility_gate(desk, browser, artifacts):
    """The pages as they look without a signal (the status bar shown, the saved notice, the
    queue with an item, the offline page), on a phone: no serious violation, no sideways
    scroll."""
    from deskpemilu.browser.tests.test_accessibility import severe_violations

    op = desk.account("pwa_op_kebun_sari", "operator", "5271011010", "diskominfo")
    errors: list[str] = []
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page, _kept = sign_in(context, desk, op, errors)
    context.set_offline(True)
    found: dict[str, Any] = {}
    save_sheet_offline(page, desk, "ppwp", "5271011010001")
    page.wait_for_selector("#netbar.offline")
    found["entry"] = severe_violations(page)
    overflow = {"entry": page.evaluate("document.documentElement.scrollWidth")}
    page.goto(f"{desk.url}/luring/antrean/")
    page.wait_for_selector("[data-list=waiting] [data-state=waiting]")
    found["queue"] = severe_violations(page)
    overflow["queue"] = page.evaluate("document.documentElement.scrollWidth")
    page.goto(f"{desk.url}/rekap/")  # never kept: the offline page
    page.wait_for_selector("text=belum tersimpan di perangkat ini")
    found["offline"] = severe_violations(page)
    overflow["offline"] = page.evaluate("document.documentElement.scrollWidth")
    (artifacts / "axe-offline.json").write_text(json.dumps(found, indent=1))
    assert found == {"entry": [], "queue": [], "offline": []}
    assert max(overflow.values()) <= PHONE["width"], overflow
    assert errors == []
    context.close()
