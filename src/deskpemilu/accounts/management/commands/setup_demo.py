"""`deskpemilu setup_demo`: the demo accounts of the embedded demo, one per role of the cast.

Random passwords, printed once when an account is created; later runs only list the accounts.
Refused under production settings (DESKPEMILU_PRODUCTION=1): demo accounts never exist there.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from deskpemilu.accounts.models import User
from deskpemilu.accounts.services import account_save
from deskpemilu.core import demo
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    scope: str = ""
    agency: str = ""
    name: str = ""

    def reset_command(self) -> str:
        options = f" --role {self.role}"
        if self.scope:
            options += f" --scope {self.scope}"
        if self.agency:
            options += f" --agency {self.agency}"
        return (
            "printf '%s' 'KataSandiBaru' | .venv/bin/deskpemilu create_account"
            f" {self.username}{options} --password-stdin"
        )


# The cast of DESIGN.md: one account per role.
DEMO_ACCOUNTS = [
    DemoAccount("admin", "admin", name="Koordinator Desk (demo)"),
    DemoAccount(
        "operator_ampenan_selatan",
        "operator",
        "5271011004",
        "diskominfo",
        "Operator Ampenan Selatan (demo)",
    ),
    DemoAccount("verifikator", "verifier", name="Verifikator Desk (demo)"),
    DemoAccount("lurah_pejeruk", "lurah", "5271011006", name="Lurah Pejeruk (demo)"),
    DemoAccount("camat_sandubaya", "camat", "527106", name="Camat Sandubaya (demo)"),
    DemoAccount("polri_mataram", "liaison", agency="polri", name="Penghubung Polresta (demo)"),
    DemoAccount("puskesmas_ampenan", "health", "527101", name="Puskesmas Ampenan (demo)"),
    DemoAccount("pimpinan", "viewer", name="Pimpinan (demo)"),
]


def new_password() -> str:
    return secrets.token_urlsafe(12)


def table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        ("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))).rstrip()
        for row in rows
    ]


class Command(BaseCommand):
    help = (
        "Create the demo accounts of the embedded demo (one per role) with random passwords,"
        " shown once. Idempotent; refused under production settings."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "Akun demo tidak dibuat pada pengaturan produksi (DESKPEMILU_PRODUCTION=1)."
                " Demo accounts never exist in production; use create_account."
            )
        code = installation.code()
        regions = (
            Region.objects.all()
            if installation.is_nation(code)
            else Region.objects.filter(code=code)
        )
        if not regions.exists():
            raise CommandError(
                f"Data wilayah {code} belum ada: jalankan dulu `deskpemilu seed_mataram` atau "
                "`deskpemilu load_regions FILE`."
            )
        created, existing, not_demo = _create_missing()
        seeded = demo.run_all()  # the features' sample data (core.demo), e.g. TPS kerawanan
        port = os.environ.get("PORT") or "8000"
        out = self.stdout.write
        if created:
            _print_created(out, created)
        if existing:
            _print_existing(out, existing)
        for account in not_demo:
            out(f"'{account.username}' sudah ada sebagai akun biasa (bukan demo); tidak diubah.")
        for line in seeded:
            out(line)
        out("")
        out(f"Buka / open: http://127.0.0.1:{port}/")


def _create_missing() -> tuple[list[tuple[DemoAccount, str]], list[DemoAccount], list[DemoAccount]]:
    """Create the demo accounts that do not exist yet, in one transaction: (the created with
    their passwords, the demo accounts already there, the ordinary accounts of a demo name)."""
    created: list[tuple[DemoAccount, str]] = []
    existing: list[DemoAccount] = []
    not_demo: list[DemoAccount] = []
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is not None:
                (existing if user.is_demo else not_demo).append(account)
                continue
            password = new_password()
            try:
                account_save(
                    actor=None,
                    username=account.username,
                    role=account.role,
                    scope=account.scope,
                    agency_slug=account.agency,
                    password=password,
                    first_name=account.name,
                    is_demo=True,
                )
            except ValidationError as e:
                raise CommandError(f"{account.username}: {'; '.join(e.messages)}") from e
            created.append((account, password))
    return created, existing, not_demo


def _print_created(out: Callable[[str], None], created: list[tuple[DemoAccount, str]]) -> None:
    out("")
    out(
        "Akun demo dibuat. Kata sandi hanya ditampilkan SEKALI INI; catat sekarang."
        " / Demo accounts created; passwords are shown only this once."
    )
    rows: list[tuple[str, ...]] = [
        ("username", "peran/role", "wilayah/scope", "kata sandi/password")
    ]
    rows += [
        (a.username, a.role, a.scope or a.agency or "(semua)", password) for a, password in created
    ]
    for line in table(rows):
        out(line)


def _print_existing(out: Callable[[str], None], existing: list[DemoAccount]) -> None:
    out("")
    out("Akun demo sudah ada / demo accounts already exist:")
    listed: list[tuple[str, ...]] = [("username", "peran/role", "wilayah/scope")]
    listed += [(a.username, a.role, a.scope or a.agency or "(semua)") for a in existing]
    for line in table(listed):
        out(line)
    out(
        "Kata sandinya ditampilkan sekali saat dibuat. Untuk mengganti satu kata sandi"
        " / passwords were shown at creation; to reset one:"
    )
    out("  " + existing[0].reset_command())
