"""Shared bits of the readiness tests."""

from __future__ import annotations

import json

from deskpemilu.readiness.models import ChecklistItem

PEJERUK_TPS = "5271011006001"  # the lurah's kelurahan
PEJERUK_TPS_2 = "5271011006002"
AMPENAN_SELATAN_TPS = "5271011004001"  # the operator's; outside the lurah's
SANDUBAYA_TPS = "5271061001001"  # the camat's kecamatan


def all_siap(**overrides: dict) -> dict:
    items = {}
    for item in ChecklistItem.objects.filter(is_active=True):
        entry: dict = {"status": "siap"}
        if item.needs_quantity:
            entry["jumlah"] = 1000
        items[item.code] = entry
    items.update(overrides)
    return {"items": items}


def put(client, tps_code: str, body) -> object:
    return client.put(
        f"/api/v1/readiness/{tps_code}",
        data=json.dumps(body) if not isinstance(body, str) else body,
        content_type="application/json",
    )
