from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskpemilu.results.setup import candidates_import


class Command(BaseCommand):
    help = "Replace demo candidates with the real list (CSV: kontes,dapil,partai,nomor,nama)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            count = candidates_import(actor=None, name=path.name, data=path.read_bytes())
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"OK {count} calon dimuat")
