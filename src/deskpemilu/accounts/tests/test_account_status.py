"""Deactivating an account: it cannot sign in, its sessions end and its tokens stop working."""

from __future__ import annotations

import pytest
from django.test import Client

from deskpemilu.accounts.models import ApiToken
from deskpemilu.accounts.services import token_issue
from deskpemilu.accounts.tests.helpers import last_entry
from deskpemilu.conftest import PASSWORD


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_it_deactivates_and_revokes_tokens(client_for, admin, viewer) -> None:
    token, _row = token_issue(actor=None, user=viewer, days=5)
    assert bearer(token).get("/api/v1/regions/5271").status_code == 200
    response = client_for(admin).post(f"/accounts/users/{viewer.pk}/deactivate/")
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.is_active is False
    assert ApiToken.objects.get(user=viewer).revoked_at is not None
    assert bearer(token).get("/api/v1/regions/5271").status_code == 401
    entry = last_entry("account.deactivate")
    assert (entry.actor, entry.payload) == (
        admin,
        {"username": viewer.username, "tokens_revoked": 1},
    )


@pytest.mark.django_db
def test_it_refuses_a_deactivated_account_at_sign_in(client, client_for, admin, operator) -> None:
    client_for(admin).post(f"/accounts/users/{operator.pk}/deactivate/")
    response = client.post(
        "/accounts/login/", {"username": operator.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_ends_open_sessions(client_for, admin, operator) -> None:
    web = client_for(operator)
    assert web.get("/").status_code == 200
    client_for(admin).post(f"/accounts/users/{operator.pk}/deactivate/")
    response = web.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_it_reactivates(client, client_for, admin, operator) -> None:
    web = client_for(admin)
    web.post(f"/accounts/users/{operator.pk}/deactivate/")
    web.post(f"/accounts/users/{operator.pk}/activate/")
    operator.refresh_from_db()
    assert operator.is_active is True
    assert last_entry("account.activate").payload == {"username": operator.username}
    login = {"username": operator.username, "password": PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 302


@pytest.mark.django_db
def test_it_keeps_an_admin_from_deactivating_themself(client_for, admin) -> None:
    response = client_for(admin).post(f"/accounts/users/{admin.pk}/deactivate/", follow=True)
    assert "Anda tidak dapat menonaktifkan akun sendiri." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active is True


@pytest.mark.django_db
def test_it_changes_status_only_by_post(client_for, admin, operator) -> None:
    assert client_for(admin).get(f"/accounts/users/{operator.pk}/deactivate/").status_code == 405
    operator.refresh_from_db()
    assert operator.is_active is True


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator", "verifier", "viewer", "camat"])
def test_it_is_for_admins_only(client_for, request, who, lurah) -> None:
    web = client_for(request.getfixturevalue(who))
    assert web.post(f"/accounts/users/{lurah.pk}/deactivate/").status_code == 403
    lurah.refresh_from_db()
    assert lurah.is_active is True


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_account(client_for, admin) -> None:
    assert client_for(admin).post("/accounts/users/999999/deactivate/").status_code == 404
