"""Coordination meetings: date, place, attendees, points raised, decisions with an agency and a
due date."""

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.team.models import ActionItem, Meeting, TeamMember
from deskpemilu.team.tests.conftest import THREE_DECISIONS, meeting_body, post_json

URL = "/api/v1/meetings"


@pytest.mark.django_db
def test_it_records_a_meeting_with_three_decisions(meeting):
    assert meeting["title"] == "Rapat koordinasi Tim Desk Pemilu"
    assert meeting["place"] == "Ruang Kenari, Kantor Wali Kota Mataram"
    assert meeting["held_at"] == "2024-02-06T09:00:00+08:00"
    assert len(meeting["points"]) == 2
    assert meeting["other_attendees"] == ["KPU Kota Mataram", "Bawaslu Kota Mataram"]
    actions = meeting["actions"]
    assert [a["number"] for a in actions] == [1, 2, 3]
    assert [a["agency"]["slug"] for a in actions] == ["bagian-pemerintahan", "dinkes", "polri"]
    assert all(a["status"] == "terbuka" for a in actions)
    assert meeting["minutes_pdf"] == f"/tim/rapat/{meeting['id']}/notulen.pdf"
    entry = AuditEntry.objects.filter(action="meeting.create").latest("seq")
    assert entry.object_id == str(meeting["id"])
    assert len(entry.payload["actions"]) == 3


@pytest.mark.django_db
def test_it_takes_team_members_as_attendees_and_assignees(api_for, admin):
    members = list(TeamMember.objects.order_by("pk")[:3])
    decisions = [{**THREE_DECISIONS[0], "assignee_id": members[1].pk}]
    body = meeting_body(attendees=[m.pk for m in members], actions=decisions)
    response = post_json(api_for(admin), URL, body)
    assert response.status_code == 201
    detail = api_for(admin).get(f"{URL}/{response.json()['id']}").json()
    assert {a["id"] for a in detail["attendees"]} == {m.pk for m in members}
    assert detail["actions"][0]["assignee"] == {"id": members[1].pk, "name": members[1].name}


@pytest.mark.django_db
def test_it_reads_a_time_without_offset_as_wita(api_for, admin):
    response = post_json(api_for(admin), URL, meeting_body(held_at="2024-02-06T09:00"))
    detail = api_for(admin).get(f"{URL}/{response.json()['id']}").json()
    assert detail["held_at"] == "2024-02-06T09:00:00+08:00"


@pytest.mark.django_db
def test_it_adds_a_decision_later(api_for, admin, meeting):
    body = {"text": "Laporkan hasil ke Posko", "agency": "diskominfo", "due_on": "2024-02-14"}
    response = post_json(api_for(admin), f"{URL}/{meeting['id']}/actions", body)
    assert response.status_code == 201
    item = ActionItem.objects.get(pk=response.json()["id"])
    assert item.number == 4
    assert post_json(api_for(admin), f"{URL}/999999/actions", body).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"title": ""}, "wajib_diisi", "title"),
        ({"title": None}, "string_type", "title"),
        ({"held_at": "Selasa"}, "datetime_from_date_parsing", "held_at"),
        ({"points": ["x" * 501]}, "terlalu_panjang", "points.0"),
        ({"points": "satu"}, "list_type", "points"),
        ({"attendees": [999999]}, "anggota_tidak_dikenal", "attendees"),
        ({"actions": [{**THREE_DECISIONS[0], "agency": "nope"}]}, "instansi_tidak_dikenal", ""),
        ({"actions": [{**THREE_DECISIONS[0], "due_on": "13/02/2024"}]}, "date_from", ""),
        ({"actions": [{**THREE_DECISIONS[0], "text": " "}]}, "wajib_diisi", "actions.0.text"),
        ({"actions": [{**THREE_DECISIONS[0], "assignee_id": 999999}]}, "anggota_tidak_dikenal", ""),
        ({"actions": [THREE_DECISIONS[0]] * 51}, "too_long", "actions"),
    ],
)
def test_it_refuses_bad_meetings_with_codes(api_for, admin, change, code, field):
    before = Meeting.objects.count()
    response = post_json(api_for(admin), URL, meeting_body(**change))
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["code"].startswith(code)
    if field:
        assert error["field"] == field
    assert Meeting.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["", "[]", "null", "{", '"teks"', "\xff"])
def test_it_never_fails_on_a_strange_body(api_for, admin, raw):
    response = api_for(admin).post(URL, data=raw, content_type="application/json")
    assert response.status_code == 422


@pytest.mark.django_db
def test_it_lets_only_the_desk_record_meetings(api_for, viewer, verifier, polri, camat):
    for user in (viewer, verifier, polri, camat):
        assert post_json(api_for(user), URL, meeting_body()).status_code == 403
        # Even a bad body: who may write is settled before what is written.
        assert post_json(api_for(user), URL, {"title": 1}).status_code == 403


