"""Reads of the region tree. Callers fetch the region itself through the access helpers."""

from __future__ import annotations

from typing import Any

from deskpemilu.regions.models import Level, Region, Tps


def region_with_children(region: Region) -> dict[str, Any]:
    if region.level in (Level.KELURAHAN, Level.DESA):
        tps_rows = Tps.objects.filter(kelurahan=region).only(
            "code", "number", "dpt_l", "dpt_p", "is_demo"
        )
        children = [
            {
                "code": t.code,
                "name": f"TPS {t.number:03d}",
                "level": "tps",
                "tps_count": 1,
                "dpt": t.dpt,
            }
            for t in tps_rows
        ]
        demo = any(t.is_demo for t in tps_rows)
    else:
        children = [
            {
                "code": c.code,
                "name": c.name,
                "level": c.level,
                "tps_count": c.tps_count,
                "dpt": c.dpt,
            }
            for c in region.children.all()
        ]
        demo = Tps.objects.filter(code__startswith=region.code, is_demo=True).exists()
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "tps_count": region.tps_count,
        "dpt": region.dpt,
        "dpt_is_demo": demo,
        "children": children,
    }


def tps_as_dict(tps: Tps) -> dict[str, Any]:
    return {
        "code": tps.code,
        "number": tps.number,
        "kelurahan": tps.kelurahan_id,
        "kelurahan_name": tps.kelurahan.name,
        "dpt": tps.dpt,
        "dpt_l": tps.dpt_l,
        "dpt_p": tps.dpt_p,
        "address": tps.address,
        "lat": tps.lat,
        "lon": tps.lon,
        "is_demo": tps.is_demo,
    }
