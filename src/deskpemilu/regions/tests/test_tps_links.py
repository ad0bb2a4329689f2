"""TPS in links (issue 17): the 13-digit KPU code plus `?pemilihan=`, never the storage key
`<code>@<election>`; an old link with the storage key still opens its TPS, redirected to the
new form."""

from __future__ import annotations

import io
import re

from django.core.management import call_command
from django.template import Context, Template

from deskpemilu.regions.models import Tps

SHARED = "5271011004003"  # in both elections: DPT 245 (Pemilu), 542 (Pilkada)
KELURAHAN = "5271011004"


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_an_old_storage_key_link_redirects_to_the_kpu_code_and_the_election(client_for, viewer):
    web = client_for(viewer)
    response = web.get(f"/wilayah/tps/{SHARED}@pilkada2024/")
    assert response.status_code == 301
    assert response["Location"] == f"/wilayah/tps/{SHARED}/?pemilihan=pilkada2024"
    assert web.get(response["Location"]).context["tps"].dpt == 542


def test_a_storage_key_contradicting_the_election_asked_is_a_404(client_for, viewer):
    url = f"/wilayah/tps/{SHARED}@pilkada2024/?pemilihan=pemilu2024"
    assert client_for(viewer).get(url).status_code == 404


def test_a_tps_code_on_the_region_page_keeps_the_election(client_for, viewer):
    response = client_for(viewer).get(f"/wilayah/{SHARED}/?pemilihan=pilkada2024")
    assert response.status_code == 302
    assert response["Location"] == f"/wilayah/tps/{SHARED}/?pemilihan=pilkada2024"


def test_the_kelurahan_pages_tps_links_use_kpu_codes(client_for, viewer):
    web = client_for(viewer)
    for query in ("", "?pemilihan=pilkada2024"):
        links = [h for h in hrefs(web.get(f"/wilayah/{KELURAHAN}/{query}").content.decode())]
        tps_links = [h for h in links if h.startswith("/wilayah/tps/")]
        assert tps_links, query
        assert all("@" not in h and h.endswith(f"/{query}") for h in tps_links), tps_links


def test_the_filters_name_a_tps_by_its_kpu_code_and_election():
    template = Template("{% load tps_codes %}{{ key|kpu_code }} {{ key|tps_url }}")
    pilkada = template.render(Context({"key": f"{SHARED}@pilkada2024"}))
    assert pilkada == f"{SHARED} /wilayah/tps/{SHARED}/?pemilihan=pilkada2024"
    pemilu = template.render(Context({"key": SHARED}))
    assert pemilu == f"{SHARED} /wilayah/tps/{SHARED}/?pemilihan=pemilu2024"


def test_a_pilkada_sheet_page_links_its_tps_by_kpu_code(client_for, admin):
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())
    html = client_for(admin).get(f"/hasil/pkwkk/{SHARED}/").content.decode()
    sheet_links = [h for h in hrefs(html) if h.startswith("/hasil/")]
    assert any(h.startswith(f"/hasil/pkwkk/{SHARED}/") for h in sheet_links), sheet_links
    assert not [h for h in sheet_links if "@" in h], sheet_links
    assert Tps.every.filter(code=f"{SHARED}@pilkada2024").exists()
