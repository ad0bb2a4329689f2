"""Verification in the browser: the second person checks against the photo (or types the form
again, blind), never the version's author; the queue lists what waits for them."""

import pytest

from deskpemilu.results.contests import clear_cache
from deskpemilu.results.models import Contest, Sheet, Verification
from deskpemilu.results.tests.pages import form_data, photo, text
from deskpemilu.results.tests.sheets import sheet_for_tps, with_votes

TPS = "5271011004004"
URL = f"/hasil/ppwp/{TPS}/verifikasi/"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def entered(client_for, operator):
    body = sheet_for_tps(TPS)
    response = client_for(operator).post(f"/hasil/ppwp/{TPS}/isi/", form_data(body, foto=photo()))
    assert response.status_code == 302
    return body


@pytest.fixture
def blind():
    Contest.objects.filter(code="ppwp").update(verification_mode="blind")
    clear_cache()
    yield
    Contest.objects.filter(code="ppwp").update(verification_mode="photo")
    clear_cache()


def status():
    return Sheet.objects.get(tps_id=TPS, contest_id="ppwp").status


@pytest.mark.django_db
def test_it_shows_the_photo_beside_the_numbers(client_for, verifier, entered):
    html = text(client_for(verifier).get(URL))
    assert "/hasil/foto/" in html
    assert f'data-box="suara.2">{entered["suara"]["2"]}</b>' in html
    assert "Sesuai dengan foto" in html
    assert 'name="versi" value="1"' in html


