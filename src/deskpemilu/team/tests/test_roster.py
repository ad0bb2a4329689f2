"""The Posko's duty roster (jadwal piket) by day and shift, and its gaps."""

import json

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.team.models import DutyAssignment, TeamMember
from deskpemilu.team.tests.conftest import post_json, wita

URL = "/api/v1/team/roster"


def a_member(name="Rahmat Hidayat", agency="diskominfo"):
    return TeamMember.objects.create(name=name, agency_id=_agency(agency), team_role="operator")


def _agency(slug):
    from deskpemilu.accounts.models import Agency

    return Agency.objects.get(slug=slug).pk


@pytest.mark.django_db
def test_it_shows_the_demo_election_week_with_its_one_gap(api_for, viewer):
    response = api_for(viewer).get(URL, {"from": "2024-02-10", "to": "2024-02-16"})
    assert response.status_code == 200
    data = response.json()
    assert (data["from"], data["to"]) == ("2024-02-10", "2024-02-16")
    assert len(data["days"]) == 7
    assert [s["shift"] for s in data["days"][0]["shifts"]] == ["pagi", "siang", "malam"]
    assert all(len(s["members"]) == 2 for s in data["days"][0]["shifts"])
    assert [(g["date"], g["shift"]) for g in data["gaps"]] == [("2024-02-16", "malam")]
    # The night shift ends the next morning, WITA.
    malam = data["days"][0]["shifts"][2]
    assert malam["starts"] == "2024-02-10T23:00:00+08:00"
    assert malam["ends"] == "2024-02-11T07:00:00+08:00"


@pytest.mark.django_db
def test_it_counts_every_empty_shift_as_a_gap(api_for, viewer):
    data = api_for(viewer).get(URL, {"from": "2024-03-04", "to": "2024-03-05"}).json()
    assert len(data["gaps"]) == 6
    assert all(s["gap"] for d in data["days"] for s in d["shifts"])


@pytest.mark.django_db
def test_it_fills_a_gap(api_for, admin, viewer):
    member = a_member()
    body = {"date": "2024-02-16", "shift": "malam", "member_id": member.pk}
    response = post_json(api_for(admin), URL, body)
    assert response.status_code == 201
    data = api_for(viewer).get(URL, {"from": "2024-02-16", "to": "2024-02-16"}).json()
    assert data["gaps"] == []
    assert data["days"][0]["shifts"][2]["members"][0]["name"] == "Rahmat Hidayat"
    entry = AuditEntry.objects.filter(action="team.duty.assign").latest("seq")
    assert entry.payload["shift"] == "malam"


