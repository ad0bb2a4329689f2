"""A blind re-entry that differs lands in the supervisor's queue; the admin sees both entries
side by side with the photo and accepts one, with a note."""

import pytest

from deskpemilu.results.contests import clear_cache
from deskpemilu.results.models import Contest, Sheet
from deskpemilu.results.tests.pages import form_data, photo, text
from deskpemilu.results.tests.sheets import sheet_for_tps, with_votes

TPS = "5271011004005"
PAGE = f"/hasil/selisih/ppwp/{TPS}/"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mismatch(client_for, operator, verifier):
    Contest.objects.filter(code="ppwp").update(verification_mode="blind")
    clear_cache()
    body = sheet_for_tps(TPS)
    client_for(operator).post(f"/hasil/ppwp/{TPS}/isi/", form_data(body, foto=photo()))
    typed = with_votes(body, {"2": body["suara"]["2"] + 3})
    response = client_for(verifier).post(
        f"/hasil/ppwp/{TPS}/verifikasi/", form_data(typed, version=1), follow=True
    )
    assert "diteruskan ke supervisor" in text(response)
    yield body, typed
    Contest.objects.filter(code="ppwp").update(verification_mode="photo")
    clear_cache()


def sheet():
    return Sheet.objects.get(tps_id=TPS, contest_id="ppwp")


@pytest.mark.django_db
def test_it_lands_in_the_supervisor_queue(client_for, admin, verifier, mismatch):
    assert sheet().status == "selisih"
    html = text(client_for(admin).get("/hasil/selisih/"))
    assert f'href="{PAGE}"' in html
    assert client_for(verifier).get("/hasil/selisih/").status_code == 403
    refused = text(client_for(verifier).get(f"/hasil/ppwp/{TPS}/verifikasi/"))
    assert "menunggu keputusan supervisor" in refused


@pytest.mark.django_db
def test_it_shows_both_entries_with_the_differences_marked(client_for, admin, mismatch):
    body, typed = mismatch
    html = text(client_for(admin).get(PAGE))
    assert "3 kolom berbeda" in html
    differing = html.split("kolom berbeda")[1].split("</table>")[0]
    assert differing.count('class="diff"') == 3
    before, after = body["suara"]["2"], typed["suara"]["2"]
    assert f'<td class="num">{before}</td><td class="num">{after}</td>' in differing
    assert "op_ampenan_selatan" in html and "verifikator" in html
    assert "/hasil/foto/" in html


@pytest.mark.django_db
@pytest.mark.parametrize("accept, votes_of", [("pertama", 0), ("kedua", 1)])
def test_the_admin_resolves_it_with_a_note(client_for, admin, mismatch, accept, votes_of):
    client = client_for(admin)
    without_note = client.post(PAGE, {"accept": accept, "note": ""})
    assert without_note.status_code == 422
    assert "Catatan keputusan wajib diisi." in text(without_note)
    response = client.post(PAGE, {"accept": accept, "note": "Dicek dengan foto plano"}, follow=True)
    assert response.redirect_chain[-1][0] == "/hasil/selisih/"
    assert "Selisih diputus" in text(response)
    assert sheet().status == "terverifikasi"
    assert sheet().current.suara == mismatch[votes_of]["suara"]
    history = text(client.get(f"/hasil/ppwp/{TPS}/"))
    assert "Diputus supervisor" in history and "Dicek dengan foto plano" in history


@pytest.mark.django_db
def test_it_sends_settled_sheets_back_to_their_page(client_for, admin, operator, verifier):
    client_for(operator).post(f"/hasil/ppwp/{TPS}/isi/", form_data(sheet_for_tps(TPS)))
    response = client_for(admin).get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"/hasil/ppwp/{TPS}/"
    assert client_for(verifier).get(PAGE).status_code == 403
