"""`deskpemilu setup_demo`: the demo cast, created once with passwords shown once; never in
production."""

import io
import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command

from deskpemilu.accounts.management.commands.setup_demo import DEMO_ACCOUNTS
from deskpemilu.accounts.models import User


def setup_demo() -> str:
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def passwords_in(output: str) -> dict[str, str]:
    """username -> password from the table printed at creation."""
    names = {a.username for a in DEMO_ACCOUNTS}
    found = {}
    for line in output.splitlines():
        cells = line.split()
        if len(cells) == 4 and cells[0] in names:
            found[cells[0]] = cells[3]
    return found


@pytest.mark.django_db
def test_it_creates_one_demo_account_per_role_and_shows_passwords_once(client):
    first = setup_demo()
    passwords = passwords_in(first)
    assert set(passwords) == {a.username for a in DEMO_ACCOUNTS}
    assert "http://127.0.0.1:" in first

    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    assert {u.role for u in users.values()} == {
        "admin", "operator", "verifier", "lurah", "camat", "liaison", "health", "viewer",
    }  # fmt: skip
    operator = users["operator_ampenan_selatan"]
    assert (operator.scope, operator.agency.slug) == ("5271011004", "diskominfo")
    assert users["lurah_pejeruk"].scope == "5271011006"
    assert users["camat_sandubaya"].scope == "527106"
    assert users["polri_mataram"].agency.slug == "polri"

    response = client.post(
        "/accounts/login/", {"username": "admin", "password": passwords["admin"]}
    )
    assert response.status_code == 302

    hashes = {u.username: u.password for u in users.values()}
    second = setup_demo()
    assert passwords_in(second) == {}
    for password in passwords.values():
        assert password not in second
    assert "create_account" in second  # how to reset one
    assert "admin" in second
    assert {u.username: u.password for u in User.objects.filter(is_demo=True)} == hashes


@pytest.mark.django_db
def test_it_leaves_an_existing_real_account_alone(make_user):
    real = make_user("admin", "admin")
    output = setup_demo()
    real.refresh_from_db()
    assert not real.is_demo
    assert "admin" not in passwords_in(output)
    assert "bukan demo" in output


def test_it_refuses_under_production_settings(tmp_path):
    db = tmp_path / "desk.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DESKPEMILU_VAR_DIR": str(tmp_path / "var"),
    }
    for name in ("DESKPEMILU_PRODUCTION", "DESKPEMILU_TESTING"):
        env.pop(name, None)
    desk = [sys.executable, "-m", "deskpemilu"]
    subprocess.run([*desk, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=300)

    production = {
        **env,
        "DESKPEMILU_PRODUCTION": "1",
        "DESKPEMILU_SECRET_KEY": "a-production-secret-key-for-this-test-only-0123456789abcdef",
        "DESKPEMILU_SITE_URL": "https://desk.example.org",
    }
    result = subprocess.run(
        [*desk, "setup_demo"], env=production, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DESKPEMILU_PRODUCTION" in result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM accounts_user").fetchone()[0] == 0
