"""GET /api/v1/results/{contest}/{tps} in a contest verified by blind re-entry: whoever may type
the re-entry does not get the first entry's numbers before typing their own (the sheet page
hides them too); everyone else, and everyone once the sheet is verified or awaits the
supervisor, does. The shape of the answer is the same for all."""

import json

import pytest

from deskpemilu.conftest import AMPENAN_SELATAN
from deskpemilu.results.contests import clear_cache
from deskpemilu.results.tests.pages import photo
from deskpemilu.results.tests.sheets import sheet_for_tps, with_votes

TPS = "5271011004005"
URL = f"/api/v1/results/ppwp/{TPS}"
NOTE = "DPT L dihitung ulang: 134 orang"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_cache():
    # The database rolls back after each test; the process's contest cache must follow it.
    clear_cache()
    yield
    clear_cache()


def set_mode(client, mode):
    data = {"kontes": "ppwp", "mode": mode, "alasan": "uji entri ganda"}
    assert client.post("/hasil/kontes/", data).status_code == 302


@pytest.fixture
def blind(client_for, admin):
    set_mode(client_for(admin), "blind")


def put(client, body):
    return client.put(URL, json.dumps(body), content_type="application/json")


def verify(client, body):
    return client.post(URL + "/verify", json.dumps(body), content_type="application/json")


@pytest.fixture
def entered(api_for, operator):
    """A sheet with a note, a flag (its DPT differs from the master data) and a photo."""
    body = sheet_for_tps(TPS)
    body["administrasi"]["pemilih_dpt_l"] += 10
    body["catatan"] = NOTE
    client = api_for(operator)
    assert put(client, body).status_code == 201
    assert client.post(URL + "/photos", {"foto": [photo()]}).status_code == 201
    return body


def assert_hidden(answer):
    assert answer["numbers_hidden"] is True
    assert answer["administrasi"] == {}
    assert answer["suara"] == {}
    assert answer["catatan"] == ""
    assert answer["flags"] == []


def assert_shown(answer, body):
    assert answer["numbers_hidden"] is False
    assert answer["administrasi"] == body["administrasi"]
    assert answer["suara"] == body["suara"]
    assert answer["catatan"] == NOTE
    assert [f["code"] for f in answer["flags"]] == ["dpt_beda_data_induk"]


@pytest.mark.django_db
def test_it_hides_the_first_entry_from_a_verifier(api_for, verifier, blind, entered):
    response = api_for(verifier).get(URL)
    assert response.status_code == 200
    answer = response.json()
    assert_hidden(answer)
    assert NOTE not in response.content.decode()
    # What the re-entry needs is there: the version to verify, the photos to type from.
    assert answer["version"] == 1
    assert answer["status"] == "dientri"
    assert answer["verification_mode"] == "blind"
    assert len(answer["photos"]) == 1
    assert [h["version"] for h in answer["history"]] == [1]


@pytest.mark.django_db
def test_it_answers_the_same_shape_to_everyone(api_for, operator, verifier, blind, entered):
    hidden = api_for(verifier).get(URL).json()
    shown = api_for(operator).get(URL).json()
    assert hidden.keys() == shown.keys()
    assert {k: type(v) for k, v in hidden.items()} == {k: type(v) for k, v in shown.items()}


@pytest.mark.django_db
def test_it_hides_them_from_an_admin_who_may_verify(api_for, admin, blind, entered):
    # An admin may be the second person too, so is treated like a verifier (as on the page).
    assert_hidden(api_for(admin).get(URL).json())


@pytest.mark.django_db
def test_it_shows_them_to_the_author_and_to_those_who_do_not_verify(
    api_for, make_user, operator, viewer, blind, entered
):
    other_operator = make_user("op_dua", "operator", AMPENAN_SELATAN, "dishub")
    for user in (operator, other_operator, viewer):
        assert_shown(api_for(user).get(URL).json(), entered)


@pytest.mark.django_db
def test_it_shows_them_to_an_admin_who_entered_the_sheet(api_for, admin, blind):
    body = sheet_for_tps(TPS)
    put(api_for(admin), body)
    answer = api_for(admin).get(URL).json()
    assert answer["numbers_hidden"] is False
    assert answer["suara"] == body["suara"]


@pytest.mark.django_db
def test_it_shows_them_once_verified(api_for, verifier, blind, entered):
    client = api_for(verifier)
    assert verify(client, {"version": 1, "sheet": entered}).status_code == 200
    answer = client.get(URL).json()
    assert answer["status"] == "terverifikasi"
    assert_shown(answer, entered)


@pytest.mark.django_db
def test_it_shows_them_while_the_supervisor_decides(api_for, verifier, blind, entered):
    client = api_for(verifier)
    wrong = with_votes(entered, {"1": entered["suara"]["1"] + 1})
    assert verify(client, {"version": 1, "sheet": wrong}).status_code == 409
    answer = client.get(URL).json()
    assert answer["status"] == "selisih"
    assert_shown(answer, entered)


@pytest.mark.django_db
def test_it_hides_a_correction_again(api_for, operator, verifier, blind, entered):
    corrected = with_votes(entered, {"1": entered["suara"]["1"] + 1})
    corrected["alasan_koreksi"] = "salah baca kolom 1"
    assert put(api_for(operator), corrected).status_code == 200
    answer = api_for(verifier).get(URL).json()
    assert answer["version"] == 2
    assert_hidden(answer)


@pytest.mark.django_db
def test_it_shows_them_to_a_verifier_in_photo_mode(api_for, verifier, entered):
    answer = api_for(verifier).get(URL).json()
    assert answer["verification_mode"] == "photo"
    assert_shown(answer, entered)


@pytest.mark.django_db
def test_it_documents_the_rule_in_the_openapi_document(api_for, viewer):
    doc = api_for(viewer).get("/api/v1/openapi.json").json()
    get = doc["paths"]["/api/v1/results/{contest}/{tps_code}"]["get"]
    assert "numbers_hidden" in get["description"]
    properties = doc["components"]["schemas"]["SheetOut"]["properties"]
    assert "empty objects" in properties["numbers_hidden"]["description"]
    assert properties["verification_mode"]["type"] == "string"
