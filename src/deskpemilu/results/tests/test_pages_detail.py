"""A sheet's page /hasil/<contest>/<tps>/: the numbers by section, flags, photos, status and
the history of who entered, changed and verified what, when."""

import json

import pytest

from deskpemilu.results.contests import clear_cache
from deskpemilu.results.models import Contest
from deskpemilu.results.tests.pages import form_data, photo, text
from deskpemilu.results.tests.sheets import sheet_for_tps, with_votes

TPS = "5271011004002"
URL = f"/hasil/ppwp/{TPS}/"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def entered(client_for, operator):
    body = sheet_for_tps(TPS)
    client_for(operator).post(f"{URL}isi/", form_data(body, foto=photo()))
    return body


@pytest.mark.django_db
def test_it_shows_the_numbers_status_and_photo(client_for, viewer, entered):
    html = text(client_for(viewer).get(URL))
    assert "dientri" in html
    assert "Versi 1 oleh <b>op_ampenan_selatan</b>" in html
    assert f'data-box="suara.2">{entered["suara"]["2"]}</b>' in html
    assert "/hasil/foto/" in html and 'loading="lazy"' in html
    assert "Koreksi" not in html  # a viewer reads only


@pytest.mark.django_db
def test_it_shows_the_history_of_versions_and_verifications(
    client_for, api_for, operator, verifier, entered
):
    changed = with_votes(entered, {"1": entered["suara"]["1"] + 1})
    client_for(operator).post(f"{URL}isi/", form_data(changed, version=1, alasan_koreksi="typo"))
    client_for(verifier).post(f"{URL}verifikasi/", {"versi": "2", "catatan_verifikasi": "ok"})
    html = text(client_for(operator).get(URL))
    history = html.split('id="riwayat"')[1]
    assert history.index("<td>2") < history.index("<td>1")  # newest first
    assert "typo" in history
    assert "verifikator · Periksa terhadap foto formulir · <b>Cocok</b>" in history
    assert "WITA" in html
    assert "terverifikasi" in html


@pytest.mark.django_db
def test_it_shows_flags_beside_their_boxes(client_for, operator):
    body = sheet_for_tps(TPS)
    body["administrasi"]["pemilih_dpt_l"] += 10
    client_for(operator).post(f"{URL}isi/", form_data(body))
    html = text(client_for(operator).get(URL))
    assert "DPT pada lembar berbeda dengan DPT TPS di data induk." in html
    assert '<div class="line gendered flagged">' in html


@pytest.mark.django_db
def test_it_offers_the_next_ballot_and_the_next_tps(client_for, operator, entered):
    html = text(client_for(operator).get(URL))
    assert f'href="/hasil/dpr/{TPS}/isi/" id="next-contest"' in html
    assert 'href="/hasil/ppwp/5271011004003/isi/" id="next-tps"' in html


@pytest.mark.django_db
def test_it_says_when_nothing_was_entered(client_for, operator, lurah):
    html = text(client_for(operator).get(URL))
    assert "Lembar ini belum dientri." in html
    assert f'href="{URL}isi/"' in html
    assert client_for(lurah).get("/hasil/ppwp/5271011006001/").status_code == 200


@pytest.mark.django_db
def test_it_hides_the_first_entry_from_a_blind_verifier(client_for, verifier, admin, entered):
    Contest.objects.filter(code="ppwp").update(verification_mode="blind")
    clear_cache()
    try:
        html = text(client_for(verifier).get(URL))
        assert "angka entri pertama disembunyikan" in html
        assert f'data-box="suara.2">{entered["suara"]["2"]}<' not in html
        assert "data-box=" not in html
    finally:
        Contest.objects.filter(code="ppwp").update(verification_mode="photo")
        clear_cache()


@pytest.mark.django_db
def test_it_hides_other_areas(client_for, outsider, entered):
    assert client_for(outsider).get(URL).status_code == 403


@pytest.mark.django_db
def test_it_adds_photos_to_the_current_version(client_for, api_for, operator, viewer, entered):
    client = client_for(operator)
    response = client.post(f"{URL}foto/", {"foto": [photo("p2.jpg", (10, 10, 10))]}, follow=True)
    assert "1 foto ditambahkan." in text(response)
    detail = json.loads(api_for(operator).get(f"/api/v1/results/ppwp/{TPS}").content)
    assert len(detail["photos"]) == 2
    assert client_for(viewer).post(f"{URL}foto/", {"foto": [photo()]}).status_code == 403
    assert client.get(f"{URL}foto/").status_code == 405
