"""`deskpemilu reset_2fa USERNAME`: removes an account's authenticator and recovery codes, for
when the only admin has lost their phone (other admins use the button on the account page)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from deskpemilu.accounts.management.commands.issue_token import account
from deskpemilu.accounts.twofactor import twofactor_reset


class Command(BaseCommand):
    help = (
        "Reset an account's two-factor sign-in (authenticator and recovery codes); it enrols"
        " again at its next sign-in. Recorded in the audit log."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = account(options["username"])
        removed = twofactor_reset(actor=None, user=user)
        self.stdout.write(
            f"Verifikasi dua langkah {user.username} direset ({removed} autentikator dihapus)."
        )
