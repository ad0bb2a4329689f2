"""Each account's own page: who it is, and changing its own password."""

from __future__ import annotations

import pytest

from deskpemilu.accounts.tests.helpers import actions, last_entry
from deskpemilu.conftest import PASSWORD

NEW = "Sandi-Baru-Kenari-24"


def change(web, old: str = PASSWORD, new: str = NEW, again: str = NEW):
    data = {"old_password": old, "new_password1": new, "new_password2": again}
    return web.post("/accounts/me/", data)


@pytest.mark.django_db
def test_it_shows_the_account(client_for, lurah) -> None:
    html = client_for(lurah).get("/accounts/me/").content.decode()
    assert "lurah_pejeruk" in html
    assert "Pejeruk" in html
    assert "Ganti kata sandi" in html


@pytest.mark.django_db
def test_it_changes_the_password(client, client_for, operator) -> None:
    web = client_for(operator)
    response = change(web)
    assert response.status_code == 302
    assert web.get("/").status_code == 200  # this session stays signed in
    entry = last_entry("account.password_change")
    assert (entry.actor, entry.payload) == (
        operator,
        {"username": operator.username, "tokens_revoked": 0},
    )
    assert NEW not in str(entry.payload)
    old = {"username": operator.username, "password": PASSWORD}
    assert client.post("/accounts/login/", old).status_code == 200
    new = {"username": operator.username, "password": NEW}
    assert client.post("/accounts/login/", new).status_code == 302


@pytest.mark.django_db
def test_it_ends_other_sessions(client_for, operator) -> None:
    other = client_for(operator)
    change(client_for(operator))
    assert other.get("/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "again"),
    [("salah-sandi-lama", NEW, NEW), (PASSWORD, "pendek", "pendek"), (PASSWORD, NEW, NEW + "x")],
)
def test_it_refuses_bad_input(client_for, operator, old, new, again) -> None:
    response = change(client_for(operator), old, new, again)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert "account.password_change" not in actions()


@pytest.mark.django_db
def test_it_sends_strangers_to_sign_in(client) -> None:
    assert client.get("/accounts/me/").url.startswith("/accounts/login/")
