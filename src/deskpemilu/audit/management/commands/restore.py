"""`deskpemilu restore PATH`: bring back a backup made by `deskpemilu backup`, then check the
audit chain and that its head is the one the backup recorded (exit 1 otherwise).

Stop the server first. A database that already holds data is overwritten only with --force.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from deskpemilu.audit.services import head, verify_chain
from deskpemilu.core import backups
from deskpemilu.core.backups import BackupError
from deskpemilu.core.heads import head_text


class Command(BaseCommand):
    help = (
        "Restore the database and the media from the backup directory PATH (made by"
        " `deskpemilu backup`), then verify the audit chain against the backup's manifest."
        " Stop the server first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a backup directory made by `deskpemilu backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite a database that already holds data (its current content is lost)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["path"]).expanduser().resolve()
        try:
            manifest = self._restore(source, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self._check(manifest)

    def _restore(self, source: Path, *, force: bool) -> dict[str, Any]:
        manifest = backups.read_manifest(source)
        kind = backups.engine()
        if manifest["engine"] != kind:
            raise BackupError(
                f"the backup is of a {manifest['engine']} database; DATABASE_URL is {kind}"
            )
        entries, accounts = backups.database_counts()
        if (entries or accounts) and not force:
            raise BackupError(
                f"the database already holds data ({entries} audit entries, {accounts}"
                " accounts); restoring replaces all of it: add --force to do so"
            )
        connections.close_all()
        db_file = source / manifest["database_file"]
        if kind == "sqlite":
            backups.restore_sqlite(db_file)
        else:
            backups.restore_postgresql(db_file)
        backups.copy_media(source / backups.MEDIA_DIR, Path(settings.MEDIA_ROOT))
        connections.close_all()
        return manifest

    def _check(self, manifest: dict[str, Any]) -> None:
        expected = manifest["audit"]
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"restored, but the audit chain is broken at entry {report.broken_seq}:"
                f" {report.problem}"
            )
        seq, head_hash = head()
        if (seq, head_hash, report.entries) != (
            expected["seq"],
            expected["hash"],
            expected["entries"],
        ):
            raise CommandError(
                f"restored, but the audit head is {head_text(seq, head_hash)}"
                f" ({report.entries} entries);"
                f" the backup recorded {head_text(expected['seq'], expected['hash'])}"
                f" ({expected['entries']} entries)"
            )
        self.stdout.write(f"OK restored {report.entries} {head_text(seq, head_hash)}")
