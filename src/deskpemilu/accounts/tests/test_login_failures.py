"""Failed sign-ins: counted per (username, address) and audited once per window with the count;
the attempted username is kept escaped and cut short."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deskpemilu.accounts.models import LoginFailureWindow
from deskpemilu.accounts.services import escaped_username, login_failures_flush
from deskpemilu.accounts.tests.helpers import actions
from deskpemilu.audit.models import AuditEntry
from deskpemilu.conftest import PASSWORD


def login(client, username: str, password: str, address: str):
    data = {"username": username, "password": password}
    return client.post("/accounts/login/", data, REMOTE_ADDR=address)


def failures() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="login.failure").order_by("seq"))


@pytest.mark.django_db
def test_it_audits_one_entry_per_account_and_address_per_window(client, operator, settings):
    settings.AXES_FAILURE_LIMIT = 1000  # this test counts, it does not lock out
    for _ in range(30):
        login(client, operator.username, "salah", "10.0.0.1")
    for _ in range(3):
        login(client, operator.username, "salah", "10.0.0.2")
    login(client, "tidak_ada", "salah", "10.0.0.1")
    assert "login.failure" not in actions()
    assert login_failures_flush(now=timezone.now() + timedelta(minutes=16)) == 3
    counts = {(e.payload["username"], e.payload["address"]): e.payload["count"] for e in failures()}
    assert counts == {
        (operator.username, "10.0.0.1"): 30,
        (operator.username, "10.0.0.2"): 3,
        ("tidak_ada", "10.0.0.1"): 1,
    }
    assert not LoginFailureWindow.objects.exists()
    assert login_failures_flush(now=timezone.now() + timedelta(hours=1)) == 0


@pytest.mark.django_db
def test_a_new_window_starts_after_the_last_one_ended(client, operator, settings):
    settings.DESKPEMILU_LOGIN_FAILURE_WINDOW_MINUTES = 0  # every attempt ends the window before
    login(client, operator.username, "salah", "10.0.0.1")
    login(client, operator.username, "salah", "10.0.0.1")  # closes the first window
    assert [e.payload["count"] for e in failures()] == [1]
    login(client, operator.username, PASSWORD, "10.0.0.9")  # a sign-in closes ended windows too
    assert [e.payload["count"] for e in failures()] == [1, 1]


@pytest.mark.django_db
def test_it_keeps_a_hostile_username_escaped_and_short(client, settings):
    hostile = "admin\x1b[31m\r\nFAKE ENTRY\x7f" + "x" * 5000
    login(client, hostile, "salah", "10.0.0.1")
    login_failures_flush(now=timezone.now() + timedelta(hours=1))
    entry = failures()[0]
    assert entry.actor_name == entry.payload["username"]
    assert len(entry.actor_name) <= 64
    assert entry.actor_name.startswith("admin\\x1b[31m\\r\\nFAKE ENTRY\\x7fx")
    assert all(c.isprintable() for c in entry.actor_name)


def test_it_escapes_what_is_not_printable() -> None:
    assert escaped_username("budi.santoso") == "budi.santoso"
    assert escaped_username("Pak Lurah Ñ") == "Pak Lurah Ñ"
    assert escaped_username("a\tb\ud800\x00") == "a\\tb\\ud800\\x00"
    assert len(escaped_username("y" * 1000)) == 64