@pytest.mark.django_db
def test_it_verifies_against_the_photo(client_for, verifier, entered):
    response = client_for(verifier).post(URL, {"versi": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/hasil/verifikasi/"
    assert "Terverifikasi: PPWP TPS 004 Ampenan Selatan, versi 1." in text(response)
    assert status() == "terverifikasi"
    assert Verification.objects.get().verifier == verifier


@pytest.mark.django_db
def test_it_refuses_the_author(client_for, make_user):
    admin = make_user("admin_dua", "admin")
    client = client_for(admin)
    client.post(f"/hasil/ppwp/{TPS}/isi/", form_data(sheet_for_tps(TPS)))
    page = text(client.get(URL))
    assert "Verifikasi harus oleh orang lain, bukan pengentri versi ini." in page
    assert "Sesuai dengan foto" not in page
    response = client.post(URL, {"versi": "1"})
    assert response.status_code == 409
    assert "bukan pengentri versi ini" in text(response)
    assert status() == "dientri"


@pytest.mark.django_db
def test_it_refuses_a_stale_version_and_shows_the_current_one(
    client_for, operator, verifier, entered
):
    client_for(operator).post(
        f"/hasil/ppwp/{TPS}/isi/",
        form_data(with_votes(entered, {"1": 0}), version=1, alasan_koreksi="salah kolom"),
    )
    response = client_for(verifier).post(URL, {"versi": "1"})
    assert response.status_code == 409
    html = text(response)
    assert "bukan versi terkini" in html
    assert 'name="versi" value="2"' in html
    assert status() == "dientri"


@pytest.mark.django_db
def test_it_refuses_roles_that_do_not_verify(client_for, operator, viewer, outsider, entered):
    for user in (operator, viewer, outsider):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).post(URL, {"versi": "1"}).status_code == 403


@pytest.mark.django_db
def test_it_shows_an_empty_form_for_blind_entry(client_for, verifier, entered, blind):
    html = text(client_for(verifier).get(URL))
    assert 'data-mode="blind"' in html
    assert "data-box=" not in html  # not the first entry's numbers
    assert f'value="{entered["administrasi"]["suara_sah"]}"' not in html
    assert 'name="administrasi.suara_sah" id="f-administrasi-suara_sah" value=""' in html
    assert "/hasil/foto/" in html


@pytest.mark.django_db
def test_it_verifies_a_matching_blind_entry(client_for, verifier, entered, blind):
    response = client_for(verifier).post(URL, form_data(entered, version=1), follow=True)
    assert "Terverifikasi" in text(response)
    assert status() == "terverifikasi"
    assert Verification.objects.get().method == "blind"


@pytest.mark.django_db
def test_it_shows_structure_problems_of_a_blind_entry(client_for, verifier, entered, blind):
    data = form_data(entered, version=1)
    data["administrasi.suara_sah"] = ""
    response = client_for(verifier).post(URL, data)
    assert response.status_code == 422
    assert (
        "Kolom wajib belum diisi." in text(response).split('data-for="administrasi.suara_sah"')[1]
    )
    assert status() == "dientri"


@pytest.mark.django_db
def test_it_lists_what_waits_for_a_second_person(
    client_for, make_user, operator, verifier, entered, django_assert_max_num_queries
):
    client = client_for(verifier)
    client.get("/hasil/verifikasi/")
    with django_assert_max_num_queries(10) as one:
        html = text(client.get("/hasil/verifikasi/"))
    few = len(one)
    assert f'data-verify="ppwp/{TPS}"' in html
    for n in range(5, 12):
        tps = f"5271011004{n:03d}"
        client_for(operator).post(f"/hasil/dpr/{tps}/isi/", form_data(sheet_for_tps(tps, "dpr")))
    with django_assert_max_num_queries(few):
        html = text(client.get("/hasil/verifikasi/"))
    # The DPR sheets have no photo yet: listed, with the reason the check must wait instead of
    # a button the service would refuse.
    assert html.count("data-verify=") == 1
    assert html.count("data-refused=") == 7
    # Oldest first.
    assert html.index(f'data-verify="ppwp/{TPS}"') < html.index('data-refused="dpr/')
    only_dpr = text(client.get("/hasil/verifikasi/", {"kontes": "dpr"}))
    assert only_dpr.count("data-refused=") == 7
    assert "Verifikasi terhadap foto memerlukan foto formulir" in only_dpr
    elsewhere = text(client.get("/hasil/verifikasi/", {"kecamatan": "527103"}))
    assert "data-verify=" not in elsewhere
    # An admin who entered a sheet does not see it in their own queue.
    admin = make_user("admin_dua", "admin")
    assert f'data-verify="ppwp/{TPS}"' in text(client_for(admin).get("/hasil/verifikasi/"))
    client_for(admin).post(f"/hasil/ppwp/{TPS}/verifikasi/", {"versi": "1"})
    assert f'data-verify="ppwp/{TPS}"' not in text(client.get("/hasil/verifikasi/"))


def summary_of(html):
    return html.split('id="ringkasan-masalah"')[1].split("</div>")[0]


@pytest.mark.django_db
def test_a_refused_blind_entry_has_the_error_summary_focused_at_the_top(
    client_for, verifier, entered, blind
):
    data = form_data(entered, version=1)
    data["administrasi.suara_sah"] = ""
    data["suara.1"] = "sepuluh"
    response = client_for(verifier).post(URL, data)
    assert response.status_code == 422
    html = text(response)
    assert html.index('id="ringkasan-masalah"') < html.index('id="sheet-form"')
    summary = summary_of(html)
    assert 'tabindex="-1" autofocus' in summary and 'role="alert"' in summary
    assert "Verifikasi belum disimpan: 2 masalah" in summary
    links = [part.split('"')[0] for part in summary.split('href="')[1:]]
    assert "#f-administrasi-suara_sah" in links
    for link in links:
        assert f'id="{link[1:]}"' in html  # each link lands on a box of this page
    assert "deskpemilu/summary.js" in html
    assert status() == "dientri"


@pytest.mark.django_db
def test_a_refused_photo_check_says_why_in_the_summary(client_for, make_user):
    admin = make_user("admin_dua", "admin")
    client = client_for(admin)
    client.post(f"/hasil/ppwp/{TPS}/isi/", form_data(sheet_for_tps(TPS)))
    response = client.post(URL, {"versi": "1"})
    assert response.status_code == 409
    html = text(response)
    assert html.index('id="ringkasan-masalah"') < html.index('class="card refusal"')
    summary = summary_of(html)
    assert "Verifikasi belum disimpan: 1 masalah" in summary
    assert "bukan pengentri versi ini" in summary
    assert text(response).count("bukan pengentri versi ini") == 1  # said once, at the top


@pytest.mark.django_db
def test_a_stale_version_is_summarised_above_the_current_one(
    client_for, operator, verifier, entered
):
    client_for(operator).post(
        f"/hasil/ppwp/{TPS}/isi/",
        form_data(with_votes(entered, {"1": 0}), version=1, alasan_koreksi="salah kolom"),
    )
    response = client_for(verifier).post(URL, {"versi": "1"})
    assert response.status_code == 409
    assert "bukan versi terkini" in summary_of(text(response))


@pytest.mark.django_db
def test_a_fresh_verification_page_has_no_summary(client_for, verifier, entered):
    assert 'id="ringkasan-masalah"' not in text(client_for(verifier).get(URL))
