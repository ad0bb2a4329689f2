"""The admin's create and edit forms; the service's Indonesian messages appear beside fields."""

from __future__ import annotations

import re

import pytest

from deskpemilu.accounts.models import User
from deskpemilu.accounts.tests.helpers import actions, last_entry

NEW_PASSWORD = "Kenari-Posko-2024"


def new_account(**fields: str) -> dict[str, str]:
    data = {
        "username": "op_baru",
        "first_name": "Lalu Ahmad",
        "role": "operator",
        "scope": "5271011004",
        "agency": "diskominfo",
        "phone": "0812-3456-7890",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return {**data, **fields}


def edit_data(user: User, **fields: str) -> dict[str, str]:
    data = {
        "first_name": user.first_name,
        "role": user.role,
        "scope": user.scope,
        "agency": user.agency.slug if user.agency else "",
        "phone": user.phone,
    }
    return {**data, **fields}


def error_beside(html: str, field: str) -> str:
    """The error list rendered in the field group of `field`."""
    group = html.split(f'for="id_{field}"')[1].split('<div class="field">')[0]
    match = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', group, re.S)
    return match.group(1) if match else ""


@pytest.mark.django_db
def test_it_creates_an_account(client, client_for, admin) -> None:
    response = client_for(admin).post("/accounts/users/new/", new_account())
    user = User.objects.get(username="op_baru")
    assert response.status_code == 302
    assert response.url == f"/accounts/users/{user.pk}/"
    assert (user.role, user.scope, user.agency.slug) == ("operator", "5271011004", "diskominfo")
    assert (user.first_name, user.phone) == ("Lalu Ahmad", "0812-3456-7890")
    entry = last_entry("account.create")
    assert entry.actor == admin
    assert entry.payload["username"] == "op_baru"
    login = {"username": "op_baru", "password": NEW_PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 302


@pytest.mark.django_db
def test_it_shows_the_empty_form(client_for, admin) -> None:
    html = client_for(admin).get("/accounts/users/new/").content.decode()
    assert "Buat akun" in html
    assert "Polri (Polresta Mataram)" in html
    assert "Penghubung instansi" in html


@pytest.mark.django_db
def test_it_refuses_a_taken_username(client_for, admin, operator) -> None:
    data = new_account(username="OP_Ampenan_Selatan")
    html = client_for(admin).post("/accounts/users/new/", data).content.decode()
    assert "sudah dipakai" in error_beside(html, "username")
    assert User.objects.get(pk=operator.pk).first_name == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"role": "lurah", "scope": "527101"}, "scope", "Wilayah tugas Lurah harus berupa"),
        ({"role": "lurah", "scope": "5271011004001"}, "scope", "tidak dikenal"),
        ({"role": "camat", "scope": "5271011006"}, "scope", "harus berupa kecamatan"),
        ({"role": "operator", "scope": ""}, "scope", "wajib punya wilayah tugas"),
        ({"role": "operator", "scope": "12345"}, "scope", "Wilayah 12345 tidak dikenal"),
        ({"role": "liaison", "scope": "", "agency": ""}, "agency", "wajib punya instansi"),
        ({"password1": "pendek", "password2": "pendek"}, "password1", "terlalu pendek"),
        ({"password2": "lain-lain-lain"}, "password2", "tidak sama"),
        ({"password1": "", "password2": ""}, "password1", "tidak boleh kosong"),
    ],
)
def test_it_shows_errors_beside_the_fields(client_for, admin, fields, field, message) -> None:
    response = client_for(admin).post("/accounts/users/new/", new_account(**fields))
    assert response.status_code == 200
    assert message in error_beside(response.content.decode(), field)
    assert not User.objects.filter(username="op_baru").exists()
    assert actions(payload__username="op_baru") == []


@pytest.mark.django_db
def test_it_accepts_a_lurah_on_a_kelurahan(client_for, admin) -> None:
    data = new_account(username="lurah_baru", role="lurah", scope="52.71.01.1006", agency="")
    assert client_for(admin).post("/accounts/users/new/", data).status_code == 302
    assert User.objects.get(username="lurah_baru").scope == "5271011006"


@pytest.mark.django_db
def test_it_edits_an_account(client_for, admin, operator) -> None:
    data = edit_data(operator, role="camat", scope="527106", agency="", first_name="Hj. Aminah")
    response = client_for(admin).post(f"/accounts/users/{operator.pk}/", data)
    assert response.status_code == 302
    operator.refresh_from_db()
    assert (operator.role, operator.scope, operator.agency) == ("camat", "527106", None)
    assert operator.first_name == "Hj. Aminah"
    entry = last_entry("account.update")
    assert (entry.actor, entry.payload["role"], entry.payload["password_changed"]) == (
        admin,
        "camat",
        False,
    )


@pytest.mark.django_db
def test_it_keeps_the_username(client_for, admin, operator) -> None:
    data = edit_data(operator, username="nama_lain")
    client_for(admin).post(f"/accounts/users/{operator.pk}/", data)
    assert User.objects.filter(pk=operator.pk, username="op_ampenan_selatan").exists()
    assert not User.objects.filter(username="nama_lain").exists()


@pytest.mark.django_db
def test_it_clears_the_phone(client_for, admin, operator) -> None:
    User.objects.filter(pk=operator.pk).update(phone="0812")
    client_for(admin).post(f"/accounts/users/{operator.pk}/", edit_data(operator, phone=""))
    operator.refresh_from_db()
    assert operator.phone == ""


@pytest.mark.django_db
def test_it_sets_a_new_password(client, client_for, admin, operator) -> None:
    data = edit_data(operator, password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    client_for(admin).post(f"/accounts/users/{operator.pk}/", data)
    assert last_entry("account.update").payload["password_changed"] is True
    login = {"username": operator.username, "password": NEW_PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 302


@pytest.mark.django_db
def test_it_shows_scope_errors_when_editing(client_for, admin, lurah) -> None:
    data = edit_data(lurah, scope="527101")
    html = client_for(admin).post(f"/accounts/users/{lurah.pk}/", data).content.decode()
    assert "Wilayah tugas Lurah harus berupa desa/kelurahan." in error_beside(html, "scope")
    lurah.refresh_from_db()
    assert lurah.scope == "5271011006"


@pytest.mark.django_db
def test_it_keeps_an_admin_from_demoting_themself(client_for, admin) -> None:
    data = edit_data(admin, role="viewer")
    html = client_for(admin).post(f"/accounts/users/{admin.pk}/", data).content.decode()
    assert "Anda tidak dapat mencabut peran admin" in error_beside(html, "role")
    admin.refresh_from_db()
    assert admin.role == "admin"


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_account(client_for, admin) -> None:
    assert client_for(admin).get("/accounts/users/999999/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator", "verifier", "viewer", "polri"])
def test_it_refuses_non_admins(client_for, request, who, lurah) -> None:
    user = request.getfixturevalue(who)
    web = client_for(user)
    assert web.post("/accounts/users/new/", new_account()).status_code == 403
    data = edit_data(lurah, role="admin", scope="")
    assert web.post(f"/accounts/users/{lurah.pk}/", data).status_code == 403
    assert web.post(f"/accounts/users/{user.pk}/", edit_data(user, role="admin")).status_code == 403
    assert not User.objects.filter(username="op_baru").exists()
    assert User.objects.get(pk=lurah.pk).role == "lurah"
    assert User.objects.get(pk=user.pk).role == user.role
