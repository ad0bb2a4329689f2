"""`deskpemilu import_tps FILE [--pemilihan CODE]`: the TPS list from KPU (CSV or XLSX) of an
election (the active one by default), all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from deskpemilu.elections.models import Election
from deskpemilu.regions.services import tps_import
from deskpemilu.regions.tps_file import TpsFileError


class Command(BaseCommand):
    help = (
        "Impor daftar TPS dari FILE (.csv UTF-8 berkoma atau .xlsx) dengan header "
        "kode_tps,nomor,alamat,dpt_l,dpt_p,lat,lon, sebagai TPS satu pemilihan "
        "(--pemilihan, bawaan: yang aktif). Semua baris atau tidak sama sekali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas .csv atau .xlsx")
        parser.add_argument(
            "--pemilihan",
            default="",
            help="kode pemilihan (pemilu2024, pilkada2024); bawaan: pemilihan yang aktif",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["pemilihan"]
        election = Election.objects.filter(code=code[:20]).first() if code else None
        if code and election is None:
            known = ", ".join(Election.objects.values_list("code", flat=True))
            raise CommandError(
                _("Pemilihan %(code)s tidak dikenal (ada: %(known)s).")
                % {"code": code, "known": known}
            )
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Berkas tidak dapat dibaca: %(path)s (%(why)s)")
                % {"path": path, "why": exc.strerror}
            ) from exc
        # The bar goes to the stream under Django's wrapper, which would add a newline to
        # each of tqdm's carriage-return updates.
        bar = _ProgressBar(cast(TextIO, self.stdout._out) if self.stdout.isatty() else None)
        try:
            result = tps_import(
                actor=None,
                name=path.name,
                data=data,
                source="command",
                election=election,
                progress=bar.update,
                total=bar.start,
            )
        except TpsFileError as exc:
            bar.close()
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Impor %(file)s dibatalkan (%(n)s masalah); tidak ada data yang diubah.")
                % {"file": path.name, "n": len(exc.problems)}
            ) from exc
        bar.close()
        self.stdout.write(
            _(
                "Impor %(file)s selesai: %(created)s TPS baru, %(updated)s diubah, "
                "%(unchanged)s tidak berubah. SHA-256 %(sha256)s"
            )
            % {
                "file": path.name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "sha256": result.sha256,
            }
        )


class _ProgressBar:
    """A tqdm bar on a terminal only: piped or logged output stays free of control codes."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.bar: tqdm[Any] | None = None

    def start(self, total: int) -> None:
        if self.stream is not None:
            self.bar = tqdm(total=total, unit="TPS", desc="Impor", file=self.stream, leave=False)

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
