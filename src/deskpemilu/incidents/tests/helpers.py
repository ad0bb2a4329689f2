"""Helpers of the incident tests: a report body, and posting JSON."""

from __future__ import annotations

import json
from typing import Any

PEJERUK_TPS = "5271011006001"  # TPS 001 of Pejeruk, the lurah's kelurahan
PEJERUK = "5271011006"
AMPENAN_SELATAN = "5271011004"
SANDUBAYA_KEL = "5271061001"


def body(**overrides: Any) -> dict[str, Any]:
    data = {
        "category": "keamanan",
        "severity": "tinggi",
        "tps_code": PEJERUK_TPS,
        "occurred_at": "2024-02-14T08:15:00+08:00",
        "description": "Kerumunan massa di depan TPS, pemungutan suara tertunda.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client: Any, url: str, data: Any, **headers: str) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", headers=headers)


def report(client: Any, **overrides: Any) -> dict[str, Any]:
    response = post(client, "/api/v1/incidents", body(**overrides))
    assert response.status_code == 201, response.content
    return response.json()


def step(client: Any, incident_id: int, **data: Any) -> Any:
    headers = {}
    if "if_match" in data:
        headers["If-Match"] = str(data.pop("if_match"))
    return post(client, f"/api/v1/incidents/{incident_id}/events", data, **headers)
