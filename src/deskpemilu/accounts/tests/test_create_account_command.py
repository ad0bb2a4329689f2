"""`deskpemilu create_account`: creates or updates; the password comes from standard input."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from deskpemilu.accounts.models import User
from deskpemilu.accounts.tests.helpers import last_entry

PASSWORD = "Kenari-Posko-2024"


def run(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = PASSWORD + "\n") -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("create_account", *args, stdout=out)
    return out.getvalue()


def login(client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_it_creates_an_account_that_can_sign_in(monkeypatch, client) -> None:
    output = run(
        monkeypatch,
        "lurah_pagutan",
        "--role=lurah",
        "--scope=5271051004",
        "--name=Baiq Nurul",
        "--password-stdin",
    )
    user = User.objects.get(username="lurah_pagutan")
    assert (user.role, user.scope, user.first_name) == ("lurah", "5271051004", "Baiq Nurul")
    assert "dibuat" in output
    response = login(client, "lurah_pagutan")
    assert response.status_code == 302
    assert response.url == "/"


@pytest.mark.django_db
def test_it_strips_only_the_line_ending(monkeypatch, client) -> None:
    run(
        monkeypatch,
        "kpu_1",
        "--role=liaison",
        "--agency=kpu",
        "--password-stdin",
        stdin="  x" + PASSWORD + "\r\n",
    )
    assert login(client, "kpu_1", "  x" + PASSWORD).status_code == 302


@pytest.mark.django_db
def test_it_updates_role_and_keeps_the_password(monkeypatch, client) -> None:
    run(monkeypatch, "staf_desk", "--role=viewer", "--password-stdin")
    output = run(monkeypatch, "staf_desk", "--role=verifier")
    assert "diperbarui" in output
    assert User.objects.get(username="staf_desk").role == "verifier"
    assert login(client, "staf_desk").status_code == 302
    entry = last_entry("account.update")
    assert entry.payload["role"] == "verifier"
    assert entry.payload["password_changed"] is False


@pytest.mark.django_db
def test_it_changes_the_password_on_update(monkeypatch, client) -> None:
    run(monkeypatch, "staf_desk", "--role=viewer", "--password-stdin")
    run(monkeypatch, "staf_desk", "--role=viewer", "--password-stdin", stdin="Ganti-Sandi-2024\n")
    assert login(client, "staf_desk").status_code == 200
    assert login(client, "staf_desk", "Ganti-Sandi-2024").status_code == 302


@pytest.mark.django_db
def test_it_accepts_a_dotted_scope(monkeypatch) -> None:
    run(monkeypatch, "camat_ampenan", "--role=camat", "--scope=52.71.01", "--password-stdin")
    assert User.objects.get(username="camat_ampenan").scope == "527101"


@pytest.mark.django_db
def test_it_audits_the_creation(monkeypatch) -> None:
    run(monkeypatch, "op_baru", "--role=operator", "--scope=527101", "--password-stdin")
    entry = last_entry("account.create")
    assert entry.payload["username"] == "op_baru"
    assert entry.payload["password_changed"] is True
    assert PASSWORD not in str(entry.payload)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role=raja"], "invalid choice"),
        (["--role=lurah", "--scope=527101"], "Wilayah tugas Lurah harus berupa"),
        (["--role=lurah"], "wajib punya wilayah tugas"),
        (["--role=operator", "--scope=9999"], "Wilayah 9999 tidak dikenal"),
        (["--role=liaison"], "wajib punya instansi"),
        (["--role=liaison", "--agency=cia"], "Instansi cia tidak dikenal"),
    ],
)
def test_it_refuses_bad_input(monkeypatch, args, message) -> None:
    with pytest.raises(CommandError, match=message):
        run(monkeypatch, "salah", *args, "--password-stdin")
    assert not User.objects.filter(username="salah").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"), [("pendek", "terlalu pendek"), ("12345678901", "angka")]
)
def test_it_refuses_a_weak_password(monkeypatch, password, message) -> None:
    with pytest.raises(CommandError, match=message):
        run(monkeypatch, "lemah", "--role=viewer", "--password-stdin", stdin=password + "\n")
    assert not User.objects.filter(username="lemah").exists()


@pytest.mark.django_db
def test_it_refuses_an_empty_password(monkeypatch) -> None:
    with pytest.raises(CommandError, match="kosong"):
        run(monkeypatch, "kosong", "--role=viewer", "--password-stdin", stdin="\n")
