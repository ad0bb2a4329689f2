"""`deskpemilu create_account USERNAME --role ROLE [--scope CODE] [--agency SLUG] [--name NAME]
[--email ADDRESS] [--language id|en] --password-stdin`: creates or updates an account
(CONTRACT.md)."""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from deskpemilu.accounts.models import Language, Role
from deskpemilu.accounts.services import account_save


def read_password() -> str:
    """The password from standard input: one line, without its line ending."""
    if sys.stdin.isatty():
        password = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != password:
            raise CommandError("Kedua kata sandi tidak sama.")
        return password
    password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    if not password:
        raise CommandError("Kata sandi kosong: kirim kata sandi lewat standard input.")
    return password


class Command(BaseCommand):
    help = (
        "Create an account, or update its role, scope, agency, name (and password with "
        "--password-stdin). Roles: " + ", ".join(Role.values) + "."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--scope", default="", help="region code, e.g. 5271011004")
        parser.add_argument("--agency", default="", help="agency slug, e.g. polri")
        parser.add_argument("--name", default=None, help="full name")
        parser.add_argument(
            "--email", default=None, help="email address for notifications ('' removes it)"
        )
        parser.add_argument(
            "--language",
            default=None,
            choices=Language.values,
            help="the language of the account's notifications (default for a new account: id)",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (without it, an existing password "
            "is kept and a new account cannot sign in until one is set)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = read_password() if options["password_stdin"] else None
        try:
            user, created = account_save(
                actor=None,
                username=options["username"],
                role=options["role"],
                scope=options["scope"],
                agency_slug=options["agency"],
                password=password,
                first_name=options["name"],
                email=options["email"],
                language=options["language"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        verb = "dibuat" if created else "diperbarui"
        scope = user.scope or "seluruh wilayah"
        self.stdout.write(f"Akun {user.username} {verb}: peran {user.role}, wilayah {scope}.")
