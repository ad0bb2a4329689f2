"""Action items followed to done: overdue ones highlighted; an agency's liaison sees the items
assigned to it until they are done."""

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.team.models import ActionItem, ActionUpdate
from deskpemilu.team.tests.conftest import meeting_body, post_json, wita

URL = "/api/v1/actions"


def item_of(meeting, agency):
    return next(a for a in meeting["actions"] if a["agency"]["slug"] == agency)


def event(client, action_id, **body):
    return post_json(client, f"{URL}/{action_id}/events", body)


@pytest.mark.django_db
def test_it_shows_a_liaison_only_their_agencys_open_items(api_for, polri, dinkes, meeting):
    mine = api_for(polri).get(URL).json()
    assert [a["agency"]["slug"] for a in mine] == ["polri"]
    assert [a["agency"]["slug"] for a in api_for(dinkes).get(URL).json()] == ["dinkes"]
    # Asking for another agency gives nothing, not its items.
    assert api_for(polri).get(URL, {"agency": "dinkes"}).json() == []
    other = item_of(meeting, "dinkes")
    assert api_for(polri).get(f"{URL}/{other['id']}").status_code == 404
    assert event(api_for(polri), other["id"], note="bukan urusan kami").status_code == 404


@pytest.mark.django_db
def test_it_keeps_the_item_in_the_liaison_view_until_done(api_for, client_for, polri, meeting):
    item = item_of(meeting, "polri")
    client = api_for(polri)
    response = event(client, item["id"], note="Patroli gabungan dijadwalkan")
    assert response.status_code == 201
    assert response.json()["status"] == "terbuka"
    assert [a["id"] for a in client.get(URL).json()] == [item["id"]]
    page = client_for(polri).get("/tim/tindak-lanjut/").content.decode()
    assert "Patroli kamtibmas bersama TNI" in page
    assert "Siagakan petugas" not in page

    done = event(client, item["id"], note="Patroli di 6 kecamatan selesai", status="selesai")
    assert done.status_code == 201
    assert done.json()["status"] == "selesai"
    assert done.json()["done_by"] == polri.username
    assert client.get(URL).json() == []
    assert client.get(f"{URL}/{item['id']}").status_code == 404
    assert "Patroli kamtibmas" not in client_for(polri).get("/tim/tindak-lanjut/").content.decode()
    entry = AuditEntry.objects.filter(action="action.event").latest("seq")
    assert entry.payload == {
        "note": "Patroli di 6 kecamatan selesai",
        "from": "terbuka",
        "status": "selesai",
    }


@pytest.mark.django_db
def test_it_needs_a_note_from_the_liaison(api_for, polri, meeting):
    item = item_of(meeting, "polri")
    response = event(api_for(polri), item["id"], status="selesai")
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "code": "wajib_diisi",
        "field": "note",
        "message": "Tulis catatan tindak lanjut.",
    }


@pytest.mark.django_db
def test_it_lets_a_liaison_neither_cancel_nor_reopen(api_for, admin, polri, meeting):
    item = item_of(meeting, "polri")
    response = event(api_for(polri), item["id"], note="batal saja", status="batal")
    assert response.status_code == 403
    assert ActionItem.objects.get(pk=item["id"]).status == "terbuka"


@pytest.mark.django_db
def test_it_lets_the_desk_close_cancel_and_reopen(api_for, admin, polri, meeting):
    desk = api_for(admin)
    item = item_of(meeting, "polri")
    assert event(desk, item["id"], status="selesai").status_code == 201  # the desk: no note needed
    reopened = event(desk, item["id"], note="Belum semua kecamatan", status="terbuka")
    assert reopened.json()["status"] == "terbuka"
    assert reopened.json()["done_at"] is None
    assert [a["id"] for a in api_for(polri).get(URL).json()] == [item["id"]]  # back in their view
    cancelled = event(desk, item["id"], note="Digabung ke butir lain", status="batal")
    assert cancelled.json()["status"] == "batal"
    timeline = cancelled.json()["timeline"]
    assert [e["status"] for e in timeline] == ["terbuka", "selesai", "terbuka", "batal"]
    assert timeline[0]["note"].startswith("Diputuskan dalam rapat")
    assert ActionUpdate.objects.filter(action_id=item["id"]).count() == 3


@pytest.mark.django_db
def test_it_refuses_bad_events(api_for, admin, meeting):
    item = item_of(meeting, "polri")
    desk = api_for(admin)
    assert event(desk, item["id"], note="x", status="beres").status_code == 422
    assert event(desk, item["id"], note="x" * 2001).status_code == 422
    assert event(desk, item["id"]).status_code == 422  # nothing to record
    assert event(desk, 999999, note="x").status_code == 404


