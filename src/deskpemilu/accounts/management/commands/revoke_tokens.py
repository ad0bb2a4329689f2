"""`deskpemilu revoke_tokens USERNAME`: revokes every API token of an account."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from deskpemilu.accounts.management.commands.issue_token import account
from deskpemilu.accounts.services import token_revoke_all


class Command(BaseCommand):
    help = "Revoke every API token of an account."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        revoked = token_revoke_all(actor=None, user=account(options["username"]))
        self.stdout.write(f"{revoked} token dicabut.")
