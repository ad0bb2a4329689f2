"""`deskpemilu backup PATH`: a consistent copy of the database and the photos, while the server
keeps running (see core/backups.py and the README, "Backup and restore")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskpemilu.core.backups import BackupError, make_backup
from deskpemilu.core.heads import head_text


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump for PostgreSQL) and the media"
        " into the new directory PATH, with a manifest holding the audit head. Safe while the"
        " server runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a new (or empty) directory for the backup")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["path"]).expanduser().resolve()
        try:
            manifest = make_backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit = manifest["audit"]
        media = manifest["media"]
        self.stdout.write(
            f"OK {target} {manifest['engine']} audit {head_text(audit['seq'], audit['hash'])}"
            f" media {media['files']} files"
        )
