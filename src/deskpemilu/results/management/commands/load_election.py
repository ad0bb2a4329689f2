import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskpemilu.results.contests import DEFAULT_ELECTION, read_election
from deskpemilu.results.setup import election_load


class Command(BaseCommand):
    help = "Load an election configuration (contests, parties, dapil, choices) from JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(DEFAULT_ELECTION))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = read_election(Path(options["file"]))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read {options['file']}: {exc}") from exc
        try:
            counts = election_load(actor=None, data=data)
        except ValidationError as exc:  # e.g. a dapil naming a region not loaded yet
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write("OK " + ", ".join(f"{k} {v}" for k, v in counts.items()))
