"""`deskpemilu notify_webhook NAME URL [--events …] [--min-severity …] [--secret-stdin]`:
create or update an outbound webhook. Prints the signing secret when it was generated."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskpemilu.notify.subscriptions import webhook_save


class Command(BaseCommand):
    help = "Create or update an outbound webhook (signed with HMAC-SHA256)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("url")
        parser.add_argument("--events", default="", help="comma-separated kinds; empty = all")
        parser.add_argument("--min-severity", default="", help="rendah|sedang|tinggi|kritis")
        parser.add_argument("--inactive", action="store_true")
        parser.add_argument(
            "--secret-stdin", action="store_true", help="read the secret from standard input"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        secret = sys.stdin.readline().strip() if options["secret_stdin"] else ""
        events = [e.strip() for e in options["events"].split(",") if e.strip()]
        try:
            _hook, used = webhook_save(
                actor=None,
                name=options["name"],
                url=options["url"],
                secret=secret,
                events=events,
                min_severity=options["min_severity"],
                active=not options["inactive"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if not secret:
            self.stdout.write(used)
