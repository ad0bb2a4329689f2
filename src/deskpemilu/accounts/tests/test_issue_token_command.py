"""`deskpemilu issue_token` prints only the token; `deskpemilu revoke_tokens` revokes them all."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from deskpemilu.accounts.models import ApiToken
from deskpemilu.accounts.tests.helpers import last_entry


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_it_prints_only_a_working_token(capsys, admin) -> None:
    call_command("issue_token", admin.username)
    out = capsys.readouterr().out
    token = out.removesuffix("\n")
    assert out == token + "\n"
    assert token.startswith("dp_")
    assert len(token.split()) == 1
    response = bearer(token).get("/api/v1/regions/5271")
    assert response.status_code == 200
    assert response.json()["code"] == "5271"


@pytest.mark.django_db
def test_it_sets_the_validity(capsys, operator) -> None:
    call_command("issue_token", operator.username, "--days", "3")
    row = ApiToken.objects.get(user=operator)
    assert (row.expires_at - row.created_at).days in (2, 3)
    assert last_entry("token.issue").payload["days"] == 3


@pytest.mark.django_db
def test_it_stores_only_the_hash(capsys, operator) -> None:
    call_command("issue_token", operator.username)
    token = capsys.readouterr().out.strip()
    row = ApiToken.objects.get(user=operator)
    assert token not in (row.token_hash, row.prefix)
    assert token not in str(last_entry("token.issue").payload)


@pytest.mark.django_db
def test_it_refuses_an_unknown_account(capsys) -> None:
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("issue_token", "siapa")
    assert capsys.readouterr().out == ""


@pytest.mark.django_db
def test_it_refuses_a_bad_validity(capsys, operator) -> None:
    with pytest.raises(CommandError, match="1–366"):
        call_command("issue_token", operator.username, "--days", "0")
    assert capsys.readouterr().out == ""


@pytest.mark.django_db
def test_it_revokes_every_token_of_an_account(capsys, admin, viewer) -> None:
    call_command("issue_token", admin.username)
    call_command("issue_token", admin.username)
    call_command("issue_token", viewer.username)
    first, second, other = capsys.readouterr().out.split()
    call_command("revoke_tokens", admin.username)
    assert "2 token dicabut" in capsys.readouterr().out
    assert bearer(first).get("/api/v1/regions/5271").status_code == 401
    assert bearer(second).get("/api/v1/regions/5271").status_code == 401
    assert bearer(other).get("/api/v1/regions/5271").status_code == 200
    assert last_entry("token.revoke_all").payload == {"user": admin.username, "revoked": 2}
