"""The Kota Mataram seed: the regions with their boundaries, the demo TPS, the puskesmas and the
desk's agencies. Running it again changes nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from deskpemilu.audit.services import record
from deskpemilu.elections.models import Election
from deskpemilu.regions.models import Level, Puskesmas, Region, Tps
from deskpemilu.regions.services import apply_rows, recount_regions, undotted
from deskpemilu.regions.tps_file import parse_rows, read_cells

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

DATA_DIR = Path(__file__).resolve().parent / "data"
# The labelled demo TPS of each shipped election, until KPU's list is imported
# (`import_tps --pemilihan CODE`): Pemilu 2024's 1,248 and Pilkada 2024's 581 (DPT 320,604).
DEMO_TPS = [
    ("pemilu2024", DATA_DIR / "mataram_tps_demo.csv"),
    ("pilkada2024", DATA_DIR.parent.parent / "results" / "data" / "pilkada2024_tps_demo.csv"),
]
LEVELS = {
    "provinsi": Level.PROVINSI,
    "kota": Level.KOTA,
    "kabupaten": Level.KABUPATEN,
    "kecamatan": Level.KECAMATAN,
    "kelurahan": Level.KELURAHAN,
    "desa": Level.DESA,
}

# The agencies of the desk: the liaison bodies of CONTRACT.md and the city's own OPD.
DEFAULT_AGENCIES = [
    ("tni", "TNI (Kodim 1606/Mataram)", "liaison"),
    ("polri", "Polri (Polresta Mataram)", "liaison"),
    ("kpu", "KPU Kota Mataram", "liaison"),
    ("bawaslu", "Bawaslu Kota Mataram", "liaison"),
    ("dinkes", "Dinas Kesehatan Kota Mataram", "liaison"),
    ("bpbd", "BPBD Kota Mataram", "liaison"),
    ("satpol-pp", "Satpol PP Kota Mataram", "liaison"),
    ("bagian-pemerintahan", "Bagian Pemerintahan Setda Kota Mataram", "opd"),
    ("kesbangpol", "Badan Kesbangpol Kota Mataram", "opd"),
    ("diskominfo", "Dinas Komunikasi dan Informatika Kota Mataram", "opd"),
    ("dishub", "Dinas Perhubungan Kota Mataram", "opd"),
    ("dinas-pupr", "Dinas PUPR Kota Mataram", "opd"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil Kota Mataram", "opd"),
]


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _boundaries() -> dict[str, dict[str, Any]]:
    shapes: dict[str, dict[str, Any]] = {}
    for name in ("mataram_kota.geojson", "mataram_kecamatan.geojson", "mataram_kelurahan.geojson"):
        geo = json.loads((DATA_DIR / "geo" / name).read_text(encoding="utf-8"))
        for feature in geo["features"]:
            props = feature.get("properties") or {}
            code = undotted(str(props.get("code") or feature.get("id") or ""))
            shapes[code] = {
                "geometry": feature["geometry"],
                "lat": props.get("label_lat"),
                "lon": props.get("label_lng"),
            }
    return shapes


def _seed_regions() -> int:
    shapes = _boundaries()
    created = 0
    for row in _read_csv("mataram_wilayah.csv"):
        code = undotted(row["code"])
        shape = shapes.get(code, {})
        _, was_created = Region.objects.get_or_create(
            code=code,
            defaults={
                "name": row["name"],
                "level": LEVELS[row["level"]],
                "parent_id": undotted(row["parent_code"]) or None,
                "boundary": shape.get("geometry"),
                "label_lat": shape.get("lat"),
                "label_lon": shape.get("lon"),
            },
        )
        created += int(was_created)
    return created


def _seed_puskesmas() -> int:
    kelurahan_to_kecamatan = {
        r.name.lower(): r.parent_id for r in Region.objects.filter(level=Level.KELURAHAN)
    }
    created = 0
    for row in _read_csv("mataram_puskesmas.csv"):
        kecamatan = undotted(row["kecamatan_code"])
        note = ""
        if not kecamatan:
            kecamatan = kelurahan_to_kecamatan.get(row["kelurahan_of_address"].lower(), "") or ""
            note = "Kecamatan belum pasti (alamat dan nama menunjuk kecamatan berbeda); periksa."
        slug = row["name"].lower().replace("puskesmas ", "").replace(" ", "-")
        _, was_created = Puskesmas.objects.get_or_create(
            code=slug,
            defaults={
                "name": row["name"],
                "kecamatan_id": kecamatan or None,
                "address": row["address_as_given"],
                "lat": float(row["lat"]) if row["lat"] else None,
                "lon": float(row["lon"]) if row["lon"] else None,
                "note": note,
            },
        )
        created += int(was_created)
    return created


def _seed_agencies() -> int:
    from deskpemilu.accounts.models import Agency

    created = 0
    for slug, name, kind in DEFAULT_AGENCIES:
        _, was_created = Agency.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        created += int(was_created)
    return created


def seed_mataram(*, actor: User | None) -> dict[str, int]:
    """Load the default Kota Mataram dataset. Running it again changes nothing."""
    with transaction.atomic():
        regions = _seed_regions()
        tps = 0
        for election, demo_file in DEMO_TPS:
            # Each election's own set, loaded once: a set already there (demo or KPU's own
            # list, imported with import_tps) is left as it is.
            if (
                Election.objects.filter(code=election).exists()
                and not Tps.every.filter(election_id=election, code__startswith="5271").exists()
            ):
                rows = parse_rows(read_cells(demo_file.name, demo_file.read_bytes()))
                created, _updated, _same = apply_rows(
                    rows, demo=True, progress=None, election=election
                )
                tps += created
        if tps:
            recount_regions()
        puskesmas = _seed_puskesmas()
        agencies = _seed_agencies()
        counts = {"regions": regions, "tps": tps, "puskesmas": puskesmas, "agencies": agencies}
        if any(counts.values()):
            record(
                actor=actor,
                action="seed.mataram",
                object_type="dataset",
                object_id="5271",
                payload=counts,
            )
    return counts