@pytest.mark.django_db
def test_it_shows_meetings_to_the_desk_and_leaders_only(api_for, viewer, verifier, polri, meeting):
    for user in (viewer, verifier):
        assert api_for(user).get(URL).status_code == 200
        assert api_for(user).get(f"{URL}/{meeting['id']}").status_code == 200
    assert api_for(polri).get(URL).status_code == 403
    # The route's rule refuses the role before any meeting is read: the same 403 for every id.
    assert api_for(polri).get(f"{URL}/{meeting['id']}").status_code == 403
    assert api_for(polri).get(f"{URL}/999999").status_code == 403
    assert api_for(viewer).get(f"{URL}/999999").status_code == 404


@pytest.mark.django_db
def test_it_lists_meetings_with_their_open_items(api_for, viewer, meeting):
    listed = api_for(viewer).get(URL).json()
    assert listed[0]["id"] == meeting["id"]
    assert (listed[0]["actions"], listed[0]["open_actions"]) == (3, 3)


@pytest.mark.django_db
def test_it_lists_meetings_in_few_queries(
    api_for, client_for, admin, django_assert_max_num_queries
):
    client = api_for(admin)
    for _ in range(5):
        post_json(client, URL, meeting_body())
    with django_assert_max_num_queries(5):
        assert len(client.get(URL).json()) == 5
    web = client_for(admin)
    with django_assert_max_num_queries(8):
        assert web.get("/tim/rapat/").status_code == 200
    meeting_id = Meeting.objects.first().pk
    with django_assert_max_num_queries(8):
        assert client.get(f"{URL}/{meeting_id}").status_code == 200
    with django_assert_max_num_queries(12):
        assert web.get(f"/tim/rapat/{meeting_id}/").status_code == 200


# --- The pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_enters_a_meeting_from_the_page(client_for, admin):
    client = client_for(admin)
    form = client.get("/tim/rapat/baru/")
    assert form.status_code == 200
    body = form.content.decode()
    assert "Ruang Kenari, Kantor Wali Kota Mataram" in body
    assert 'name="keputusan_teks"' in body
    member = TeamMember.objects.first()
    response = client.post(
        "/tim/rapat/baru/",
        {
            "title": "Rapat persiapan hari H",
            "date": "2024-02-12",
            "time": "14:00",
            "place": "Ruang Kenari, Kantor Wali Kota Mataram",
            "chair": "H Lalu Martawang",
            "attendees": [member.pk],
            "other_attendees": "KPU Kota Mataram\nBawaslu Kota Mataram\n",
            "poin": ["Logistik TPS", "", "Posko kesehatan"],
            "keputusan_teks": ["Cek logistik", "Siagakan puskesmas", "", "Patroli"],
            "keputusan_instansi": ["kpu", "dinkes", "", "polri"],
            "keputusan_petugas": ["", str(member.pk), "", ""],
            "keputusan_tenggat": ["2024-02-13", "2024-02-13", "", "2024-02-14"],
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Rapat persiapan hari H")
    assert response["Location"] == f"/tim/rapat/{meeting.pk}/"
    assert meeting.points == ["Logistik TPS", "Posko kesehatan"]
    assert meeting.other_attendees == ["KPU Kota Mataram", "Bawaslu Kota Mataram"]
    items = list(meeting.actions.order_by("number"))
    assert [(i.text, i.agency.slug) for i in items] == [
        ("Cek logistik", "kpu"),
        ("Siagakan puskesmas", "dinkes"),
        ("Patroli", "polri"),
    ]
    assert items[1].assignee == member
    detail = client.get(response["Location"]).content.decode()
    assert "Siagakan puskesmas" in detail
    assert "Tandai selesai" in detail


@pytest.mark.django_db
def test_it_keeps_what_was_typed_when_a_decision_is_incomplete(client_for, admin):
    response = client_for(admin).post(
        "/tim/rapat/baru/",
        {
            "title": "Rapat",
            "date": "2024-02-12",
            "time": "14:00",
            "place": "Ruang Kenari",
            "poin": ["Logistik TPS"],
            "keputusan_teks": ["Cek logistik"],
            "keputusan_instansi": ["kpu"],
            "keputusan_petugas": [""],
            "keputusan_tenggat": [""],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Keputusan 1: isi tenggat" in body
    assert "Cek logistik" in body
    assert 'value="Logistik TPS"' in body
    assert not Meeting.objects.filter(title="Rapat").exists()


@pytest.mark.django_db
def test_it_adds_a_decision_from_the_meeting_page(client_for, admin, meeting):
    response = client_for(admin).post(
        f"/tim/rapat/{meeting['id']}/keputusan/",
        {"text": "Siapkan genset", "agency": "bpbd", "due_on": "2024-02-13"},
    )
    assert response.status_code == 302
    assert ActionItem.objects.filter(meeting_id=meeting["id"], text="Siapkan genset").exists()


@pytest.mark.django_db
def test_it_keeps_the_meeting_pages_from_others(client_for, polri, viewer, meeting):
    assert client_for(polri).get("/tim/rapat/").status_code == 403
    assert client_for(polri).get(f"/tim/rapat/{meeting['id']}/").status_code == 403
    assert client_for(viewer).get(f"/tim/rapat/{meeting['id']}/").status_code == 200
    assert client_for(viewer).get("/tim/rapat/baru/").status_code == 403
    assert client_for(viewer).get("/tim/rapat/999999/").status_code == 404
