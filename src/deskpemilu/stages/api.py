"""/api/v1/stages: the calendar of election stages and their status per kecamatan. Thin."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from deskpemilu.accounts.models import User
from deskpemilu.core.errors import ApiError
from deskpemilu.core.jsonbody import body_doc, parse_body
from deskpemilu.core.rules import api_rule
from deskpemilu.elections.entry import UNKNOWN, check_code, of_election
from deskpemilu.regions.models import Region
from deskpemilu.stages import selectors, services
from deskpemilu.stages.access import (
    get_kecamatan_to_update,
    get_stage_for,
    kecamatan_for,
    stages_visible,
    updates_stages,
)
from deskpemilu.stages.models import Stage
from deskpemilu.stages.schemas import StageDetailOut, StageIn, StageOut, StatusIn, StatusOut

router = Router(tags=["stages"])


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def stage_out(stage: Stage, cells: list[selectors.Cell], today: date) -> dict[str, Any]:
    counts = Counter(c.status for c in cells)
    return {
        "code": stage.code,
        "name": stage.name,
        "description": stage.description,
        "election": stage.election_id,
        "starts_on": stage.starts_on,
        "ends_on": stage.ends_on,
        "active": stage.active,
        "today": stage.is_on(today),
        "counts": {s: counts.get(s, 0) for s in selectors.STATE_ORDER},
        "kecamatan": [
            {
                "kecamatan_code": c.kecamatan.code,
                "kecamatan": c.kecamatan.name,
                "status": c.status,
                "note": c.note,
                "updated_at": timezone.localtime(c.updated_at) if c.updated_at else None,
            }
            for c in cells
        ],
    }


def _columns(rows: list[tuple[Region, list[selectors.Cell]]], n: int) -> list[list[selectors.Cell]]:
    return [[cells[i] for _k, cells in rows] for i in range(n)]


@router.get(
    "/stages",
    response=list[StageOut],
    summary="The stages the desk follows, with their status in each kecamatan",
    description="`pemilihan` (or `election`, its older name): an election's code (`pemilu2024`, "
    "`pilkada2024`: `GET /api/v1/elections`), whose calendar is listed; default the active "
    "election's; unknown: 422 `pemilihan_tidak_dikenal`. Another election's stages are "
    "read-only (409 `pemilihan_tidak_aktif`). `date` (default today, WITA) "
    "sets which stages are `today`; `today_only=true` keeps only those. A scoped account sees "
    "the kecamatan of its area. Statuses: `belum`, `berjalan`, `selesai`, `bermasalah`.",
)
@api_rule("signed_in")
def stages_list(
    request: HttpRequest,
    pemilihan: str = "",
    election: str = "",
    date: date | None = None,
    today_only: bool = False,
) -> list[dict[str, Any]]:
    user = _me(request)
    day = date or timezone.localdate()
    code = pemilihan or election
    if not check_code(code):
        raise ApiError(422, UNKNOWN, "unknown election", field="pemilihan")
    stages = of_election(stages_visible(user), code)
    if today_only:
        stages = stages.filter(starts_on__lte=day, ends_on__gte=day)
    stage_list = list(stages)
    rows = selectors.grid(stage_list, list(kecamatan_for(user)))
    columns = _columns(rows, len(stage_list))
    return [stage_out(s, columns[i], day) for i, s in enumerate(stage_list)]


@router.get("/stages/{code}", response=StageDetailOut, summary="One stage and its history")
@api_rule("signed_in")
def stages_get(request: HttpRequest, code: str) -> dict[str, Any]:
    user = _me(request)
    return _detail(user, get_stage_for(user, code))


def _detail(user: User, stage: Stage) -> dict[str, Any]:
    kecamatan = list(kecamatan_for(user))
    rows = selectors.grid([stage], kecamatan)
    out = stage_out(stage, [cells[0] for _k, cells in rows], timezone.localdate())
    out["history"] = [
        {
            "kecamatan_code": u.kecamatan_id,
            "status": u.status,
            "note": u.note,
            "at": timezone.localtime(u.at),
            "actor": u.actor_name,
        }
        for u in selectors.history(stage, kecamatan)
    ]
    return out


@router.put(
    "/stages/{code}",
    response=StageDetailOut,
    summary="The desk sets a stage's dates (and whether it is followed), audited",
    description="Only a stage of the active election: another election's calendar is "
    "read-only (409 `pemilihan_tidak_aktif`). `ends_on` before `starts_on`: 422 "
    "`rentang_terbalik`; a year outside 2000–2100: 422 `tanggal_di_luar_rentang`.",
    openapi_extra=body_doc(StageIn),
)
@api_rule("roles:admin")
def stages_put(request: HttpRequest, code: str) -> dict[str, Any]:
    user = _me(request)
    stage = get_stage_for(user, code)
    body = parse_body(request, StageIn)
    changed = services.stage_change(
        actor=user,
        stage=stage,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        active=body.active,
    )
    return _detail(user, changed)


@router.post(
    "/stages/{code}/status",
    response=StatusOut,
    summary="Set a stage's status in a kecamatan (the desk: any; a camat: their own)",
    description="A camat may set only their own kecamatan; another answers 404. "
    "`bermasalah` needs a note. Every change is kept in the stage's history.",
    openapi_extra=body_doc(StatusIn),
)
@api_rule("roles:admin,camat")
def stages_set_status(request: HttpRequest, code: str) -> dict[str, Any]:
    user = _me(request)
    if not updates_stages(user):
        raise ApiError(403, "forbidden", "Only the desk and camat update stages")
    stage = get_stage_for(user, code)
    body = parse_body(request, StatusIn)
    kecamatan = get_kecamatan_to_update(user, body.kecamatan_code)
    row = services.stage_status_set(
        actor=user, stage=stage, kecamatan=kecamatan, status=body.status, note=body.note
    )
    return {
        "stage": stage.code,
        "kecamatan_code": kecamatan.code,
        "status": row.status,
        "note": row.note,
        "updated_at": timezone.localtime(row.updated_at),
    }
