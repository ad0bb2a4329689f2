"""Another election's regions and TPS, read-only (issue 17): `?pemilihan=CODE` on the region
and TPS pages shows that election's counts, DPT and TPS, says it is read-only and offers no
action; an unknown code is a 404 that names it; without the parameter, the active election."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from .test_browse import main, stats

KOTA = "5271"
AMPENAN = "527101"
KELURAHAN = "5271011004"  # Ampenan Selatan: Pemilu 2024 26 TPS, Pilkada 2024 (demo) 12
SHARED = "5271011004003"  # in both: DPT 245 (Pemilu), 542 (Pilkada)
PEMILU_ONLY = "5271011004020"
PILKADA = "?pemilihan=pilkada2024"
NOTICE = "Pilkada 2024 tidak aktif: datanya hanya dapat dibaca."


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.content.decode()


def test_the_city_page_counts_the_other_elections_tps(client_for, viewer):
    web = client_for(viewer)
    pemilu = stats(get(web, f"/wilayah/{KOTA}/"))
    pilkada = stats(get(web, f"/wilayah/{KOTA}/{PILKADA}"))
    assert (pemilu["TPS"], pemilu["DPT"]) == ("1.248", "315.549")
    assert (pilkada["TPS"], pilkada["DPT"]) == ("581", "320.604")
    assert pilkada["Kecamatan"] == "6" and pilkada["Kelurahan"] == "50"


def test_the_children_rows_and_links_stay_in_the_election(client_for, viewer):
    response = client_for(viewer).get(f"/wilayah/{KOTA}/{PILKADA}")
    rows = {c.code: c for c, _ in response.context["child_rows"]}
    assert rows[AMPENAN].dpt == 64_404
    assert sum(c.tps_count for c in rows.values()) == 581
    html = main(response.content.decode())
    assert f'href="/wilayah/{AMPENAN}/{PILKADA}"' in html
    # The map's kelurahan links too.
    assert f'href="/wilayah/{KELURAHAN}/{PILKADA}"' in html


def test_the_kelurahan_page_lists_the_other_elections_tps(client_for, viewer):
    web = client_for(viewer)
    response = web.get(f"/wilayah/{KELURAHAN}/{PILKADA}")
    assert len(response.context["page"].tps) == 12
    assert stats(response.content.decode())["TPS"] == "12"
    html = main(response.content.decode())
    assert f'href="/wilayah/tps/{SHARED}/{PILKADA}"' in html
    assert "@" not in html.split('<nav class="ballots"')[0]  # no storage key in a link
    assert len(web.get(f"/wilayah/{KELURAHAN}/").context["page"].tps) == 26


def test_the_tps_page_shows_the_other_elections_tps(client_for, viewer):
    web = client_for(viewer)
    pilkada = web.get(f"/wilayah/tps/{SHARED}/{PILKADA}")
    assert pilkada.status_code == 200
    assert pilkada.context["tps"].dpt == 542
    html = main(pilkada.content.decode())
    assert f'<dd class="code">{SHARED}</dd>' in html
    assert NOTICE in html
    assert f'href="/wilayah/{KELURAHAN}/{PILKADA}"' in html
    assert web.get(f"/wilayah/tps/{SHARED}/").context["tps"].dpt == 245
    assert web.get(f"/wilayah/tps/{PEMILU_ONLY}/{PILKADA}").status_code == 404


def test_a_read_only_notice_and_no_action_for_another_election(client_for, admin):
    web = client_for(admin)
    active = main(get(web, f"/wilayah/{KOTA}/"))
    assert NOTICE not in active
    other = main(get(web, f"/wilayah/{KOTA}/{PILKADA}"))
    assert NOTICE in other
    assert 'role="status"' in other
    # The only action of the page is reading: the export of the election shown.
    assert "&amp;pemilihan=pilkada2024" in other
    assert "<form" not in other and "/wilayah/impor/" not in other


def test_the_switcher_links_each_election(client_for, viewer):
    html = main(get(client_for(viewer), f"/wilayah/{AMPENAN}/{PILKADA}"))
    switcher = html.split('<nav class="ballots"')[1].split("</nav>")[0]
    assert f'href="/wilayah/{AMPENAN}/"' in switcher  # the active one, without a parameter
    assert f'href="/wilayah/{AMPENAN}/{PILKADA}" aria-current="page"' in switcher
    assert "Pemilu 2024 (aktif)" in switcher


@pytest.mark.parametrize("url", [f"/wilayah/{KOTA}/", f"/wilayah/tps/{SHARED}/"])
@pytest.mark.parametrize("code", ["pilkada2029", "x" * 30, "pilkada\x002024"])
def test_an_unknown_election_is_a_404_that_names_it(client_for, viewer, url, code):
    response = client_for(viewer).get(url, {"pemilihan": code})
    assert response.status_code == 404
    assert "tidak dikenal" in response.content.decode()


def test_the_active_election_is_the_default_and_needs_no_parameter(client_for, viewer):
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())
    web = client_for(viewer)
    html = get(web, f"/wilayah/{KOTA}/")
    assert stats(html)["TPS"] == "581"
    assert "tidak aktif" not in main(html)
    pemilu = get(web, f"/wilayah/{KOTA}/?pemilihan=pemilu2024")
    assert stats(pemilu)["TPS"] == "1.248"
    assert "Pemilu 2024 tidak aktif: datanya hanya dapat dibaca." in pemilu
