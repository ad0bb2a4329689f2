"""/api/v1/requests: KPU/Bawaslu facilitation requests, their statuses and who sees them."""

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.incidents.models import FacilitationRequest
from deskpemilu.incidents.tests.helpers import post

URL = "/api/v1/requests"


@pytest.fixture
def kpu(make_user):
    return make_user("kpu_liaison", "liaison", "", "kpu")


@pytest.fixture
def bawaslu(make_user):
    return make_user("bawaslu_liaison", "liaison", "", "bawaslu")


@pytest.fixture
def dishub(make_user):
    return make_user("dishub_liaison", "liaison", "", "dishub")


def body(**overrides):
    data = {
        "kind": "kendaraan",
        "description": "Dua mobil untuk distribusi kotak suara ke PPS Pejeruk",
        "region_code": "527101",
        "needed_by": "2024-02-13T07:00:00+08:00",
        "requested_by_agency": "kpu",
        "requested_by_unit": "PPK Ampenan",
    }
    data.update(overrides)
    return data


def submit(client, **overrides):
    response = post(client, URL, body(**overrides))
    assert response.status_code == 201, response.content
    return response.json()


def event(client, request_id, **data):
    return post(client, f"{URL}/{request_id}/events", data)


@pytest.mark.django_db
def test_the_request_flow(api_for, kpu, admin, dishub):
    made = submit(api_for(kpu))
    assert made["status"] == "diajukan" and made["number"].startswith("PMF-")
    desk = api_for(admin)
    response = event(desk, made["id"], assign_to="dishub", note="Dishub siapkan 2 mobil")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "diproses"  # assigning takes it up
    assert event(api_for(dishub), made["id"], status="dipenuhi", note="Sudah").status_code == 201
    detail = api_for(kpu).get(f"{URL}/{made['id']}").json()
    assert detail["status"] == "dipenuhi"
    assert detail["assigned_agency"] == "dishub"
    assert [e["status"] for e in detail["timeline"]] == ["diajukan", "diproses", "dipenuhi"]
    assert AuditEntry.objects.filter(object_type="request").count() == 3


@pytest.mark.django_db
def test_who_sees_a_request(api_for, kpu, bawaslu, dishub, admin, lurah, camat):
    made = submit(api_for(kpu))
    assert api_for(bawaslu).get(f"{URL}/{made['id']}").status_code == 404
    assert api_for(dishub).get(f"{URL}/{made['id']}").status_code == 404
    event(api_for(admin), made["id"], assign_to="dishub")
    assert api_for(dishub).get(f"{URL}/{made['id']}").status_code == 200
    # 527101 is Ampenan: the lurah of Pejeruk (inside it) does not see a kecamatan-wide one,
    # the camat of Sandubaya neither.
    assert api_for(lurah).get(URL).json()["items"] == []
    assert api_for(camat).get(f"{URL}/{made['id']}").status_code == 404


@pytest.mark.django_db
def test_a_liaison_asks_only_for_their_own_agency(api_for, kpu, dishub):
    response = post(api_for(kpu), URL, body(requested_by_agency="bawaslu"))
    assert response.status_code == 403
    response = post(api_for(dishub), URL, body(requested_by_agency="dishub"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "instansi_bukan_penyelenggara"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"kind": "helikopter"}, "jenis_tidak_dikenal"),
        ({"description": ""}, "wajib_diisi"),
        ({"requested_by_agency": "nasa"}, "instansi_tidak_dikenal"),
        ({"needed_by": "besok"}, "datetime_from_date_parsing"),
    ],
)
def test_it_refuses_bad_input(api_for, admin, overrides, code):
    response = post(api_for(admin), URL, body(**overrides))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"].startswith(code.split("_from")[0])
    assert not FacilitationRequest.objects.exists()


@pytest.mark.django_db
def test_the_requesting_agency_cannot_close_its_own_request(api_for, kpu, admin):
    made = submit(api_for(kpu))
    assert event(api_for(kpu), made["id"], note="Mohon dipercepat").status_code == 201
    assert event(api_for(kpu), made["id"], status="dipenuhi").status_code == 403
    assert event(api_for(kpu), made["id"], assign_to="dishub").status_code == 403


@pytest.mark.django_db
def test_a_stale_request_step_answers_409(api_for, kpu, admin, make_user):
    made = submit(api_for(kpu))
    other = make_user("admin_desk_2", "admin")
    assert (
        event(api_for(admin), made["id"], status="ditolak", expected_status="diajukan").status_code
        == 201
    )
    late = event(api_for(other), made["id"], status="diproses", expected_status="diajukan")
    assert late.status_code == 409


@pytest.mark.django_db
def test_due_dates_are_flagged(api_for, admin):
    client = api_for(admin)
    submit(client, needed_by="2020-01-01T00:00:00+08:00")
    submit(client, needed_by="2099-01-01T00:00:00+08:00")
    items = client.get(URL).json()["items"]
    assert [i["due"] for i in items] == ["lewat", ""]


@pytest.mark.django_db
def test_the_page_answers_a_refused_step_with_the_one_refusal_page(api_for, client_for, kpu):
    made = submit(api_for(kpu))
    page = f"/kejadian/permintaan/{made['id']}/langkah/"
    response = client_for(kpu).post(page, {"action": "dipenuhi", "note": "selesai"})
    assert response.status_code == 403
    assert "Anda tidak berhak melakukan ini" in response.content.decode()
    assert FacilitationRequest.objects.get().status == "diajukan"
