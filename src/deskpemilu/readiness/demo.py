"""The demo's TPS kerawanan: a plausible, labelled distribution (most TPS tidak rawan), as a
Polresta mapping before voting day might give. Made up for the demo: every reason says so."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from deskpemilu.readiness import kerawanan
from deskpemilu.readiness.models import TpsKerawanan
from deskpemilu.regions.models import Tps

# Shares of the demo (per mille of TPS): about 3% sangat rawan, 12% rawan, the rest tidak rawan.
SANGAT_RAWAN_PER_MILLE = 30
RAWAN_PER_MILLE = 150
# Officers posted: four at a sangat rawan TPS (Pilkada 2024, Mataram), two at a rawan one, one
# (shared with the next TPS) elsewhere.
OFFICERS = {"sangat_rawan": 4, "rawan": 2, "tidak_rawan": 1}
REASONS = {
    "sangat_rawan": (
        "(demo) Riwayat bentrok antarpendukung pada pemilihan sebelumnya",
        "(demo) Lokasi di kawasan rawan konflik antarkampung",
        "(demo) Akses sulit dan jauh dari pos polisi",
    ),
    "rawan": (
        "(demo) Dekat lokasi kampanye dan pusat keramaian",
        "(demo) Rawan banjir saat hujan deras",
        "(demo) Banyak pemilih pindahan (DPTb)",
        "(demo) Pernah ada keberatan saksi saat penghitungan",
    ),
    "tidak_rawan": ("",),
}


def _draw(code: str) -> int:
    """A stable number 0–999 per TPS, so the demo is the same on every machine."""
    return int(hashlib.sha256(code.encode()).hexdigest()[:8], 16) % 1000


def _row(line: int, code: str) -> kerawanan.ImportRow:
    draw = _draw(code)
    if draw < SANGAT_RAWAN_PER_MILLE:
        level = "sangat_rawan"
    elif draw < SANGAT_RAWAN_PER_MILLE + RAWAN_PER_MILLE:
        level = "rawan"
    else:
        level = "tidak_rawan"
    reasons = REASONS[level]
    value = kerawanan.KerawananInput(level, reasons[draw % len(reasons)], OFFICERS[level])
    return kerawanan.ImportRow(line, code, value)


def seed_kerawanan_demo() -> str:
    """Map every demo TPS once; nothing when any TPS already has a level (real or demo)."""
    if TpsKerawanan.objects.exists():
        return ""
    keys = Tps.objects.filter(is_demo=True).order_by("code").values_list("code", flat=True)
    codes = [key.partition("@")[0] for key in keys]  # the KPU codes the import reads
    if not codes:
        return ""
    rows = [_row(i, code) for i, code in enumerate(codes, start=1)]
    kerawanan.kerawanan_import(actor=None, rows=rows, source="demo", file_name="demo")
    counts = {level: sum(1 for r in rows if r.value.tingkat == level) for level in kerawanan.LEVELS}
    return _(
        "Kerawanan TPS demo: %(sangat)s sangat rawan, %(rawan)s rawan, %(tidak)s tidak rawan."
    ) % {
        "sangat": counts["sangat_rawan"],
        "rawan": counts["rawan"],
        "tidak": counts["tidak_rawan"],
    }
