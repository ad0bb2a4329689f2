"""`deskpemilu issue_token USERNAME [--days N] [--read-only]`: prints the token, nothing else."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from deskpemilu.accounts.models import User
from deskpemilu.accounts.services import token_issue


def account(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Akun {username} tidak ada.")
    return user


class Command(BaseCommand):
    help = "Issue an API token for an account and print it (only its hash is stored)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="validity, 1-366 days")
        parser.add_argument("--label", default="", help="what the token is for")
        parser.add_argument(
            "--read-only", action="store_true", help="the token may read but never write"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = account(options["username"])
        try:
            token, _row = token_issue(
                actor=None,
                user=user,
                days=options["days"],
                label=options["label"],
                read_only=options["read_only"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        # Scripts read standard output as the token itself: nothing else goes there.
        self.stdout.write(token)
