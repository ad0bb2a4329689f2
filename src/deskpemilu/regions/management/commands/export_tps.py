"""`deskpemilu export_tps [--pemilihan CODE]`: an election's TPS list (the active one's by
default) in the import format, so it round-trips with `import_tps --pemilihan CODE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from deskpemilu.core.heads import head_text
from deskpemilu.elections.models import Election
from deskpemilu.regions.models import Region, Tps
from deskpemilu.regions.services import EXPORT_FORMATS, ExportFormat, tps_export


class Command(BaseCommand):
    help = (
        "Ekspor daftar TPS (format yang sama dengan import_tps) ke FILE atau ke layar. "
        "Setiap ekspor dicatat dalam log audit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            choices=EXPORT_FORMATS,
            help="csv atau xlsx (bawaan: menurut akhiran -o, atau csv)",
        )
        parser.add_argument(
            "--region",
            default=settings.DESKPEMILU_INSTALLATION_REGION,
            help="kode wilayah (bawaan: wilayah instalasi)",
        )
        parser.add_argument("-o", "--output", help="berkas tujuan (bawaan: layar, hanya CSV)")
        parser.add_argument(
            "--pemilihan",
            default="",
            help="kode pemilihan (pemilu2024, pilkada2024); bawaan: pemilihan yang aktif",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]) if options["output"] else None
        fmt = _format(options["format"], output)
        code = str(options["region"]).replace(".", "").strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(_("Wilayah %s tidak ada.") % code)
        if fmt == "xlsx" and output is None:
            raise CommandError(_("XLSX harus ditulis ke berkas: tambahkan -o FILE.xlsx"))
        election = options["pemilihan"]
        if election and not Election.objects.filter(code=election[:20]).exists():
            raise CommandError(_("Pemilihan %s tidak dikenal.") % election)
        tps = Tps.every.filter(election_id=election) if election else Tps.objects.all()
        export = tps_export(
            actor=None, region=region, tps=tps, fmt=fmt, source="command", election=election or ""
        )
        if output is None:
            self.stdout.write(export.content.decode("utf-8"), ending="")
            return
        try:
            output.write_bytes(export.content)
        except OSError as exc:
            raise CommandError(
                _("Berkas tidak dapat ditulis: %(path)s (%(why)s)")
                % {"path": output, "why": exc.strerror}
            ) from exc
        self.stdout.write(
            _("%(rows)s TPS ditulis ke %(path)s. SHA-256 %(sha256)s. Kepala rantai audit %(head)s")
            % {
                "rows": export.rows,
                "path": output,
                "sha256": export.sha256,
                "head": head_text(export.audit_seq, export.audit_head),
            }
        )


def _format(chosen: str | None, output: Path | None) -> ExportFormat:
    if chosen:
        return cast(ExportFormat, chosen)
    if output is not None and output.suffix.lower() == ".xlsx":
        return "xlsx"
    return "csv"