@pytest.mark.django_db
def test_it_lets_readers_read_but_not_answer(api_for, viewer, verifier, meeting):
    item = item_of(meeting, "polri")
    for user in (viewer, verifier):
        assert len(api_for(user).get(URL).json()) == 3
        assert event(api_for(user), item["id"], note="x", status="selesai").status_code == 403
    assert ActionItem.objects.get(pk=item["id"]).status == "terbuka"


@pytest.mark.django_db
def test_it_shows_nothing_to_an_account_without_agency(api_for, lurah, meeting):
    assert api_for(lurah).get(URL).json() == []
    assert api_for(lurah).get(f"{URL}/{meeting['actions'][0]['id']}").status_code == 404


@pytest.mark.django_db
def test_it_marks_overdue_items(api_for, viewer, admin, meeting, freeze):
    freeze(wita(2024, 2, 13, 10, 0))  # after the first decision's due date (12 Feb)
    items = api_for(viewer).get(URL).json()
    assert [a["overdue"] for a in items] == [True, False, False]
    overdue = api_for(viewer).get(URL, {"overdue": "true"}).json()
    assert [a["number"] for a in overdue] == [1]
    # Done is never overdue.
    event(api_for(admin), overdue[0]["id"], status="selesai")
    assert api_for(viewer).get(URL, {"overdue": "true"}).json() == []


@pytest.mark.django_db
def test_it_filters_by_agency_and_status(api_for, viewer, admin, meeting):
    event(api_for(admin), item_of(meeting, "dinkes")["id"], status="selesai")
    client = api_for(viewer)
    assert [a["agency"]["slug"] for a in client.get(URL, {"agency": "dinkes"}).json()] == ["dinkes"]
    assert [a["agency"]["slug"] for a in client.get(URL, {"status": "selesai"}).json()] == [
        "dinkes"
    ]
    assert len(client.get(URL, {"status": "terbuka"}).json()) == 2
    assert client.get(URL, {"status": "beres"}).status_code == 422


@pytest.mark.django_db
def test_it_highlights_overdue_items_on_the_page(client_for, viewer, meeting, freeze):
    freeze(wita(2024, 2, 13, 10, 0))
    body = client_for(viewer).get("/tim/tindak-lanjut/").content.decode()
    assert body.count("terlambat</span>") == 1
    assert 'class="card decision-item status-terbuka overdue"' in body


@pytest.mark.django_db
def test_it_closes_an_item_from_the_meeting_page(client_for, admin, meeting):
    item = item_of(meeting, "dinkes")
    response = client_for(admin).post(
        f"/tim/tindak-lanjut/{item['id']}/",
        {"note": "Posko kesehatan siaga", "status": "selesai", "kembali": "/tim/rapat/1/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/tim/rapat/1/"
    assert ActionItem.objects.get(pk=item["id"]).status == "selesai"


@pytest.mark.django_db
def test_it_lets_a_liaison_answer_from_their_list(client_for, dinkes, meeting):
    item = item_of(meeting, "dinkes")
    client = client_for(dinkes)
    page = client.get(f"/tim/tindak-lanjut/{item['id']}/")
    assert page.status_code == 200
    assert "Tandai selesai" in page.content.decode()
    response = client.post(
        f"/tim/tindak-lanjut/{item['id']}/", {"note": "Semua puskesmas siaga", "status": "selesai"}
    )
    # Done: it leaves their list, so they go back to the list, not to a page they cannot see.
    assert response.status_code == 302
    assert response["Location"] == "/tim/tindak-lanjut/"
    assert client.get(f"/tim/tindak-lanjut/{item['id']}/").status_code == 404


@pytest.mark.django_db
def test_it_shows_a_form_error_instead_of_failing(client_for, dinkes, meeting):
    item = item_of(meeting, "dinkes")
    response = client_for(dinkes).post(f"/tim/tindak-lanjut/{item['id']}/", {"status": "batal"})
    assert response.status_code == 200
    assert "hanya dapat diubah oleh desk" in response.content.decode()


@pytest.mark.django_db
def test_it_hides_other_agencies_items_from_the_page(client_for, polri, meeting):
    item = item_of(meeting, "dinkes")
    assert client_for(polri).get(f"/tim/tindak-lanjut/{item['id']}/").status_code == 404
    post = client_for(polri).post(f"/tim/tindak-lanjut/{item['id']}/", {"note": "x"})
    assert post.status_code == 404


@pytest.mark.django_db
def test_it_lists_items_in_few_queries(
    api_for, client_for, admin, meeting, django_assert_max_num_queries
):
    desk = api_for(admin)
    for _ in range(4):
        post_json(desk, "/api/v1/meetings", meeting_body())
    with django_assert_max_num_queries(5):
        assert len(desk.get(URL).json()) == 3 + 4 * 3
    web = client_for(admin)
    with django_assert_max_num_queries(10):
        assert web.get("/tim/tindak-lanjut/").status_code == 200
