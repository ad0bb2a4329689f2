"""A token does not outlive its account's credentials, and a read-only token never writes."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from deskpemilu.accounts.models import ApiToken
from deskpemilu.accounts.services import account_save, account_set_active, token_issue
from deskpemilu.accounts.tests.helpers import last_entry
from deskpemilu.conftest import PASSWORD

URL = "/api/v1/regions/5271011004"  # inside every test account's scope
NEW = "Sandi-Baru-Kenari-24"


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_it_revokes_tokens_when_the_account_changes_its_password(client_for, operator) -> None:
    token, _row = token_issue(actor=None, user=operator)
    assert bearer(token).get(URL).status_code == 200
    data = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    assert client_for(operator).post("/accounts/me/", data).status_code == 302
    assert bearer(token).get(URL).status_code == 401
    assert last_entry("account.password_change").payload["tokens_revoked"] == 1


@pytest.mark.django_db
def test_it_revokes_tokens_when_an_admin_sets_a_new_password(admin, operator) -> None:
    token, _row = token_issue(actor=None, user=operator)
    account_save(
        actor=admin,
        username=operator.username,
        role=operator.role,
        scope=operator.scope,
        password=NEW,
    )
    assert bearer(token).get(URL).status_code == 401
    assert last_entry("account.update").payload["tokens_revoked"] == 1


@pytest.mark.django_db
def test_it_keeps_tokens_when_the_account_is_saved_without_a_password(admin, operator) -> None:
    token, _row = token_issue(actor=None, user=operator)
    account_save(actor=admin, username=operator.username, role=operator.role, scope=operator.scope)
    assert bearer(token).get(URL).status_code == 200


@pytest.mark.django_db
def test_it_revokes_tokens_when_the_account_is_deactivated(admin, viewer) -> None:
    token, row = token_issue(actor=None, user=viewer)
    account_set_active(actor=admin, user=viewer, active=False)
    account_set_active(actor=admin, user=viewer, active=True)
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None
    assert bearer(token).get(URL).status_code == 401  # reactivation does not revive it


@pytest.mark.django_db
def test_it_revokes_tokens_when_2fa_is_reset(client_for, admin, verifier) -> None:
    token, _row = token_issue(actor=None, user=verifier)
    response = client_for(admin).post(f"/accounts/users/{verifier.pk}/2fa/reset/")
    assert response.status_code == 302
    assert bearer(token).get(URL).status_code == 401
    assert last_entry("2fa.reset").payload["tokens_revoked"] == 1


@pytest.mark.django_db
def test_a_read_only_token_reads_but_never_writes(capsys, operator) -> None:
    call_command("issue_token", operator.username, "--read-only")
    token = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(user=operator).read_only
    assert last_entry("token.issue").payload["read_only"] is True
    client = bearer(token)
    assert client.get(URL).status_code == 200
    sheet = "/api/v1/results/ppwp/5271011004003"
    # The API has no PATCH or DELETE operation yet; the auth refuses them the same way.
    for method, url in (("put", sheet), ("post", sheet + "/verify"), ("post", "/api/v1/incidents")):
        response = getattr(client, method)(url, json.dumps({}), content_type="application/json")
        assert response.status_code == 403, (method, response.content)
        assert response.json()["errors"][0]["code"] == "token_baca_saja"


@pytest.mark.django_db
def test_a_full_token_still_writes(capsys, operator) -> None:
    call_command("issue_token", operator.username)
    token = capsys.readouterr().out.strip()
    response = bearer(token).put(
        "/api/v1/results/ppwp/5271011004003", "{}", content_type="application/json"
    )
    assert response.status_code == 422  # reached the operation: its body is what is wrong


@pytest.mark.django_db
def test_the_token_list_says_which_tokens_only_read(capsys, client_for, admin, operator) -> None:
    call_command("issue_token", operator.username, "--read-only", "--label", "layar situasi")
    html = client_for(admin).get(f"/accounts/users/{operator.pk}/").content.decode()
    assert "layar situasi" in html and "baca saja" in html
