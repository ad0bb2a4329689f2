"""Bearer tokens against the API: a working token, and the ones that must stop working."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from deskpemilu.accounts.models import ApiToken
from deskpemilu.accounts.services import account_set_active, token_issue, token_revoke

URL = "/api/v1/regions/5271"


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_it_accepts_a_live_token_and_notes_its_use(admin) -> None:
    token, row = token_issue(actor=None, user=admin)
    assert bearer(token).get(URL).status_code == 200
    assert ApiToken.objects.get(pk=row.pk).last_used_at is not None


@pytest.mark.django_db
def test_it_refuses_an_expired_token(admin) -> None:
    token, row = token_issue(actor=None, user=admin)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(token).get(URL)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "unauthenticated"


@pytest.mark.django_db
def test_it_refuses_a_revoked_token(admin) -> None:
    token, row = token_issue(actor=None, user=admin)
    token_revoke(actor=admin, token=row)
    assert bearer(token).get(URL).status_code == 401


@pytest.mark.django_db
def test_it_refuses_the_token_of_a_deactivated_account(admin, viewer) -> None:
    token, _row = token_issue(actor=None, user=viewer)
    account_set_active(actor=admin, user=viewer, active=False)
    assert bearer(token).get(URL).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "dp_tidak-ada", "x" * 500])
def test_it_refuses_unknown_tokens(admin, token) -> None:
    assert bearer(token).get(URL).status_code == 401


@pytest.mark.django_db
def test_it_issues_no_token_to_a_deactivated_account(client_for, admin, viewer) -> None:
    from django.core.exceptions import ValidationError

    account_set_active(actor=admin, user=viewer, active=False)
    with pytest.raises(ValidationError):
        token_issue(actor=admin, user=viewer)
