"""`deskpemilu import_sirekap DIR_OR_FILE`: KPU Sirekap's per-TPS JSON, for the cross-check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskpemilu.portal.services import sirekap_import
from deskpemilu.portal.sirekap import PPWP_CHART_IDS, SirekapError, files_in_path, read_mapping
from deskpemilu.results.contests import contest_info


class Command(BaseCommand):
    help = (
        "Impor data per TPS yang diterbitkan KPU di Sirekap (JSON; satu berkas per TPS bernama "
        "<kode TPS>.json, sebuah direktori berisi berkas-berkas itu, atau .zip) untuk "
        "dibandingkan dengan angka desk yang terverifikasi. Suara paslon PPWP dibaca dari "
        "'chart' dengan id kandidat Sirekap 2024: 100025 → 1, 100026 → 2, 100027 → 3."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="direktori, berkas .json atau .zip")
        parser.add_argument("--kontes", default="ppwp", help="kode surat suara (bawaan: ppwp)")
        parser.add_argument(
            "--pemetaan",
            default="",
            help='berkas JSON {"<id chart Sirekap>": "<nomor pilihan>"} (bawaan: PPWP 2024)',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        contest = contest_info(options["kontes"])
        if contest is None:
            raise CommandError(f"Surat suara tidak dikenal: {options['kontes']}")
        mapping = PPWP_CHART_IDS if contest.code == "ppwp" else {}
        path = Path(options["path"])
        try:
            if options["pemetaan"]:
                mapping = read_mapping(Path(options["pemetaan"]).read_bytes())
            result = sirekap_import(
                actor=None,
                contest=contest,
                files=files_in_path(path),
                source=path.name or str(path),
                mapping=mapping,
            )
        except (SirekapError, OSError) as exc:
            raise CommandError(f"Impor dibatalkan: {exc}") from exc
        for problem in result.reading.problems:
            self.stderr.write(f"{problem.file}: {problem.message}")
        batch = result.batch
        self.stdout.write(
            f"Impor Sirekap {contest.code} selesai: {batch.files} berkas, {batch.tps_count} TPS "
            f"tersimpan, {batch.empty} belum berisi angka, {len(batch.problems)} bermasalah. "
            f"SHA-256 {batch.sha256}"
        )
