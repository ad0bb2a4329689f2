"""/api/v1/kerawanan and /api/v1/tps/{code}/kerawanan: TPS vulnerability. Thin: check access,
parse, call readiness.kerawanan."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest
from ninja import Router, Schema

from deskpemilu.accounts.access import get_region_for, get_tps_for, home_region_code
from deskpemilu.accounts.models import User
from deskpemilu.core.errors import ApiError
from deskpemilu.core.rules import api_rule
from deskpemilu.readiness import kerawanan
from deskpemilu.readiness.models import KerawananEntry, TpsKerawanan
from deskpemilu.regions.models import Region

router = Router(tags=["kerawanan"])
MAX_PER_PAGE = 500
BODY_KEYS = {"tingkat", "alasan", "petugas", "nama_petugas"}


class KerawananOut(Schema):
    tps: str
    tps_number: int
    kelurahan: str
    kelurahan_name: str
    kecamatan: str
    tingkat: str
    tingkat_label: str
    alasan: str
    petugas: int
    nama_petugas: list[str]
    updated_at: datetime
    updated_by: str


class KerawananListOut(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    counts: dict[str, int]
    items: list[KerawananOut]


class KerawananHistoryOut(Schema):
    at: datetime
    tingkat: str
    alasan: str
    petugas: int
    nama_petugas: list[str]
    actor: str
    source: str


class TpsKerawananOut(Schema):
    tps: str
    tingkat: str | None
    alasan: str
    petugas: int
    nama_petugas: list[str]
    updated_at: datetime | None
    history: list[KerawananHistoryOut]


class KerawananSetOut(Schema):
    tps: str
    tingkat: str
    alasan: str
    petugas: int
    nama_petugas: list[str]
    updated_at: datetime
    changed: bool


BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["tingkat"],
                    "additionalProperties": False,
                    "properties": {
                        "tingkat": {"type": "string", "enum": kerawanan.LEVELS},
                        "alasan": {
                            "type": "string",
                            "maxLength": kerawanan.MAX_ALASAN,
                            "description": "required for rawan and sangat_rawan",
                        },
                        "petugas": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": kerawanan.MAX_PETUGAS,
                            "description": "officers posted at the TPS",
                        },
                        "nama_petugas": {
                            "type": "array",
                            "maxItems": kerawanan.MAX_NAMES,
                            "items": {"type": "string", "maxLength": kerawanan.MAX_NAME},
                        },
                    },
                },
                "example": {
                    "tingkat": "sangat_rawan",
                    "alasan": "Riwayat konflik antarpendukung pada Pilkada 2018",
                    "petugas": 4,
                },
            }
        },
    }
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _area(request: HttpRequest, kecamatan: str, kelurahan: str) -> Region | None:
    """The narrowest area asked for, inside the caller's scope (404 outside it)."""
    user = _user(request)
    for code, field, length in ((kelurahan, "kelurahan", 10), (kecamatan, "kecamatan", 6)):
        if not code:
            continue
        if len(code) != length:
            raise ApiError(422, "kode_tidak_valid", f"{field}: a {length}-digit code", field=field)
        if kecamatan and kelurahan and not kelurahan.startswith(kecamatan):
            raise ApiError(
                422, "wilayah_tidak_cocok", "kelurahan is not in kecamatan", field="kelurahan"
            )
        return get_region_for(user, code)
    return None


def _row(k: TpsKerawanan) -> dict[str, Any]:
    actor = k.entry.actor
    return {
        "tps": k.tps_id,
        "tps_number": k.tps.number,
        "kelurahan": k.tps.kelurahan_id,
        "kelurahan_name": k.tps.kelurahan.name,
        "kecamatan": k.tps_id[:6],
        "tingkat": k.tingkat,
        "tingkat_label": kerawanan.label(k.tingkat),
        "alasan": k.alasan,
        "petugas": k.petugas,
        "nama_petugas": list(k.nama_petugas),
        "updated_at": k.updated_at,
        "updated_by": actor.get_username() if actor else "",
    }


def _history_row(e: KerawananEntry) -> dict[str, Any]:
    return {
        "at": e.at,
        "tingkat": e.tingkat,
        "alasan": e.alasan,
        "petugas": e.petugas,
        "nama_petugas": list(e.nama_petugas),
        "actor": e.actor.get_username() if e.actor else "",
        "source": e.source,
    }