@pytest.mark.django_db
def test_it_refuses_the_same_person_twice_on_a_shift(api_for, admin):
    member = a_member()
    body = {"date": "2024-03-01", "shift": "pagi", "member_id": member.pk}
    assert post_json(api_for(admin), URL, body).status_code == 201
    again = post_json(api_for(admin), URL, body)
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "sudah_terjadwal"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"shift": "subuh"}, "sif_tidak_dikenal"),
        ({"member_id": 999999}, "anggota_tidak_dikenal"),
        ({"date": "2024-02-30"}, "date_from_datetime_parsing"),
        ({"date": "besok"}, "date_from_datetime_parsing"),
        ({"member_id": "satu"}, "int_parsing"),
    ],
)
def test_it_refuses_a_bad_assignment(api_for, admin, change, code):
    member = a_member()
    body = {"date": "2024-03-01", "shift": "pagi", "member_id": member.pk, **change}
    response = post_json(api_for(admin), URL, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"].startswith(code.split("_from")[0])


@pytest.mark.django_db
def test_it_refuses_an_inactive_member(api_for, admin):
    member = a_member()
    member.active = False
    member.save()
    body = {"date": "2024-03-01", "shift": "pagi", "member_id": member.pk}
    response = post_json(api_for(admin), URL, body)
    assert response.json()["errors"][0]["code"] == "anggota_nonaktif"


@pytest.mark.django_db
def test_it_takes_a_member_off_a_shift(api_for, admin):
    member = a_member()
    body = {"date": "2024-03-01", "shift": "pagi", "member_id": member.pk}
    row_id = post_json(api_for(admin), URL, body).json()["id"]
    assert api_for(admin).delete(f"{URL}/{row_id}").status_code == 204
    assert not DutyAssignment.objects.filter(pk=row_id).exists()
    assert api_for(admin).delete(f"{URL}/{row_id}").status_code == 404
    assert AuditEntry.objects.filter(action="team.duty.remove").exists()


@pytest.mark.django_db
def test_it_lets_only_the_desk_edit_the_roster(api_for, viewer, operator, polri):
    member = a_member()
    body = {"date": "2024-03-01", "shift": "pagi", "member_id": member.pk}
    for user in (viewer, operator, polri):
        assert post_json(api_for(user), URL, body).status_code == 403
    row = DutyAssignment.objects.filter(is_demo=True).first()
    assert api_for(viewer).delete(f"{URL}/{row.pk}").status_code == 403


@pytest.mark.django_db
def test_it_limits_the_range(api_for, viewer):
    assert api_for(viewer).get(URL, {"from": "2024-01-01", "to": "2024-06-01"}).status_code == 422
    assert api_for(viewer).get(URL, {"from": "2024-02-10", "to": "2024-02-01"}).status_code == 422
    assert api_for(viewer).get(URL, {"from": "kemarin"}).status_code == 422


@pytest.mark.django_db
def test_it_defaults_to_the_current_week(api_for, viewer, freeze):
    freeze(wita(2024, 2, 14, 10, 0))  # a Wednesday
    data = api_for(viewer).get(URL).json()
    assert (data["from"], data["to"]) == ("2024-02-12", "2024-02-18")


@pytest.mark.django_db
def test_it_reads_a_month_of_roster_in_few_queries(api_for, viewer, django_assert_max_num_queries):
    client = api_for(viewer)
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"from": "2024-02-01", "to": "2024-03-02"})
    assert response.status_code == 200
    assert len(response.json()["days"]) == 31


@pytest.mark.django_db
def test_it_shows_the_roster_page_with_gaps_highlighted(client_for, viewer):
    response = client_for(viewer).get("/tim/piket/?dari=2024-02-10&sampai=2024-02-16")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="gap') >= 1
    assert "KOSONG" in body
    assert "1 sif tanpa petugas" in body
    assert "Jadwalkan" not in body  # the form is the desk's


@pytest.mark.django_db
def test_it_edits_the_roster_from_the_page(client_for, admin):
    member = a_member()
    client = client_for(admin)
    page = client.get("/tim/piket/?dari=2024-03-04")
    assert "Jadwalkan" in page.content.decode()
    response = client.post(
        "/tim/piket/tambah/",
        {"date": "2024-03-05", "shift": "siang", "member": member.pk, "note": ""},
    )
    assert response.status_code == 302
    row = DutyAssignment.objects.get(member=member)
    response = client.post(
        f"/tim/piket/{row.pk}/hapus/", {"kembali": "/tim/piket/?dari=2024-03-04"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/tim/piket/?dari=2024-03-04"
    assert not DutyAssignment.objects.filter(member=member).exists()


@pytest.mark.django_db
def test_it_never_redirects_off_the_site(client_for, admin):
    member = a_member()
    response = client_for(admin).post(
        "/tim/piket/tambah/",
        {"date": "2024-03-05", "shift": "siang", "member": member.pk, "kembali": "//evil.example"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/tim/piket/")


@pytest.mark.django_db
def test_it_refuses_roster_writes_from_the_page_to_others(client_for, viewer):
    row = DutyAssignment.objects.filter(is_demo=True).first()
    assert client_for(viewer).post(f"/tim/piket/{row.pk}/hapus/").status_code == 403
    assert client_for(viewer).post("/tim/piket/tambah/", {}).status_code == 403


@pytest.mark.django_db
def test_it_clears_the_demo(client_for, admin, api_for):
    response = client_for(admin).post("/tim/piket/hapus-contoh/")
    assert response.status_code == 302
    assert not DutyAssignment.objects.filter(is_demo=True).exists()
    assert not TeamMember.objects.filter(is_demo=True, active=True).exists()
    assert AuditEntry.objects.filter(action="team.demo.clear").exists()
    # The API delete route is also an admin write.
    assert json.loads(api_for(admin).get("/api/v1/team/members").content) == []
