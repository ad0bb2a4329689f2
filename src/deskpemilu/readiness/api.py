"""/api/v1/readiness: CONTRACT.md's readiness endpoints. Thin: parse, check access, call a
service or a selector."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest
from ninja import Router, Status

from deskpemilu.accounts.access import get_region_for, get_tps_for
from deskpemilu.accounts.models import User
from deskpemilu.core.errors import ApiError
from deskpemilu.core.photos import MAX_UPLOAD_BYTES, PhotoError, store_photo
from deskpemilu.core.rules import api_rule
from deskpemilu.readiness import moments, selectors, services
from deskpemilu.readiness.checklist import items_in_force
from deskpemilu.readiness.models import Source, TpsItemState
from deskpemilu.readiness.schemas import (
    MOMENT_DOC,
    REPORT_BODY_DOC,
    HistoryOut,
    ItemOut,
    ReadinessSummaryOut,
    ReportOut,
    TpsReadinessOut,
)

router = Router(tags=["readiness"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _moment(pada: str) -> datetime | None:
    try:
        return moments.parse_moment(pada)
    except ValueError:
        raise ApiError(
            422, "waktu_tidak_valid", "pada: h-3, h-1, hari-h or YYYY-MM-DDTHH:MM", field="pada"
        ) from None


def _json_body(request: HttpRequest) -> Any:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(413, "terlalu_besar", "Body above 1 MB") from None
    try:
        return json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "bukan_json", "The body is not valid JSON") from None


def _writable_tps(request: HttpRequest, tps_code: str) -> Any:
    tps = get_tps_for(_user(request), tps_code, write=True)
    if not services.may_report(_user(request)):
        raise PermissionDenied
    return tps


@router.get("/readiness/items", response=list[ItemOut], summary="The checklist in force")
@api_rule("signed_in")
def items(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.item_rows()


@router.get(
    "/readiness/summary/{region_code}",
    response=ReadinessSummaryOut,
    summary="TPS ready in a region and in each child, and the problems (oldest first)",
    description=MOMENT_DOC,
)
@api_rule("scoped")
def summary(request: HttpRequest, region_code: str, pada: str = "") -> dict[str, Any]:
    region = get_region_for(_user(request), region_code)
    return selectors.region_summary(region, at=_moment(pada))


@router.get(
    "/readiness/{tps_code}",
    response=TpsReadinessOut,
    summary="A TPS's checklist: each item's state and its target at this TPS",
    description="`target` here is the quantity expected at this TPS (ballots: DPT + 2%). "
    + MOMENT_DOC,
)
@api_rule("scoped")
def tps_get(request: HttpRequest, tps_code: str, pada: str = "") -> dict[str, Any]:
    tps = get_tps_for(_user(request), tps_code)
    return selectors.tps_readiness(tps, at=_moment(pada))


@router.put(
    "/readiness/{tps_code}",
    response=ReportOut,
    summary="Report items of a TPS (any subset); every change is kept",
    openapi_extra=REPORT_BODY_DOC,
)
@api_rule("scoped:operator,lurah,camat,admin")
def tps_put(request: HttpRequest, tps_code: str) -> dict[str, Any]:
    tps = _writable_tps(request, tps_code)
    body = _json_body(request)
    entries = services.parse_report(body, {i.code: i for i in items_in_force()})
    result = services.readiness_report(
        actor=_user(request), tps=tps, entries=entries, source=Source.API
    )
    return _report_out(result)


@router.get(
    "/readiness/{tps_code}/history",
    response=list[HistoryOut],
    summary="Every report of a TPS, newest first",
)
@api_rule("scoped")
def tps_history(request: HttpRequest, tps_code: str) -> list[dict[str, Any]]:
    tps = get_tps_for(_user(request), tps_code)
    return selectors.tps_history(tps)


@router.post(
    "/readiness/{tps_code}/photos",
    response={201: ReportOut},
    summary="A photo of one item (multipart: item, foto, optional status and catatan)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["item", "foto"],
                        "properties": {
                            "item": {"type": "string"},
                            "status": {"type": "string", "enum": ["siap", "belum", "bermasalah"]},
                            "catatan": {"type": "string", "maxLength": 1000},
                            "foto": {"type": "string", "format": "binary"},
                        },
                    }
                }
            },
        }
    },
)
@api_rule("scoped:operator,lurah,camat,admin")
def tps_photo(request: HttpRequest, tps_code: str) -> Status[Any]:
    tps = _writable_tps(request, tps_code)
    items = {i.code: i for i in items_in_force()}
    code = request.POST.get("item", "")
    item = items.get(code)
    if item is None:
        raise ApiError(422, "butir_tidak_dikenal", "Unknown item", field="item")
    state = TpsItemState.objects.filter(tps=tps, item=item).first()
    status = request.POST.get("status") or (state.status if state else "")
    catatan = request.POST.get("catatan", state.catatan if state else "")
    entry: dict[str, Any] = {"status": status, "catatan": catatan}
    if state is not None and state.jumlah is not None:
        entry["jumlah"] = state.jumlah
    upload = request.FILES.get("foto")
    if upload is None:
        raise ApiError(422, "kunci_wajib", "Attach the photo as 'foto'", field="foto")
    try:
        parsed = services.parse_report({"items": {code: entry}}, items)[code]
        photo = store_photo(upload.read(MAX_UPLOAD_BYTES + 1))
    except PhotoError as exc:
        raise ApiError(exc.status, exc.code, str(exc), field="foto") from exc
    result = services.readiness_report(
        actor=_user(request),
        tps=tps,
        entries={code: services.ItemInput(parsed.status, parsed.jumlah, parsed.catatan, photo)},
        source=Source.API,
    )
    return Status(201, _report_out(result))


def _report_out(result: services.Reported) -> dict[str, Any]:
    return {
        "tps": result.tps,
        "percent_ready": result.percent_ready,
        "ready": result.ready,
        "items_ready": result.items_ready,
        "items_total": result.items_total,
        "changed": result.changed,
        "warnings": result.warnings,
    }
