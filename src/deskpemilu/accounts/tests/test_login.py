"""Signing in and out: audited, locked after five failures, closed to deactivated accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deskpemilu.accounts.services import login_failures_flush
from deskpemilu.accounts.tests.helpers import actions, last_entry
from deskpemilu.conftest import PASSWORD


def login(client, username: str, password: str, address: str = "127.0.0.1"):
    data = {"username": username, "password": password}
    return client.post("/accounts/login/", data, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_it_signs_in_and_audits(client, operator) -> None:
    response = login(client, operator.username, PASSWORD, "10.1.2.3")
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200
    entry = last_entry("login.success")
    assert (entry.actor, entry.payload) == (operator, {"address": "10.1.2.3"})


@pytest.mark.django_db
def test_it_audits_a_failed_sign_in(client, operator) -> None:
    response = login(client, operator.username, "salah-sandi", "10.1.2.3")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert "login.failure" not in actions()  # counted now, audited when its window ends
    login_failures_flush(now=timezone.now() + timedelta(hours=1))
    entry = last_entry("login.failure")
    assert entry.actor is None
    assert entry.actor_name == operator.username
    assert (entry.payload["username"], entry.payload["address"]) == (operator.username, "10.1.2.3")
    assert entry.payload["count"] == 1
    assert "salah-sandi" not in str(entry.payload)
    assert "login.success" not in actions()


@pytest.mark.django_db
def test_it_audits_an_unknown_username(client) -> None:
    login(client, "tidak_ada", "apa-saja")
    login_failures_flush(now=timezone.now() + timedelta(hours=1))
    assert last_entry("login.failure").payload["username"] == "tidak_ada"


@pytest.mark.django_db
def test_it_locks_out_after_five_failures(client, operator) -> None:
    for _ in range(5):
        login(client, operator.username, "salah-sandi")
    response = login(client, operator.username, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in html
    assert "dikunci sementara" in html
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_it_locks_the_username_only_from_that_address(client, operator) -> None:
    for _ in range(5):
        login(client, operator.username, "salah-sandi", "10.9.9.9")
    assert login(client, operator.username, PASSWORD, "10.9.9.9").status_code == 429
    assert login(client, operator.username, PASSWORD, "10.1.1.1").status_code == 302


@pytest.mark.django_db
def test_it_forgets_failures_after_a_success(client, operator) -> None:
    for _ in range(4):
        login(client, operator.username, "salah-sandi")
    assert login(client, operator.username, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        login(client, operator.username, "salah-sandi")
    assert login(client, operator.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_it_refuses_a_deactivated_account(client, admin, operator) -> None:
    operator.is_active = False
    operator.save()
    response = login(client, operator.username, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_signs_out_by_post_only(client_for, operator) -> None:
    web = client_for(operator)
    assert web.get("/accounts/logout/").status_code == 405
    assert web.get("/").status_code == 200
    response = web.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert web.get("/").status_code == 302


@pytest.mark.django_db
def test_it_redirects_to_next_after_sign_in(client, admin) -> None:
    data = {"username": admin.username, "password": PASSWORD, "next": "/accounts/users/"}
    response = client.post("/accounts/login/", data)
    assert response.url == "/accounts/users/"


@pytest.mark.django_db
def test_it_refuses_an_offsite_next(client, admin) -> None:
    data = {"username": admin.username, "password": PASSWORD, "next": "https://contoh.test/"}
    assert client.post("/accounts/login/", data).url == "/"
