"""An email address on every account, so "aplikasi + email" rules reach people: the desk's
account form, the account's own profile, and `create_account --email`; audited."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from deskpemilu.accounts.models import User
from deskpemilu.accounts.tests.helpers import last_entry
from deskpemilu.accounts.tests.test_account_form import edit_data, new_account

pytestmark = pytest.mark.django_db


def test_the_desk_sets_an_email_on_the_account_form(client_for, admin, operator) -> None:
    desk = client_for(admin)
    assert 'name="email"' in desk.get("/accounts/users/new/").content.decode()
    made = desk.post("/accounts/users/new/", new_account(email="op.baru@mataramkota.go.id"))
    assert made.status_code == 302
    assert User.objects.get(username="op_baru").email == "op.baru@mataramkota.go.id"
    url = f"/accounts/users/{operator.pk}/"
    assert desk.post(url, edit_data(operator, email="ops@example.org")).status_code == 302
    operator.refresh_from_db()
    assert operator.email == "ops@example.org"
    assert last_entry("account.update").payload["email"] == "ops@example.org"
    bad = desk.post(url, edit_data(operator, email="bukan email"))
    assert bad.status_code in (200, 422) and "email" in bad.content.decode().lower()
    operator.refresh_from_db()
    assert operator.email == "ops@example.org"


def test_an_account_sets_its_own_email_on_its_profile(client_for, lurah) -> None:
    web = client_for(lurah)
    assert 'id="email-form"' in web.get("/accounts/me/").content.decode()
    saved = web.post("/accounts/me/", {"email": "lurah.pejeruk@example.org"})
    assert saved.status_code == 302
    lurah.refresh_from_db()
    assert lurah.email == "lurah.pejeruk@example.org"
    assert last_entry("account.email").actor == lurah
    refused = web.post("/accounts/me/", {"email": "lurah@"})
    assert refused.status_code == 422
    lurah.refresh_from_db()
    assert lurah.email == "lurah.pejeruk@example.org"


def test_create_account_takes_an_email(monkeypatch) -> None:
    def run(*args: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("Kenari-Posko-2024\n"))
        call_command("create_account", *args, stdout=io.StringIO())

    run("pimpinan_2", "--role", "viewer", "--email", "wali@mataramkota.go.id", "--password-stdin")
    assert User.objects.get(username="pimpinan_2").email == "wali@mataramkota.go.id"
    run("pimpinan_2", "--role", "viewer")  # no --email: kept
    assert User.objects.get(username="pimpinan_2").email == "wali@mataramkota.go.id"
