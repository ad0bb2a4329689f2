"""`deskpemilu import_kerawanan FILE`: the TPS vulnerability list (XLSX or CSV), all or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from deskpemilu.readiness.kerawanan_file import KerawananFileError, import_file


class Command(BaseCommand):
    help = (
        "Impor kerawanan TPS dari FILE (.xlsx atau .csv UTF-8) dengan header "
        "kode_tps,tingkat,alasan,petugas (boleh ditambah nama_petugas). "
        "Semua baris atau tidak sama sekali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas .xlsx atau .csv")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Berkas tidak dapat dibaca: %(path)s (%(why)s)")
                % {"path": path, "why": exc.strerror}
            ) from exc
        try:
            result = import_file(actor=None, name=path.name, data=data, source="command")
        except KerawananFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Impor %(file)s dibatalkan (%(n)s masalah); tidak ada data yang diubah.")
                % {"file": path.name, "n": len(exc.problems)}
            ) from exc
        self.stdout.write(
            _("Impor %(file)s selesai: %(rows)s TPS, %(changed)s berubah, %(same)s tetap.")
            % {
                "file": path.name,
                "rows": result.rows,
                "changed": result.changed,
                "same": result.unchanged,
            }
        )
