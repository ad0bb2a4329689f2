"""The entry page /hasil/<contest>/<tps>/isi/: the C.Hasil form, saved through the same service
as the API, every problem shown beside its box, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deskpemilu.results.models import Photo, Sheet, SheetVersion
from deskpemilu.results.tests.pages import form_data, photo, text
from deskpemilu.results.tests.sheets import sheet_for_tps, with_votes

TPS = "5271011004001"
URL = f"/hasil/ppwp/{TPS}/isi/"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def versions():
    return list(SheetVersion.objects.filter(sheet__tps_id=TPS).order_by("number"))


@pytest.mark.django_db
def test_it_shows_the_form_in_paper_order_with_the_master_dpt(client_for, operator):
    html = text(client_for(operator).get(URL))
    assert 'name="administrasi.pemilih_dpt_l" id="f-administrasi-pemilih_dpt_l" value="118"' in html
    assert 'value="121"' in html  # DPT P of Ampenan Selatan TPS 001
    order = [html.index(f'<h2 id="sec-{n}">') for n in ("I", "II", "III", "IV", "V")]
    assert order == sorted(order)
    assert 'inputmode="numeric" pattern="[0-9]*"' in html
    assert "Prabowo Subianto" in html
    assert 'capture="environment"' in html
    assert "results/entry.js" in html


@pytest.mark.django_db
def test_it_groups_each_party_with_its_candidates(client_for, operator):
    html = text(client_for(operator).get(f"/hasil/dpr/{TPS}/isi/"))
    assert 'name="suara.1"' in html and 'name="suara.1.1"' in html
    party_block = html.split("1. Partai Kebangkitan Bangsa")[1].split("</div>\n  \n")[0]
    assert 'data-sums="iv party-1"' in party_block
    assert 'data-total="party-1"' in party_block
    assert "Jumlah suara partai dan calon" in party_block


@pytest.mark.django_db
def test_it_stores_a_version_with_its_photo(client_for, operator):
    body = sheet_for_tps(TPS)
    response = client_for(operator).post(URL, form_data(body, foto=photo()), follow=True)
    assert response.redirect_chain[-1][0] == f"/hasil/ppwp/{TPS}/"
    assert "Tersimpan: PPWP TPS 001, versi 1." in text(response)
    [version] = versions()
    assert version.suara == body["suara"]
    assert version.source == "web"
    assert version.author == operator
    assert version.photos.count() == 1
    assert f"/hasil/foto/{version.photos.get().sha256}.jpg" in text(response)


@pytest.mark.django_db
def test_it_counts_empty_vote_boxes_as_zero(client_for, operator):
    body = sheet_for_tps(TPS, "dpr")
    data = form_data(body)
    for key, votes in body["suara"].items():
        if votes == 0:
            data[f"suara.{key}"] = ""
    response = client_for(operator).post(f"/hasil/dpr/{TPS}/isi/", data)
    assert response.status_code == 302
    assert Sheet.objects.get(tps_id=TPS, contest_id="dpr").current.suara == body["suara"]


@pytest.mark.django_db
def test_it_names_broken_arithmetic_beside_its_box_and_stores_nothing(client_for, operator):
    body = sheet_for_tps(TPS)
    body["administrasi"]["suara_sah"] += 10
    response = client_for(operator).post(URL, form_data(body, foto=photo()))
    assert response.status_code == 422
    html = text(response)
    slot = html.split('data-for="administrasi.suara_sah"')[1].split("</span></span>")[0]
    assert "Suara sah tidak sama dengan jumlah perolehan suara (bagian IV)." in slot
    assert 'id="confirm-block" hidden' not in html  # the confirmation is offered
    assert f'value="{body["administrasi"]["suara_sah"]}"' in html  # what was typed stays
    assert "Foto belum tersimpan: pilih lagi fotonya" in html
    assert versions() == []
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_it_names_missing_and_non_numeric_boxes(client_for, operator):
    data = form_data(sheet_for_tps(TPS))
    data["administrasi.suara_tidak_sah"] = ""
    data["suara.2"] = "12a"
    response = client_for(operator).post(URL, data)
    assert response.status_code == 422
    html = text(response)
    assert "Kolom wajib belum diisi." in html.split('data-for="administrasi.suara_tidak_sah"')[1]
    assert "Harus bilangan bulat." in html.split('data-for="suara.2"')[1]
    assert versions() == []


@pytest.mark.django_db
def test_it_sums_up_a_refused_save_at_the_top_with_links_to_each_box(client_for, operator):
    data = form_data(sheet_for_tps(TPS))
    data["administrasi.suara_tidak_sah"] = ""
    data["suara.2"] = "12a"
    response = client_for(operator).post(URL, data)
    assert response.status_code == 422
    html = text(response)
    summary = html.split('id="ringkasan-masalah"')[1].split("</div>")[0]
    # Before the form, focusable and focused on load, counted, in the order of the paper.
    assert html.index('id="ringkasan-masalah"') < html.index('id="sheet-form"')
    assert 'tabindex="-1" autofocus' in summary
    assert "Lembar belum disimpan: 2 masalah" in summary
    links = [part.split('"')[0] for part in summary.split('href="')[1:]]
    assert links == ["#f-suara-2", "#f-administrasi-suara_tidak_sah"]
    assert 'id="f-suara-2"' in html and 'id="f-administrasi-suara_tidak_sah"' in html
    assert "Harus bilangan bulat." in summary


@pytest.mark.django_db
def test_it_shows_no_summary_on_a_fresh_form(client_for, operator):
    assert 'id="ringkasan-masalah"' not in text(client_for(operator).get(URL))


@pytest.mark.django_db
def test_it_stores_a_confirmed_inconsistent_form_flagged(client_for, operator):
    body = sheet_for_tps(TPS)
    body["administrasi"]["surat_suara_rusak"] += 1
    body["konfirmasi_tidak_konsisten"] = True
    client = client_for(operator)
    without_note = client.post(URL, form_data(body))
    assert without_note.status_code == 422
    assert "wajib disertai catatan" in text(without_note)
    body["catatan"] = "Di formulir memang tertulis 1 surat suara rusak lebih."
    response = client.post(URL, form_data(body), follow=True)
    assert response.status_code == 200
    [version] = versions()
    assert version.confirmed_inconsistent
    assert {f["code"] for f in version.flags} == {
        "surat_suara_tidak_seimbang",
        "dikonfirmasi_tidak_konsisten",
    }
    assert "Operator menyatakan formulir memang tidak konsisten" in text(response)


@pytest.mark.django_db
def test_it_requires_a_reason_to_correct(client_for, operator):
    client = client_for(operator)
    body = sheet_for_tps(TPS)
    client.post(URL, form_data(body))
    html = text(client.get(URL))
    assert 'name="versi" value="1"' in html
    assert 'name="alasan_koreksi"' in html
    changed = with_votes(body, {"1": body["suara"]["1"] + 2})
    refused = client.post(URL, form_data(changed, version=1))
    assert refused.status_code == 422
    assert "Alasan wajib diisi." in text(refused).split('data-for="alasan_koreksi"')[1]
    response = client.post(URL, form_data(changed, version=1, alasan_koreksi="salah ketik"))
    assert response.status_code == 302
    assert [v.reason for v in versions()] == ["", "salah ketik"]


@pytest.mark.django_db
def test_it_refuses_a_stale_version_with_a_clear_conflict(client_for, make_user, operator):
    colleague = make_user("op_kedua", "operator", "5271011004", "diskominfo")
    body = sheet_for_tps(TPS)
    client_for(operator).post(URL, form_data(body))
    mine = client_for(operator)
    theirs = client_for(colleague)
    # Both open version 1; the colleague saves first.
    first = with_votes(body, {"1": body["suara"]["1"] + 1})
    theirs.post(URL, form_data(first, version=1, alasan_koreksi="cek ulang"))
    second = with_votes(body, {"1": body["suara"]["1"] + 3})
    response = mine.post(URL, form_data(second, version=1, alasan_koreksi="salah ketik"))
    assert response.status_code == 409
    html = text(response)
    assert "Lembar ini diubah orang lain saat Anda mengetik" in html
    assert "Versi 2 disimpan oleh op_kedua" in html
    assert 'name="versi" value="2"' in html  # sending again is a deliberate correction
    assert [v.author for v in versions()] == [operator, colleague]


@pytest.mark.django_db
def test_it_replays_a_double_submission(client_for, operator):
    client = client_for(operator)
    data = form_data(sheet_for_tps(TPS), kunci="0123456789abcdef0123456789abcdef")
    assert client.post(URL, data).status_code == 302
    again = client.post(URL, data, follow=True)
    assert "sudah terkirim sebelumnya" in text(again)
    assert len(versions()) == 1


@pytest.mark.django_db
def test_it_shows_a_bad_photo_beside_the_photo_input(client_for, operator):
    not_a_photo = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 not a photo", "application/pdf")
    response = client_for(operator).post(URL, form_data(sheet_for_tps(TPS), foto=not_a_photo))
    assert response.status_code == 422
    assert "Berkas bukan foto yang dapat dibaca. (scan.pdf)" in text(response)
    assert versions() == []


@pytest.mark.django_db
def test_it_locks_a_verified_sheet_for_operators_and_lets_an_admin_correct(
    client_for, operator, verifier, admin
):
    body = sheet_for_tps(TPS)
    client_for(operator).post(URL, form_data(body, foto=photo()))
    client_for(verifier).post(f"/hasil/ppwp/{TPS}/verifikasi/", {"versi": "1"})
    locked = text(client_for(operator).get(URL))
    assert "terverifikasi dan terkunci" in locked
    assert 'name="administrasi.suara_sah"' not in locked
    refused = client_for(operator).post(URL, form_data(body, version=1, alasan_koreksi="x"))
    assert refused.status_code == 409
    changed = with_votes(body, {"1": 0})
    response = client_for(admin).post(
        URL, form_data(changed, version=1, alasan_koreksi="Putusan pleno PPK")
    )
    assert response.status_code == 302
    assert Sheet.objects.get(tps_id=TPS, contest_id="ppwp").status == "dientri"


@pytest.mark.django_db
def test_it_hides_other_areas_and_refuses_other_roles(
    client_for, outsider, viewer, lurah, verifier, camat
):
    data = form_data(sheet_for_tps(TPS))
    assert client_for(outsider).get(URL).status_code == 403
    assert client_for(outsider).post(URL, data).status_code == 403
    for user in (viewer, lurah, verifier, camat):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).post(URL, data).status_code == 403
    assert versions() == []


@pytest.mark.django_db
def test_it_answers_404_for_unknown_contests_and_tps(client_for, operator):
    client = client_for(operator)
    assert client.get(f"/hasil/pilkada/{TPS}/isi/").status_code == 404
    assert client.get("/hasil/ppwp/5271011004999/isi/").status_code == 404
    assert client.get("/hasil/ppwp/abc/isi/").status_code == 404


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
