"""Build a SYNTHETIC national dataset for the scale benchmark: the real number of TPS (823,220 by
default) in a region tree shaped like Indonesia's (38 provinces, ~514 kab/kota, ~7,277 kecamatan,
~83,763 desa/kelurahan), with a full PPWP result, every sheet verified, and the rollups.

Names are synthetic ("Kabupaten Sintetis 1101"); only the province codes are real. Meant for an
empty benchmark database, never for the desk's own: it refuses a database that has TPS already.

    deskpemilu generate_national [--tps 823220]
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from deskpemilu.accounts.models import Role, User
from deskpemilu.audit.services import record_many
from deskpemilu.regions.models import Level, Region, Tps
from deskpemilu.results.digest import CONTENT_KEY, NUMBERS_KEY, content_digest, numbers_hash
from deskpemilu.results.models import (
    RollupKind,
    Sheet,
    SheetStatus,
    SheetVersion,
    Verification,
    VerificationOutcome,
)
from deskpemilu.results.rollups import ensure_rows
from deskpemilu.results.setup import election_load
from deskpemilu.results.synthetic import ppwp_sheet

PROVINCES = [
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    21,
    31,
    32,
    33,
    34,
    35,
    36,
    51,
    52,
    53,
    61,
    62,
    63,
    64,
    65,
    71,
    72,
    73,
    74,
    75,
    76,
    81,
    82,
    91,
    92,
    93,
    94,
    95,
    96,
]
KAB_PER_PROVINCE = 514 / 38
KEC_PER_KAB = 7277 / 514
DESA_PER_KEC = 83763 / 7277
BATCH = 5000
SHEET_SQL = (
    "INSERT INTO results_sheet (id, tps_id, contest_id, current_id, status, flags,"
    " flag_codes, updated_at) VALUES (%s, %s, 'ppwp', %s, %s, '[]', '', %s)"
)
VERSION_SQL = (
    "INSERT INTO results_sheetversion (id, sheet_id, number, administrasi, suara,"
    " catatan, confirmed_inconsistent, flags, author_id, created_at, source, reason,"
    " idempotency_key, request_sha256, content_sha256) VALUES (%s, %s, 1, %s, %s, '',"
    " %s, '[]', %s, %s, 'import', '', '', '', %s)"
)
VERIFICATION_SQL = (
    "INSERT INTO results_verification (id, version_id, verifier_id, method, outcome,"
    " entry, differences, photos, note, at) VALUES (%s, %s, %s, 'blind', 'cocok', NULL,"
    " '[]', '[]', '', %s)"
)
ROLLUP_SQL = (
    "INSERT INTO results_rollup (region_id, contest_id, kind, totals, suara_sah,"
    " suara_tidak_sah, surat_suara_digunakan, pemilih_dpt, tps_reported, updated_at)"
    " VALUES (%s, 'ppwp', %s, %s, %s, %s, %s, %s, %s, %s)"
    # The loaded election made every row empty already (rollups.ensure_rows): fill them.
    " ON CONFLICT (region_id, contest_id, kind) DO UPDATE SET totals = excluded.totals,"
    " suara_sah = excluded.suara_sah, suara_tidak_sah = excluded.suara_tidak_sah,"
    " surat_suara_digunakan = excluded.surat_suara_digunakan,"
    " pemilih_dpt = excluded.pemilih_dpt, tps_reported = excluded.tps_reported,"
    " updated_at = excluded.updated_at"
)


class Command(BaseCommand):
    help = "Build the synthetic national benchmark dataset (regions, TPS, a full PPWP result)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tps", type=int, default=823_220)
        parser.add_argument("--seed", type=int, default=14022024)

    def handle(self, *args: Any, **options: Any) -> None:
        if Tps.objects.exists():
            raise CommandError("this database has TPS already; use an empty benchmark database")
        started = time.monotonic()
        rng = random.Random(options["seed"])
        show = sys.stdout.isatty()
        regions, desa_codes = self.region_tree(rng, options["tps"])
        tps_codes = self.plan_tps(rng, desa_codes, options["tps"])
        self.counts(regions, tps_codes)
        self.insert_regions(regions)
        self.phase("regions", started)
        self.make_tps(tps_codes, show)
        self.phase("tps", started)
        self.load_contest()
        self.make_result(rng, tps_codes, show)
        with transaction.atomic():
            ensure_rows()  # the held rows (and any region without sheets): writes find them all
        self.phase("ppwp", started)
        self.stdout.write(
            f"OK {len(tps_codes)} TPS, {len(regions)} regions in {time.monotonic() - started:.1f} s"
        )

    def phase(self, name: str, started: float) -> None:
        self.stderr.write(f"  {name} done at {time.monotonic() - started:.1f} s")

    def region_tree(self, rng: random.Random, tps_total: int) -> tuple[list[Region], list[str]]:
        regions: list[Region] = []
        desa: list[str] = []
        for p in PROVINCES:
            code = f"{p}"
            regions.append(Region(code=code, name=f"Provinsi Sintetis {p}", level=Level.PROVINSI))
            for k in range(1, max(1, round(rng.gauss(KAB_PER_PROVINCE, 4))) + 1):
                kab = f"{code}{k:02d}"
                regions.append(
                    Region(
                        code=kab,
                        name=f"Kabupaten Sintetis {kab}",
                        level=Level.KABUPATEN,
                        parent_id=code,
                    )
                )
                for c in range(1, max(1, round(rng.gauss(KEC_PER_KAB, 4))) + 1):
                    kec = f"{kab}{c:02d}"
                    regions.append(
                        Region(
                            code=kec,
                            name=f"Kecamatan Sintetis {kec}",
                            level=Level.KECAMATAN,
                            parent_id=kab,
                        )
                    )
                    for d in range(1, max(1, round(rng.gauss(DESA_PER_KEC, 3))) + 1):
                        code_d = f"{kec}{2000 + d:04d}"
                        regions.append(
                            Region(
                                code=code_d,
                                name=f"Desa Sintetis {code_d}",
                                level=Level.DESA,
                                parent_id=kec,
                            )
                        )
                        desa.append(code_d)
        return regions, desa

    def plan_tps(
        self, rng: random.Random, desa: list[str], total: int
    ) -> list[tuple[str, int, int]]:
        """(code, dpt_l, dpt_p) of every TPS, spread over the desa as evenly as possible."""
        base, extra = divmod(total, len(desa))
        codes: list[tuple[str, int, int]] = []
        for i, d in enumerate(desa):
            for n in range(1, base + (1 if i < extra else 0) + 1):
                dpt = rng.randint(150, 300)
                codes.append((f"{d}{n:03d}", dpt // 2, dpt - dpt // 2))
        return codes

    def make_tps(self, codes: list[tuple[str, int, int]], show: bool) -> None:
        # executemany: bulk_create's per-batch overhead would dominate at 800k rows.
        sql = (
            "INSERT INTO regions_tps (code, election_id, kelurahan_id, number, address, dpt_l,"
            " dpt_p, lat, lon, is_demo) VALUES (%s, 'pemilu2024', %s, %s, '', %s, %s, NULL, NULL,"
            " %s)"
        )
        bar = tqdm(total=len(codes), desc="TPS", disable=not show, unit="tps")
        for start in range(0, len(codes), BATCH):
            chunk = codes[start : start + BATCH]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(
                    sql, [(c, c[:10], int(c[10:]), dl, dp, True) for c, dl, dp in chunk]
                )
            bar.update(len(chunk))
        bar.close()

    @staticmethod
    def counts(regions: list[Region], codes: list[tuple[str, int, int]]) -> None:
        """Region TPS and DPT counts, summed here before the regions are written."""
        sums: dict[str, list[int]] = {}
        for code, dpt_l, dpt_p in codes:
            for n in (2, 4, 6, 10):
                row = sums.setdefault(code[:n], [0, 0, 0])
                row[0] += 1
                row[1] += dpt_l
                row[2] += dpt_p
        for region in regions:
            region.tps_count, region.dpt_l, region.dpt_p = sums.get(region.code, [0, 0, 0])

    def load_contest(self) -> None:
        election_load(
            actor=None,
            data={
                "name": "Pemilu 2024 (sintetis nasional)",
                "parties": [],
                "contests": [
                    {
                        "code": "ppwp",
                        "name": "Presiden dan Wakil Presiden",
                        "short_name": "PPWP",
                        "kind": "paslon",
                        "order": 1,
                        "dapil": [
                            {
                                "code": "nasional",
                                "name": "Nasional",
                                "seats": 1,
                                "regions": [str(p) for p in PROVINCES],
                                "choices": [
                                    ["1", "Paslon 1"],
                                    ["2", "Paslon 2"],
                                    ["3", "Paslon 3"],
                                ],
                            }
                        ],
                    }
                ],
            },
        )

    def make_result(
        self, rng: random.Random, codes: list[tuple[str, int, int]], show: bool
    ) -> None:
        author, _ = User.objects.get_or_create(
            username="generator_nasional", defaults={"role": Role.ADMIN}
        )
        checker, _ = User.objects.get_or_create(
            username="pemeriksa_nasional", defaults={"role": Role.VERIFIER}
        )
        now = timezone.now()
        totals: dict[str, dict[str, Any]] = {}
        bar = tqdm(total=len(codes), desc="PPWP", disable=not show, unit="lembar")
        # Ids are given here (the database is empty), so a sheet can name its version at once;
        # the foreign keys are checked at commit.
        for start in range(0, len(codes), BATCH):
            chunk = codes[start : start + BATCH]
            sheets, versions, checks, entries = [], [], [], []
            for i, (code, dpt_l, dpt_p) in enumerate(chunk, start=start + 1):
                administrasi, suara = self.sheet(rng, dpt_l, dpt_p)
                sheets.append((i, code, i, SheetStatus.VERIFIED, now))
                checks.append((i, i, checker.pk, now))
                entries.append(self.audit_entry(code, administrasi, suara, author.pk))
                versions.append(
                    (
                        i,
                        i,
                        json.dumps(administrasi),
                        json.dumps(suara),
                        False,
                        author.pk,
                        now,
                        numbers_hash(administrasi, suara),
                    )
                )
                self.add(totals, code, administrasi, suara)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(SHEET_SQL, sheets)
                cursor.executemany(VERSION_SQL, versions)
                cursor.executemany(VERIFICATION_SQL, checks)
                record_many(actor=None, actor_name="command:generate_national", entries=entries)
            bar.update(len(chunk))
        bar.close()
        self.reset_sequences()
        self.insert_rollups(totals, now)

    @staticmethod
    def insert_rollups(totals: dict[str, dict[str, Any]], now: datetime) -> None:
        """The provisional and verified rollups of every region: all sheets are verified."""
        rows = [
            (
                code,
                kind,
                json.dumps(dict(t["suara"])),
                t["sah"],
                t["tidak_sah"],
                t["digunakan"],
                t["dpt"],
                t["n"],
                now,
            )
            for code, t in totals.items()
            for kind in (RollupKind.PROVISIONAL, RollupKind.VERIFIED)
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(ROLLUP_SQL, rows)

    @staticmethod
    def audit_entry(
        code: str, administrasi: dict[str, int], suara: dict[str, int], author_id: int
    ) -> tuple[str, str, str, dict[str, Any]]:
        """What a version and its verification would have recorded (verify_audit checks the
        dataset like any other): the content hash and the verification's outcome."""
        content = content_digest(
            contest="ppwp",
            tps=code,
            number=1,
            administrasi=administrasi,
            suara=suara,
            confirmed=False,
            catatan="",
            author_id=author_id,
            request_sha256="",
        )
        payload = {
            "version": 1,
            NUMBERS_KEY: numbers_hash(administrasi, suara),
            CONTENT_KEY: content,
            "verification": VerificationOutcome.MATCH,
        }
        return "sheet.generate", "sheet", f"ppwp/{code}", payload

    @staticmethod
    def insert_regions(regions: list[Region]) -> None:
        sql = (
            # election_counts empty: the columns are Pemilu 2024's, the only election here.
            "INSERT INTO regions_region (code, name, level, parent_id, tps_count, dpt_l, dpt_p,"
            " election_counts, boundary, label_lat, label_lon) VALUES (%s, %s, %s, %s, %s, %s,"
            " %s, '{}', NULL, NULL, NULL)"
        )
        rows = [
            (r.code, r.name, r.level, r.parent_id, r.tps_count, r.dpt_l, r.dpt_p) for r in regions
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    @staticmethod
    def reset_sequences() -> None:
        models = [Sheet, SheetVersion, Verification]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    @staticmethod
    def sheet(rng: random.Random, dpt_l: int, dpt_p: int) -> tuple[dict[str, int], dict[str, int]]:
        body = ppwp_sheet(
            dpt_l,
            dpt_p,
            invalid=rng.randint(0, 5),
            shares_pct=(rng.randint(20, 33), rng.randint(33, 50)),
        )
        return body["administrasi"], body["suara"]

    @staticmethod
    def add(
        totals: dict[str, dict[str, Any]], code: str, a: dict[str, int], suara: dict[str, int]
    ) -> None:
        for n in (2, 4, 6, 10):
            t = totals.setdefault(
                code[:n],
                {"suara": Counter(), "sah": 0, "tidak_sah": 0, "digunakan": 0, "dpt": 0, "n": 0},
            )
            t["suara"].update(suara)
            t["sah"] += a["suara_sah"]
            t["tidak_sah"] += a["suara_tidak_sah"]
            t["digunakan"] += a["surat_suara_digunakan"]
            t["dpt"] += a["pemilih_dpt_l"] + a["pemilih_dpt_p"]
            t["n"] += 1
