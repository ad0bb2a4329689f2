"""The Tim Desk: its members, their agency, role in the team and contact."""

import json

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.team.models import TeamMember
from deskpemilu.team.tests.conftest import post_json

NEW = {
    "name": "Dewi Anggraini",
    "agency": "kesbangpol",
    "team_role": "anggota",
    "bidang": "Kewaspadaan dini",
    "phone": "0812-3456-7890",
    "email": "dewi@example.go.id",
}


@pytest.mark.django_db
def test_it_lists_the_demo_team_with_the_person_in_charge_first(api_for, viewer):
    response = api_for(viewer).get("/api/v1/team/members")
    assert response.status_code == 200
    members = response.json()
    assert members[0]["name"] == "H Lalu Martawang"
    assert members[0]["team_role"] == "penanggung_jawab"
    assert all(m["is_demo"] for m in members)
    agencies = {m["agency"]["slug"] for m in members}
    assert {"bagian-pemerintahan", "kesbangpol", "diskominfo", "satpol-pp", "dinkes", "bpbd"} <= (
        agencies
    )


@pytest.mark.django_db
def test_it_adds_a_member_with_an_audit_entry(api_for, admin):
    response = post_json(api_for(admin), "/api/v1/team/members", NEW)
    assert response.status_code == 201
    member = TeamMember.objects.get(pk=response.json()["id"])
    assert member.agency.slug == "kesbangpol"
    assert not member.is_demo
    entry = AuditEntry.objects.filter(action="team.member.create").latest("seq")
    assert entry.object_id == str(member.pk)
    assert entry.actor_name == admin.username


@pytest.mark.django_db
def test_it_links_a_member_to_an_account_once(api_for, admin, polri):
    body = {**NEW, "agency": "polri", "username": polri.username}
    assert post_json(api_for(admin), "/api/v1/team/members", body).status_code == 201
    again = post_json(api_for(admin), "/api/v1/team/members", body)
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "akun_sudah_terhubung"


@pytest.mark.django_db
def test_it_updates_a_member(api_for, admin):
    member_id = post_json(api_for(admin), "/api/v1/team/members", NEW).json()["id"]
    body = {**NEW, "team_role": "koordinator_bidang", "active": False}
    response = api_for(admin).put(
        f"/api/v1/team/members/{member_id}", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["team_role"] == "koordinator_bidang"
    assert response.json()["active"] is False
    listed = api_for(admin).get("/api/v1/team/members").json()
    assert member_id not in [m["id"] for m in listed]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"agency": "tidak-ada"}, "instansi_tidak_dikenal", "agency"),
        ({"team_role": "ketua"}, "literal_error", "team_role"),
        ({"name": "   "}, "wajib_diisi", "name"),
        ({"email": "bukan-surel"}, "surel_tidak_valid", "email"),
        ({"phone": "=1+1"}, "telepon_tidak_valid", "phone"),
        ({"name": "x" * 151}, "string_too_long", "name"),
        ({"name": 12}, "string_type", "name"),
        ({"username": "nobody"}, "akun_tidak_dikenal", "username"),
    ],
)
def test_it_refuses_bad_input_with_a_code(api_for, admin, change, code, field):
    response = post_json(api_for(admin), "/api/v1/team/members", {**NEW, **change})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["code"], error["field"]) == (code, field)


@pytest.mark.django_db
def test_it_refuses_a_body_that_is_not_json(api_for, admin):
    response = api_for(admin).post(
        "/api/v1/team/members", data="{nope", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert "errors" in response.json()


@pytest.mark.django_db
def test_it_lets_only_the_desk_add_members(api_for, viewer, polri, camat):
    for user in (viewer, polri, camat):
        assert post_json(api_for(user), "/api/v1/team/members", NEW).status_code == 403
    assert not TeamMember.objects.filter(name=NEW["name"]).exists()


@pytest.mark.django_db
def test_it_shows_the_team_page(client_for, viewer):
    response = client_for(viewer).get("/tim/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "H Lalu Martawang" in body
    assert "Penanggung jawab" in body
    assert "Tambah anggota" not in body


@pytest.mark.django_db
def test_it_adds_a_member_from_the_page(client_for, admin):
    client = client_for(admin)
    assert client.get("/tim/anggota/baru/").status_code == 200
    response = client.post(
        "/tim/anggota/baru/",
        {**NEW, "active": "on"},
    )
    assert response.status_code == 302
    member = TeamMember.objects.get(name=NEW["name"])
    edit = client.get(f"/tim/anggota/{member.pk}/")
    assert edit.status_code == 200
    assert NEW["phone"] in edit.content.decode()


@pytest.mark.django_db
def test_it_keeps_member_pages_for_the_desk(client_for, viewer):
    assert client_for(viewer).get("/tim/anggota/baru/").status_code == 403


@pytest.mark.django_db
def test_it_lists_members_in_few_queries(api_for, client_for, admin, django_assert_max_num_queries):
    client = api_for(admin)
    for i in range(15):
        post_json(client, "/api/v1/team/members", {**NEW, "name": f"Anggota {i}"})
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/team/members").status_code == 200
    web = client_for(admin)
    with django_assert_max_num_queries(14):
        assert web.get("/tim/").status_code == 200
