from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskpemilu.elections.services import ElectionError, election_activate


class Command(BaseCommand):
    help = "Make an election the one open for entry (audited), e.g. `activate_election pemilu2024`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = election_activate(actor=None, code=options["code"])
        except ElectionError as exc:
            raise CommandError(f"{exc.message} ({options['code']})") from None
        if done.changed:
            self.stdout.write(f"Pemilihan aktif kini: {done.election.code} ({done.election.name}).")
        else:
            self.stdout.write(f"{done.election.code} sudah aktif; tidak ada yang diubah.")
