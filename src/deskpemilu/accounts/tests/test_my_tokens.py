"""The "Token API" page: every account issues and revokes its own tokens; a token shows once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from deskpemilu.accounts.models import ApiToken
from deskpemilu.accounts.services import token_issue
from deskpemilu.accounts.tests.helpers import actions, last_entry


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def shown_token(html: str) -> str:
    match = re.search(r"(dp_[A-Za-z0-9_-]{20,})", html)
    return match.group(1) if match else ""


@pytest.mark.django_db
def test_it_issues_a_token_shown_once(client_for, viewer) -> None:
    web = client_for(viewer)
    response = web.post("/accounts/tokens/", {"label": "skrip rekap", "days": "7"})
    html = response.content.decode()
    token = shown_token(html)
    assert token
    assert "hanya ditampilkan sekali" in html
    assert "no-store" in response["Cache-Control"]
    assert bearer(token).get("/api/v1/regions/5271").status_code == 200
    again = web.get("/accounts/tokens/").content.decode()
    assert token not in again
    assert token[:10] in again  # its prefix identifies it
    assert "skrip rekap" in again
    row = ApiToken.objects.get(user=viewer)
    assert (row.expires_at - row.created_at).days in (6, 7)
    entry = last_entry("token.issue")
    assert (entry.actor, entry.payload["user"]) == (viewer, viewer.username)


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["0", "367", "lama"])
def test_it_refuses_a_bad_validity(client_for, operator, days) -> None:
    response = client_for(operator).post("/accounts/tokens/", {"days": days})
    assert response.status_code == 200
    assert not shown_token(response.content.decode())
    assert not ApiToken.objects.filter(user=operator).exists()


@pytest.mark.django_db
def test_it_lists_only_own_tokens(client_for, operator, lurah) -> None:
    _t, mine = token_issue(actor=None, user=operator, label="punya saya")
    _t, theirs = token_issue(actor=None, user=lurah, label="punya lurah")
    html = client_for(operator).get("/accounts/tokens/").content.decode()
    assert mine.prefix in html
    assert theirs.prefix not in html
    assert "punya lurah" not in html


@pytest.mark.django_db
def test_it_shows_the_status(client_for, operator) -> None:
    from django.utils import timezone

    _t, expired = token_issue(actor=None, user=operator, label="lama")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    _t, revoked = token_issue(actor=None, user=operator, label="dicabut")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    html = client_for(operator).get("/accounts/tokens/").content.decode()
    assert "kedaluwarsa" in html
    assert '<span class="badge bad">dicabut</span>' in html


@pytest.mark.django_db
def test_it_revokes_an_own_token(client_for, lurah) -> None:
    token, row = token_issue(actor=None, user=lurah)
    response = client_for(lurah).post(f"/accounts/tokens/{row.pk}/revoke/")
    assert response.status_code == 302
    assert response.url == "/accounts/tokens/"
    assert bearer(token).get("/api/v1/regions/5271011006").status_code == 401
    entry = last_entry("token.revoke")
    assert (entry.actor, entry.payload) == (lurah, {"user": lurah.username, "prefix": row.prefix})


@pytest.mark.django_db
def test_it_hides_other_accounts_tokens(client_for, make_user, operator, viewer) -> None:
    # conftest's `outsider` names a kelurahan code the seed does not have; Cakranegara Timur:
    outsider = make_user("op_cakranegara_timur", "operator", "5271031006", "dishub")
    _token, row = token_issue(actor=None, user=operator)
    for intruder in (outsider, viewer):
        assert client_for(intruder).post(f"/accounts/tokens/{row.pk}/revoke/").status_code == 404
    assert client_for(outsider).post("/accounts/tokens/999999/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None
    assert "token.revoke" not in actions()


@pytest.mark.django_db
def test_it_lets_an_admin_revoke_any_token(client_for, admin, operator) -> None:
    token, row = token_issue(actor=None, user=operator, label="skrip kelurahan")
    web = client_for(admin)
    page = web.get(f"/accounts/users/{operator.pk}/").content.decode()
    assert f"/accounts/tokens/{row.pk}/revoke/" in page
    assert "skrip kelurahan" in page
    response = web.post(f"/accounts/tokens/{row.pk}/revoke/")
    assert response.url == f"/accounts/users/{operator.pk}/"
    assert bearer(token).get("/api/v1/regions/5271011004").status_code == 401
    assert last_entry("token.revoke").actor == admin


@pytest.mark.django_db
def test_it_revokes_only_by_post(client_for, lurah) -> None:
    _t, row = token_issue(actor=None, user=lurah)
    assert client_for(lurah).get(f"/accounts/tokens/{row.pk}/revoke/").status_code == 405
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None


@pytest.mark.django_db
def test_it_sends_strangers_to_sign_in(client) -> None:
    assert client.get("/accounts/tokens/").status_code == 302
    assert client.post("/accounts/tokens/", {"days": "7"}).status_code == 302
    assert not ApiToken.objects.exists()