@router.get(
    "/kerawanan",
    response=KerawananListOut,
    summary="TPS vulnerability levels in the caller's scope (filters: kecamatan, kelurahan, level)",
    description=(
        "`level`: `tidak_rawan`, `rawan` or `sangat_rawan`. Lists the TPS that have a level; "
        "`counts` gives the TPS per level of the area, and `belum_dinilai` those without one."
    ),
)
@api_rule("scoped")
def kerawanan_list(
    request: HttpRequest,
    kecamatan: str = "",
    kelurahan: str = "",
    level: str = "",
    page: int = 1,
    per_page: int = 100,
) -> dict[str, Any]:
    if level and level not in kerawanan.LEVELS:
        raise ApiError(422, "tingkat_tidak_valid", "level: " + ", ".join(kerawanan.LEVELS), "level")
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ApiError(422, "halaman_tidak_valid", "page ≥ 1, 1 ≤ per_page ≤ 500", field="page")
    user = _user(request)
    area = _area(request, kecamatan, kelurahan)
    region = area or get_region_for(user, _top(user))
    qs = kerawanan.filtered(user, region=area, tingkat=level)
    qs = qs.select_related("tps__kelurahan", "entry__actor").order_by("tps_id")
    count = qs.count()
    start = (page - 1) * per_page
    items = list(qs[start : start + per_page]) if start < count else []
    return {
        "count": count,
        "page": page,
        "pages": max(1, math.ceil(count / per_page)),
        "per_page": per_page,
        "counts": kerawanan.counts(user, region),
        "items": [_row(k) for k in items],
    }


def _top(user: User) -> str:
    return home_region_code(user, settings.DESKPEMILU_INSTALLATION_REGION)


@router.get(
    "/tps/{tps_code}/kerawanan",
    response=TpsKerawananOut,
    summary="A TPS's vulnerability level and its history (newest first)",
)
@api_rule("scoped")
def tps_kerawanan(request: HttpRequest, tps_code: str) -> dict[str, Any]:
    tps = get_tps_for(_user(request), tps_code)
    current = kerawanan.level_of(tps)
    return {
        "tps": tps.code,
        "tingkat": current.tingkat if current else None,
        "alasan": current.alasan if current else "",
        "petugas": current.petugas if current else 0,
        "nama_petugas": list(current.nama_petugas) if current else [],
        "updated_at": current.updated_at if current else None,
        "history": [_history_row(e) for e in kerawanan.history(tps)],
    }


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(413, "terlalu_besar", "Body above 1 MB") from None
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "bukan_json", "The body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(422, "bukan_objek", "The body must be a JSON object")
    unknown = sorted(str(k) for k in body if k not in BODY_KEYS)
    if unknown:
        errors = [
            {"code": "kunci_tidak_dikenal", "field": k, "message": "Unknown key"} for k in unknown
        ]
        raise ApiError(422, "kunci_tidak_dikenal", "Unknown key", errors=errors)
    if "tingkat" not in body:
        raise ApiError(422, "kunci_wajib", "tingkat is required", field="tingkat")
    return body


@router.put(
    "/tps/{tps_code}/kerawanan",
    response=KerawananSetOut,
    summary="Set a TPS's vulnerability level (the desk, or a Polri or Bawaslu liaison; audited)",
    description="The same values again record nothing (`changed: false`). Other roles: 403.",
    openapi_extra=BODY_DOC,
)
@api_rule(kerawanan.API_RULE)
def tps_kerawanan_put(request: HttpRequest, tps_code: str) -> dict[str, Any]:
    user = _user(request)
    tps = get_tps_for(user, tps_code)
    if not kerawanan.may_set_kerawanan(user):
        raise PermissionDenied
    body = _body(request)
    names = body.get("nama_petugas", [])
    if not isinstance(names, list):
        raise ApiError(422, "bukan_daftar", "nama_petugas: a list of names", field="nama_petugas")
    result = kerawanan.set_kerawanan(
        actor=user,
        tps=tps,
        level=body["tingkat"],
        reason=body.get("alasan", ""),
        officers=body.get("petugas", 0),
        officer_names=names,
        source="api",
    )
    return {
        "tps": result.tps,
        "tingkat": result.tingkat,
        "alasan": result.alasan,
        "petugas": result.petugas,
        "nama_petugas": result.nama_petugas,
        "updated_at": result.updated_at,
        "changed": result.changed,
    }
