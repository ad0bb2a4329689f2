"""The field app's own routes: the service worker, the manifest, the offline page, the rules
for offline checks, and the account's own pages to keep."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders

from deskpemilu.tally import rulebook

AMPENAN_SELATAN = "5271011004"


@pytest.mark.django_db
def test_it_serves_the_worker_at_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    config = json.loads(re.match(r"var CONFIG = (.*);\n", text).group(1))
    assert "/static/deskpemilu/desk.css" in config["shell"]
    assert "/luring/" in config["shell"] and "/luring/aturan.json" in config["shell"]
    # The shell is the same for everyone: no API answer, no page with anyone's data.
    assert not [u for u in config["shell"] if u.startswith(("/api/", "/hasil/", "/kejadian/"))]
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])


@pytest.mark.django_db
def test_every_shell_file_exists(client):
    text = client.get("/sw.js").content.decode()
    config = json.loads(re.match(r"var CONFIG = (.*);\n", text).group(1))
    for url in config["shell"]:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
        else:
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_it_serves_the_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}


@pytest.mark.django_db
def test_pages_link_the_manifest_and_the_worker(client_for, operator):
    page = client_for(operator).get("/hasil/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'data-sw-url="/sw.js"' in page
    assert "offline/pwa.js" in page
    assert "data-signout" in page


@pytest.mark.django_db
def test_the_offline_page_shows_no_one(client_for, operator):
    page = client_for(operator).get("/luring/")
    assert page.status_code == 200
    text = page.content.decode()
    assert operator.username not in text
    assert "netbar" not in text
    assert "belum tersimpan di perangkat ini" in text


@pytest.mark.django_db
def test_the_rules_are_tallys(client):
    response = client.get("/luring/aturan.json")
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(rulebook.describe()))
    codes = {r["code"] for r in response.json()["sums"]}
    assert "suara_sah_tidak_sama_rincian" in codes


@pytest.mark.django_db
def test_it_lists_only_the_operators_own_pages(client_for, operator):
    response = client_for(operator).get("/luring/halaman.json")
    assert response.status_code == 200
    answer = response.json()
    assert re.fullmatch(r"[0-9a-f]{20}", answer["account"])
    assert answer["csrf"]
    pages = answer["pages"]
    assert "/luring/antrean/" in pages and "/hasil/" in pages and "/kejadian/lapor/" in pages
    forms = [p for p in pages if p.endswith("/isi/")]
    assert forms and all(f"/{AMPENAN_SELATAN}" in p for p in forms)
    assert f"/hasil/ppwp/{AMPENAN_SELATAN}001/isi/" in forms
    assert not [p for p in pages if p.startswith("/api/")]


@pytest.mark.django_db
def test_each_account_has_its_own_key(client_for, operator, outsider, lurah):
    keys = {
        client_for(u).get("/luring/halaman.json").json()["account"]
        for u in (operator, outsider, lurah)
    }
    assert len(keys) == 3


@pytest.mark.django_db
def test_a_reporter_keeps_the_report_form_and_no_sheet(client_for, lurah):
    pages = client_for(lurah).get("/luring/halaman.json").json()["pages"]
    assert pages[:2] == ["/luring/antrean/", "/kejadian/lapor/"]
    assert not [p for p in pages if p.startswith("/hasil/")]
    # The lurah reports readiness too: the checklists of the kelurahan's TPS, and no other.
    checklists = pages[2:]
    assert checklists and all(p.startswith(f"/kesiapan/tps/{lurah.scope}") for p in checklists)


@pytest.mark.django_db
def test_a_desk_account_keeps_no_checklist(client_for, admin):
    pages = client_for(admin).get("/luring/halaman.json").json()["pages"]
    assert not [p for p in pages if p.startswith("/kesiapan/")]


@pytest.mark.django_db
def test_a_desk_account_keeps_the_lists_and_no_entry_form(client_for, admin, operator):
    """The desk works online: 400 forms fetched at each sign-in kept every worker busy."""
    pages = client_for(admin).get("/luring/halaman.json").json()["pages"]
    assert "/hasil/" in pages
    assert not [p for p in pages if p.endswith("/isi/")]
    mine = client_for(operator).get("/luring/halaman.json").json()["pages"]
    assert [p for p in mine if p.endswith("/isi/")]


@pytest.mark.django_db
def test_the_checklist_carries_what_an_offline_save_needs(client_for, operator):
    pages = client_for(operator).get("/luring/halaman.json").json()["pages"]
    assert f"/kesiapan/tps/{AMPENAN_SELATAN}001/" in pages
    page = client_for(operator).get(f"/kesiapan/tps/{AMPENAN_SELATAN}001/").content.decode()
    assert f'data-api-url="/api/v1/readiness/{AMPENAN_SELATAN}001"' in page
    assert "readiness/tps.js" in page and "data-offline-saved" in page
    assert 'data-item="' in page


@pytest.mark.django_db
def test_the_pages_list_needs_a_session(client):
    response = client.get("/luring/halaman.json")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get("/luring/antrean/").status_code == 302


@pytest.mark.django_db
def test_it_shows_the_queue_page(client_for, operator):
    response = client_for(operator).get("/luring/antrean/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Antrean di perangkat ini" in text and "offline/queue.js" in text


@pytest.mark.django_db
def test_the_entry_form_carries_what_an_offline_save_needs(client_for, operator):
    page = client_for(operator).get(f"/hasil/ppwp/{AMPENAN_SELATAN}001/isi/").content.decode()
    assert f'data-api-url="/api/v1/results/ppwp/{AMPENAN_SELATAN}001"' in page
    assert 'data-choices="[&quot;1&quot;, &quot;2&quot;, &quot;3&quot;]"' in page
    assert 'data-rules-url="/luring/aturan.json"' in page
    assert "results/rules.js" in page and "data-offline-saved" in page


@pytest.mark.django_db
def test_a_page_kept_for_offline_leaves_the_message_to_the_page_shown(client_for, admin):
    """The worker fetches the account's pages right after sign-in, beside what the person does:
    a page fetched to be kept must not take (and keep) the "Tercatat" meant for the page shown
    (the incident browser test lost it that way on a loaded CI machine)."""
    admin.email = "desk@mataramkota.go.id"
    admin.save(update_fields=["email"])
    client = client_for(admin)
    client.post("/notifikasi/atur/uji-email/", {"akun": admin.username})
    kept = client.get("/hasil/", headers={"X-Offline-Keep": "1"})
    assert kept.status_code == 200
    assert "Pesan uji" not in kept.content.decode()
    shown = client.get("/notifikasi/atur/")
    assert "Pesan uji" in shown.content.decode()
