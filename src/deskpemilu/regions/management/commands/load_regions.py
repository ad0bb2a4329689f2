"""`deskpemilu load_regions FILE [--batas GEOJSON]`: the regions of another kota/kabupaten (or
province, or the country) from a Kemendagri-coded file, all rows or none; running it again
changes nothing. The format is in regions.region_file and the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from deskpemilu.regions.region_file import RegionFileError
from deskpemilu.regions.services import regions_load


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(
            _("Berkas tidak dapat dibaca: %(path)s (%(why)s)") % {"path": path, "why": exc.strerror}
        ) from exc


class Command(BaseCommand):
    help = (
        "Muat wilayah (provinsi, kab/kota, kecamatan, kelurahan/desa) dari FILE (.csv UTF-8 atau "
        ".xlsx) berheader code,name,level[,parent_code] dengan kode Kemendagri; batas wilayah "
        "GeoJSON opsional. Semua baris atau tidak sama sekali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas wilayah .csv atau .xlsx")
        parser.add_argument(
            "--batas",
            "--boundaries",
            dest="boundaries",
            help="GeoJSON FeatureCollection, properties.code = kode wilayah (opsional)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        data = _read(path)
        shapes = _read(Path(options["boundaries"])) if options["boundaries"] else None
        try:
            result = regions_load(actor=None, name=path.name, data=data, boundaries=shapes)
        except RegionFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Muat %(file)s dibatalkan (%(n)s masalah); tidak ada data yang diubah.")
                % {"file": path.name, "n": len(exc.problems)}
            ) from exc
        self.stdout.write(
            _(
                "Muat %(file)s selesai: %(created)s wilayah baru, %(renamed)s berganti nama, "
                "%(unchanged)s tidak berubah, %(boundaries)s batas diubah. SHA-256 %(sha256)s"
            )
            % {
                "file": path.name,
                "created": result.created,
                "renamed": result.renamed,
                "unchanged": result.unchanged,
                "boundaries": result.boundaries,
                "sha256": result.sha256,
            }
        )
