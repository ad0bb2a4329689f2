"""Photo serving /hasil/foto/<sha256>.jpg: only to accounts that can see a sheet showing it."""

import pytest

from deskpemilu.results.models import Photo
from deskpemilu.results.tests.pages import form_data, photo
from deskpemilu.results.tests.sheets import sheet_for_tps

TPS = "5271011004003"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def url(client_for, operator):
    client_for(operator).post(
        f"/hasil/ppwp/{TPS}/isi/", form_data(sheet_for_tps(TPS), foto=photo())
    )
    return f"/hasil/foto/{Photo.objects.get().sha256}.jpg"


@pytest.mark.django_db
def test_it_serves_the_photo_to_accounts_that_see_the_sheet(client_for, operator, verifier, url):
    for user in (operator, verifier):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"].startswith("private")
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


@pytest.mark.django_db
def test_it_hides_the_photo_from_other_areas(client_for, client, outsider, lurah, url):
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(lurah).get(url).status_code == 404
    assert client.get(url).status_code == 302  # to the login


@pytest.mark.django_db
def test_it_answers_404_for_unknown_and_unattached_photos(client_for, admin, operator, url):
    assert client_for(admin).get(f"/hasil/foto/{'0' * 64}.jpg").status_code == 404
    assert client_for(admin).get("/hasil/foto/../../etc/passwd").status_code == 404
    Photo.objects.create(
        sha256="f" * 64, file="photos/ff/x.jpg", width=1, height=1, size=1, uploaded_by=operator
    )
    assert client_for(admin).get(f"/hasil/foto/{'f' * 64}.jpg").status_code == 404
