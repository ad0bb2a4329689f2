"""Another election's regions and TPS in the web pages, read-only (issue 17: "the others stay
browsable"): `?pemilihan=CODE` on /wilayah/ pages gives that election's TPS, counts and DPT,
says it is not active, and keeps the choice in every link; the active election stays the
default; a code no election has is a 404."""

import io

import pytest
from django.core.management import call_command

KOTA = "5271"
KECAMATAN = "527101"
KELURAHAN = "5271011004"  # Pemilu 2024: 26 TPS; Pilkada 2024 (demo): 12
SHARED = "5271011004003"  # in both: DPT 245 (Pemilu), 542 (Pilkada)
PEMILU_ONLY = "5271011004020"
PILKADA = "?pemilihan=pilkada2024"
READ_ONLY = "tidak aktif: datanya hanya dapat dibaca"

pytestmark = pytest.mark.django_db


def test_the_kota_page_counts_the_tps_and_dpt_of_the_election_asked(client_for, viewer):
    web = client_for(viewer)
    pemilu = web.get(f"/wilayah/{KOTA}/")
    assert pemilu.context["region"].tps_count == 1248
    assert READ_ONLY not in pemilu.content.decode()
    page = web.get(f"/wilayah/{KOTA}/{PILKADA}")
    assert page.status_code == 200
    assert (page.context["region"].tps_count, page.context["region"].dpt) == (581, 320_604)
    children = {c.code: c for c in page.context["page"].children}
    assert sum(c.tps_count for c in children.values()) == 581
    assert children[KECAMATAN].dpt == 64_404
    html = page.content.decode()
    assert READ_ONLY in html
    # The election stays chosen down the tree: the table's and the map's links carry it.
    assert f'href="/wilayah/{KECAMATAN}/{PILKADA}"' in html
    assert f"/wilayah/{KELURAHAN}/{PILKADA}" in html.replace("&amp;", "&")
    # The picker offers both elections, the active one marked.
    assert 'value="pilkada2024" selected' in html
    assert "(aktif)" in html


def test_the_kelurahan_page_lists_that_elections_tps(client_for, viewer):
    web = client_for(viewer)
    assert len(web.get(f"/wilayah/{KELURAHAN}/").context["page"].tps) == 26
    page = web.get(f"/wilayah/{KELURAHAN}/{PILKADA}")
    assert len(page.context["page"].tps) == 12
    assert page.context["region"].tps_count == 12
    html = page.content.decode()
    assert f'href="/wilayah/tps/{SHARED}/{PILKADA}"' in html
    assert f'href="/wilayah/{KECAMATAN}/{PILKADA}"' in html  # the breadcrumbs keep it too


def test_the_tps_page_shows_the_tps_of_the_election_asked(client_for, viewer):
    web = client_for(viewer)
    pemilu = web.get(f"/wilayah/tps/{SHARED}/")
    assert pemilu.context["tps"].dpt == 245
    assert READ_ONLY not in pemilu.content.decode()
    page = web.get(f"/wilayah/tps/{SHARED}/{PILKADA}")
    assert page.status_code == 200
    assert page.context["tps"].dpt == 542
    html = page.content.decode()
    assert READ_ONLY in html
    assert f'href="/wilayah/{KELURAHAN}/{PILKADA}"' in html
    assert web.get(f"/wilayah/tps/{PEMILU_ONLY}/{PILKADA}").status_code == 404
    # The storage key of another election's TPS (the recap pages' links) opens the same TPS.
    assert web.get(f"/wilayah/tps/{SHARED}@pilkada2024/").context["tps"].dpt == 542


@pytest.mark.parametrize("code", ["pilkada2029", "x" * 21, "pilkada\x002024"])
def test_an_election_no_one_has_is_a_404(client_for, viewer, code):
    web = client_for(viewer)
    assert web.get(f"/wilayah/{KOTA}/", {"pemilihan": code}).status_code == 404
    assert web.get(f"/wilayah/tps/{SHARED}/", {"pemilihan": code}).status_code == 404


def test_the_active_election_is_browsed_without_notice_after_a_switch(client_for, viewer, admin):
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())
    web = client_for(viewer)
    assert web.get(f"/wilayah/{KOTA}/").context["region"].tps_count == 581
    pemilu = web.get(f"/wilayah/{KOTA}/?pemilihan=pemilu2024")
    assert pemilu.context["region"].tps_count == 1248
    assert READ_ONLY in pemilu.content.decode()
    # The desk's TPS export offers the active election's list only: not on a browsed one.
    assert (
        "/wilayah/ekspor/"
        not in client_for(admin).get(f"/wilayah/{KOTA}/?pemilihan=pemilu2024").content.decode()
    )
    assert "/wilayah/ekspor/" in client_for(admin).get(f"/wilayah/{KOTA}/").content.decode()
