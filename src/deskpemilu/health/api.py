"""/api/v1/health: health incidents and their follow-ups, counts, puskesmas posts, shifts and
readiness. Thin: check access, call a service or a selector."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from deskpemilu.accounts.access import get_region_for, get_tps_for
from deskpemilu.accounts.models import User
from deskpemilu.core.errors import ApiError
from deskpemilu.core.rules import api_rule
from deskpemilu.elections.entry import UNKNOWN, check_code
from deskpemilu.health import access, facilities, selectors, services
from deskpemilu.health.models import Condition, HealthIncident, IncidentStatus
from deskpemilu.health.schemas import (
    ChecksIn,
    HealthCreatedOut,
    HealthFollowUpIn,
    HealthFollowUpOut,
    HealthIncidentDetailOut,
    HealthIncidentIn,
    HealthIncidentOut,
    HealthSummaryOut,
    PostIn,
    ShiftIn,
)
from deskpemilu.regions.models import Puskesmas

router = Router(tags=["health"])
SLUG = access.SLUG

PEMILIHAN = (
    "`pemilihan`: an election's code, its cases (read-only; a follow-up answers 409 "
    "`pemilihan_tidak_aktif`); default the active election's; unknown: 422 "
    "`pemilihan_tidak_dikenal`."
)
READERS = "scoped:admin,viewer,health,lurah,camat,liaison(dinkes)"


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    access.require_health_reader(user)
    return user


def _puskesmas(slug: str | None, field: str = "puskesmas") -> Puskesmas | None:
    if not slug:
        return None
    found = Puskesmas.objects.filter(code=slug).first() if SLUG.fullmatch(slug) else None
    if found is None:
        raise ApiError(422, "puskesmas_tidak_dikenal", "Unknown puskesmas", field=field)
    return found


def _names(user: User) -> bool:
    return user.role in access.NAME_READERS


def _scoped_incidents(request: HttpRequest, region: str, pemilihan: str = "") -> Any:
    user = _user(request)
    if not check_code(pemilihan):
        raise ApiError(422, UNKNOWN, "Unknown election", field="pemilihan")
    qs = access.incidents_for(user, pemilihan)
    if region:
        qs = qs.filter(tps__code__startswith=get_region_for(user, region).code)
    return qs


@router.post(
    "/health/incidents",
    response={201: HealthIncidentDetailOut},
    summary="Report a health incident of polling staff or a voter",
)
@api_rule("scoped:health,admin,lurah,camat")
def incident_create(request: HttpRequest, payload: HealthIncidentIn) -> Status[Any]:
    user = _user(request)
    access.require_role(user, access.INCIDENT_REPORTERS)
    tps = get_tps_for(user, payload.tps_code, write=True)
    occurred = payload.occurred_at
    if timezone.is_naive(occurred):
        occurred = timezone.make_aware(occurred, timezone.get_current_timezone())
    incident = services.incident_report(
        actor=user,
        tps=tps,
        person_role=payload.person_role,
        condition=payload.condition,
        occurred_at=occurred,
        note=payload.note,
        puskesmas=_puskesmas(payload.puskesmas),
        name=payload.name,
    )
    incident = access.get_health_incident_for(user, incident.pk)
    return Status(201, selectors.incident_detail(incident, names=_names(user)))


@router.get(
    "/health/incidents",
    response=list[HealthIncidentOut],
    summary="Health incidents in the caller's scope, newest first (at most 500)",
    description=PEMILIHAN,
)
@api_rule(READERS)
def incident_list(
    request: HttpRequest,
    region: str = "",
    status: str = "",
    condition: str = "",
    puskesmas: str = "",
    pemilihan: str = "",
) -> list[dict[str, Any]]:
    qs = _scoped_incidents(request, region, pemilihan)
    if status and status not in IncidentStatus.values:
        raise ApiError(422, "status_tidak_valid", "status: terbuka or ditutup", field="status")
    if condition and condition not in Condition.values:
        raise ApiError(422, "kondisi_tidak_valid", "Unknown condition", field="condition")
    if puskesmas and not SLUG.fullmatch(puskesmas):
        raise ApiError(422, "puskesmas_tidak_dikenal", "Unknown puskesmas", field="puskesmas")
    if status:
        qs = qs.filter(status=status)
    if condition:
        qs = qs.filter(condition=condition)
    if puskesmas:
        qs = qs.filter(puskesmas__code=puskesmas)
    return selectors.incident_list(qs, names=_names(_user(request)))


@router.get(
    "/health/incidents/{incident_id}",
    response=HealthIncidentDetailOut,
    summary="One health incident with its follow-ups, oldest first",
)
@api_rule(READERS)
def incident_get(request: HttpRequest, incident_id: str) -> dict[str, Any]:
    user = _user(request)
    incident = access.get_health_incident_for(user, incident_id)
    return selectors.incident_detail(incident, names=_names(user))


@router.post(
    "/health/incidents/{incident_id}/followups",
    response={201: HealthFollowUpOut},
    summary="Add a follow-up: a note, a new condition or puskesmas, or close the case",
)
@api_rule("scoped:health,admin")
def followup_create(
    request: HttpRequest, incident_id: str, payload: HealthFollowUpIn
) -> Status[Any]:
    user = _user(request)
    incident: HealthIncident = access.get_health_incident_for(user, incident_id)
    access.require_role(user, access.HEALTH_WRITERS)
    followup = services.incident_follow_up(
        actor=user,
        incident=incident,
        note=payload.note,
        condition=payload.condition or "",
        puskesmas=_puskesmas(payload.puskesmas),
        close=payload.close,
    )
    return Status(201, selectors.followup_row(followup))


@router.get(
    "/health/summary",
    response=HealthSummaryOut,
    summary="Counts of health incidents: in total, per puskesmas and per kecamatan",
    description=PEMILIHAN,
)
@api_rule(READERS)
def summary(request: HttpRequest, region: str = "", pemilihan: str = "") -> dict[str, Any]:
    qs = _scoped_incidents(request, region, pemilihan)
    user = _user(request)
    return {
        "region": region or user.scope or "",
        "totals": selectors.totals(qs),
        "by_puskesmas": selectors.counts_by_puskesmas(qs),
        "by_kecamatan": selectors.counts_by_kecamatan(qs),
    }


@router.get(
    "/health/puskesmas",
    response=list[dict[str, Any]],
    summary="Puskesmas in the caller's scope: service area, posts, today's staff, readiness",
)
@api_rule(READERS)
def puskesmas_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    views = selectors.puskesmas_views(access.puskesmas_for(user), day=timezone.localdate())
    return [selectors.puskesmas_row(v) for v in views]


@router.post(
    "/health/puskesmas/{slug}/posts",
    response={201: HealthCreatedOut},
    summary="Add a health post (posko kesehatan) of a puskesmas",
)
@api_rule("scoped:health,admin")
def post_create(request: HttpRequest, slug: str, payload: PostIn) -> Status[Any]:
    user = _user(request)
    puskesmas = access.get_puskesmas_for(user, slug, write=True)
    data = facilities.PostInput(**payload.dict())
    post = facilities.post_save(actor=user, puskesmas=puskesmas, data=data)
    return Status(201, {"id": post.pk})


@router.put(
    "/health/puskesmas/{slug}/shifts",
    response={200: HealthCreatedOut, 201: HealthCreatedOut},
    summary="Set the staff on duty for one shift of one day (201 new, 200 replaced)",
)
@api_rule("scoped:health,admin")
def shift_put(request: HttpRequest, slug: str, payload: ShiftIn) -> Status[Any]:
    user = _user(request)
    puskesmas = access.get_puskesmas_for(user, slug, write=True)
    row, created = facilities.shift_save(
        actor=user, puskesmas=puskesmas, data=facilities.ShiftInput(**payload.dict())
    )
    return Status(201 if created else 200, {"id": row.pk})


@router.put(
    "/health/puskesmas/{slug}/readiness",
    response=dict[str, list[str]],
    summary="Report items of a puskesmas's readiness (siap/belum/bermasalah); answers changed",
)
@api_rule("scoped:health,admin")
def readiness_put(request: HttpRequest, slug: str, payload: ChecksIn) -> dict[str, list[str]]:
    user = _user(request)
    puskesmas = access.get_puskesmas_for(user, slug, write=True)
    entries = {code: (i.status, i.catatan) for code, i in payload.items.items()}
    changed = facilities.puskesmas_check(actor=user, puskesmas=puskesmas, entries=entries)
    return {"changed": changed}
