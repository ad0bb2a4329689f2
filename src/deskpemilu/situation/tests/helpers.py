"""A realistic election morning made through the API, as the desk's users make it: sheets
entered by the desk and verified by a second person, readiness reports, incidents, a health
incident and facilitation requests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from deskpemilu.readiness.models import ChecklistItem
from deskpemilu.regions.models import Tps
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps

AMPENAN_SELATAN = "5271011004"
PEJERUK = "5271011006"
CAKRANEGARA_TIMUR = "5271031006"


def tps_of(kelurahan: str, n: int) -> list[str]:
    return list(
        Tps.objects.filter(kelurahan_id=kelurahan)
        .order_by("code")
        .values_list("code", flat=True)[:n]
    )


def call(client: Client, method: str, url: str, body: Any = None) -> dict[str, Any]:
    response = getattr(client, method)(
        url, data=json.dumps(body) if body is not None else None, content_type="application/json"
    )
    assert response.status_code in (200, 201), (url, response.status_code, response.content)
    result: dict[str, Any] = response.json()
    return result


def enter(client: Client, tps: str, body: dict[str, Any], contest: str = "ppwp") -> None:
    stored = call(client, "put", f"/api/v1/results/{contest}/{tps}", body)
    if stored["version"] == 1:  # the first version: its operator adds the form photo
        attach_photo(client, contest, tps)


def verify(client: Client, tps: str, contest: str = "ppwp", version: int = 1) -> None:
    call(client, "post", f"/api/v1/results/{contest}/{tps}/verify", {"version": version})


def all_ready() -> dict[str, Any]:
    items: dict[str, Any] = {}
    for item in ChecklistItem.objects.filter(is_active=True):
        items[item.code] = {"status": "siap", **({"jumlah": 1000} if item.needs_quantity else {})}
    return {"items": items}


@dataclass
class Morning:
    verified: list[str] = field(default_factory=list)
    entered: list[str] = field(default_factory=list)
    ready: list[str] = field(default_factory=list)
    incidents: list[int] = field(default_factory=list)
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)


def election_morning(desk: Client, verifier: Client) -> Morning:
    """Sheets in two kecamatan (some verified), readiness, incidents of each severity, a
    health incident of a KPPS member, two facilitation requests."""
    m = Morning()
    for seed, tps in enumerate(tps_of(AMPENAN_SELATAN, 4) + tps_of(CAKRANEGARA_TIMUR, 2)):
        body = sheet_for_tps(tps, seed=seed)
        enter(desk, tps, body)
        m.bodies[tps] = body
        m.entered.append(tps)
    for tps in m.entered[:4]:
        verify(verifier, tps)
        m.verified.append(tps)
    enter(desk, m.entered[0], sheet_for_tps(m.entered[0], "dpr"), "dpr")
    for tps in tps_of(PEJERUK, 3):
        call(desk, "put", f"/api/v1/readiness/{tps}", all_ready())
        m.ready.append(tps)
    problem = tps_of(AMPENAN_SELATAN, 1)[0]
    call(
        desk,
        "put",
        f"/api/v1/readiness/{problem}",
        {"items": {"lokasi": {"status": "bermasalah", "catatan": "Tenda roboh"}}},
    )
    now = timezone.localtime()
    for severity, category, where in (
        ("kritis", "keamanan", m.entered[0]),
        ("tinggi", "listrik_jaringan", m.entered[4]),
        ("sedang", "logistik", tps_of(PEJERUK, 1)[0]),
        ("rendah", "lainnya", tps_of(PEJERUK, 2)[1]),
    ):
        made = call(
            desk,
            "post",
            "/api/v1/incidents",
            {
                "category": category,
                "severity": severity,
                "tps_code": where,
                "occurred_at": (now - timedelta(minutes=20)).isoformat(),
                "description": f"Kejadian {severity} di TPS {where[-3:]}",
            },
        )
        m.incidents.append(made["id"])
    call(
        desk,
        "post",
        "/api/v1/health/incidents",
        {
            "tps_code": m.entered[1],
            "person_role": "kpps",
            "condition": "dirawat",
            "occurred_at": now.isoformat(),
            "note": "Kelelahan setelah penghitungan",
        },
    )
    for kind, hours in (("kendaraan", 6), ("listrik", -2)):
        call(
            desk,
            "post",
            "/api/v1/requests",
            {
                "kind": kind,
                "description": f"Permintaan {kind} PPK",
                "region_code": AMPENAN_SELATAN,
                "needed_by": (now + timedelta(hours=hours)).isoformat(),
                "requested_by_agency": "kpu",
                "requested_by_unit": "PPK Ampenan",
            },
        )
    return m
