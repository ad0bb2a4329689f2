"""/api/v1/incidents and /api/v1/requests (CONTRACT.md). Thin: parse, check access, call a
service, answer."""

from __future__ import annotations

import math
import re
from typing import Any, cast

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from deskpemilu.accounts.access import get_region_for, get_tps_for
from deskpemilu.accounts.models import Agency, User
from deskpemilu.core.errors import ApiError
from deskpemilu.core.photos import MAX_UPLOAD_BYTES, PhotoError, photos_body_doc, store_photos
from deskpemilu.core.rules import api_rule
from deskpemilu.incidents import access, facilitation, reports, selectors, workflow
from deskpemilu.incidents.models import Incident
from deskpemilu.incidents.schemas import (
    CreatedOut,
    EventIn,
    EventOut,
    IncidentDetailOut,
    IncidentIn,
    IncidentPage,
    RequestCreatedOut,
    RequestDetailOut,
    RequestEventIn,
    RequestEventOut,
    RequestIn,
    RequestPage,
)

router = Router(tags=["incidents"])

PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PHOTOS = 10
REPORTERS = "scoped:admin,camat,health,liaison,lurah,operator"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _if_match(request: HttpRequest) -> int | None:
    value = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise ApiError(422, "if_match_tidak_valid", "If-Match: a version", field="If-Match")
    return int(value)


def _page(qs: QuerySet[Any], page: int, per_page: int) -> tuple[list[Any], dict[str, int]]:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ApiError(422, "halaman_tidak_valid", "page ≥ 1, 1 ≤ per_page ≤ 200", field="page")
    paginator = Paginator(qs, per_page)
    count = paginator.count
    pages = max(1, math.ceil(count / per_page))
    try:
        items = list(paginator.page(page).object_list) if count else []
    except EmptyPage:
        items = []
    return items, {"count": count, "page": page, "pages": pages, "per_page": per_page}


SLUG = re.compile(r"^[a-z0-9-]{1,40}$")
NUMBER = re.compile(r"^[A-Za-z0-9-]{1,20}$")


def _agencies(slugs: list[str], field: str) -> list[Agency]:
    wanted = list(dict.fromkeys(s.strip() for s in slugs))
    malformed = [s for s in wanted if not SLUG.match(s)]
    if malformed:
        raise ApiError(422, "instansi_tidak_dikenal", "unknown agency", field=field)
    found = {a.slug: a for a in Agency.objects.filter(slug__in=wanted, is_active=True)}
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise ApiError(
            422, "instansi_tidak_dikenal", f"unknown agency: {', '.join(unknown)}", field=field
        )
    return [found[s] for s in wanted]


def _filter_region(request: HttpRequest, code: str) -> str:
    """A region filter must lie inside the reader's scope (404 like everywhere else)."""
    if code:
        get_region_for(_user(request), code)
    return code


@router.post(
    "/incidents",
    response={201: CreatedOut},
    summary="Report an incident (at a TPS or in a kelurahan)",
    description=(
        "Send an `Idempotency-Key` header (at most 64 letters, digits, '-', '_', '.') to make "
        "a retry safe: the same report with the same key answers the incident made the first "
        "time; the key with another report answers 422 `kunci_idempotensi_dipakai`."
    ),
)
@api_rule(REPORTERS)
def incident_create(request: HttpRequest, payload: IncidentIn) -> Status[Any]:
    user = _user(request)
    tps = get_tps_for(user, payload.tps_code) if payload.tps_code else None
    region = get_region_for(user, payload.region_code) if payload.region_code else None
    incident = reports.incident_report(
        actor=user,
        category=payload.category,
        severity=payload.severity,
        tps=tps,
        region=region,
        occurred_at=payload.occurred_at,
        description=payload.description,
        lat=payload.lat,
        lon=payload.lon,
        source="api",
        client_key=_idempotency_key(request),
    )
    return Status(201, {"id": incident.pk, "number": incident.number, "status": incident.status})


def _idempotency_key(request: HttpRequest) -> str:
    """A report sent again with the same key (a queue's retry after a lost answer) answers the
    incident made the first time; nothing new is stored."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 64 or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in key):
        raise ApiError(422, "kunci_idempotensi_tidak_valid", "Idempotency-Key: at most 64 "
                       "letters, digits, '-', '_' or '.'", field="Idempotency-Key")  # fmt: skip
    return key


@router.get(
    "/incidents",
    response=IncidentPage,
    summary="Incidents the caller may see, newest first, filtered and paginated",
    description=(
        "Filters: `status` (or `terbuka` for every open one), `category`, `severity`, `region` "
        "(a region code inside the caller's scope), `agency` (forwarded to it), `overdue=true` "
        "(past an SLA), `q` (a number or words of the description), `kerawanan` (`rawan`: at a "
        "TPS mapped rawan or sangat rawan; `sangat_rawan`), `pemilihan` (an election's code: "
        "its incidents, read-only; default the active election's; unknown: 422 "
        "`pemilihan_tidak_dikenal`). A liaison sees only incidents forwarded to their agency."
    ),
)
@api_rule("scoped")
def incident_list(
    request: HttpRequest,
    status: str = "",
    category: str = "",
    severity: str = "",
    region: str = "",
    agency: str = "",
    overdue: bool = False,
    q: str = "",
    kerawanan: str = "",
    pemilihan: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> dict[str, Any]:
    filters = selectors.IncidentFilters(
        election=pemilihan,
        status=status,
        category=category,
        severity=severity,
        region=_filter_region(request, region),
        agency=agency,
        overdue=overdue,
        q=q,
        kerawanan=kerawanan,
    )
    try:
        selectors.check_filters(filters)
    except selectors.FilterError as exc:
        raise ApiError(422, exc.code, str(exc), field=exc.field) from exc
    now = timezone.now()
    qs = selectors.with_list_relations(selectors.filtered_incidents(_user(request), filters, now))
    items, meta = _page(qs.order_by("-reported_at", "-id"), page, per_page)
    return {**meta, "items": [selectors.incident_row(i, now) for i in items]}


@router.get(
    "/incidents/{incident_id}",
    response=IncidentDetailOut,
    summary="One incident with its timeline (oldest first, starting with the report)",
)
@api_rule("scoped")
def incident_get(request: HttpRequest, incident_id: str, response: HttpResponse) -> Any:
    incident = access.get_incident_for(_user(request), incident_id)
    response["ETag"] = f'"{incident.version}"'
    return selectors.incident_detail(incident)


def _duplicate(request: HttpRequest, value: str | None) -> Incident | None:
    if not value:
        return None
    text = value.strip()
    if not NUMBER.match(text):
        raise ApiError(422, "duplikat_tidak_dikenal", "unknown incident", field="duplicate_of")
    if not text.isdigit():
        found = access.incidents_for(_user(request)).filter(number__iexact=text).first()
        if found is None:
            raise ApiError(422, "duplikat_tidak_dikenal", "unknown incident", field="duplicate_of")
        return found
    try:
        return access.get_incident_for(_user(request), text)
    except Http404:
        raise ApiError(
            422, "duplikat_tidak_dikenal", "unknown incident", field="duplicate_of"
        ) from None


@router.post(
    "/incidents/{incident_id}/events",
    response={201: EventOut},
    summary="Append a step to the timeline: a note, a status, forwarding, or a merge",
    description=(
        "Statuses: baru → diverifikasi → diteruskan → ditangani → selesai, or ditolak. The desk "
        "(admin) may set any status, forward (`forward_to`: agency slugs) and merge a duplicate "
        "(`duplicate_of`: its id or number; the incident becomes `ditolak`). A liaison of an "
        "agency it was forwarded to may add notes and set `ditangani`; the reporter may add "
        "notes. Send `expected_status` or `If-Match: <version>` to get 409 instead of acting "
        "on an incident someone else changed since you read it."
    ),
    openapi_extra={
        "parameters": [
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "The version (ETag) the caller saw; another answers 409.",
            }
        ]
    },
)
@api_rule("scoped")
def incident_event(
    request: HttpRequest, incident_id: str, payload: EventIn, response: HttpResponse
) -> Status[Any]:
    user = _user(request)
    incident = access.get_incident_for(user, incident_id, write=True)
    step = workflow.Step(
        note=payload.note,
        status=payload.status,
        forward_to=_agencies(payload.forward_to, "forward_to"),
        duplicate_of=_duplicate(request, payload.duplicate_of),
        expected_status=payload.expected_status,
        if_match=_if_match(request),
    )
    incident, event = workflow.incident_step(actor=user, incident=incident, step=step)
    response["ETag"] = f'"{incident.version}"'
    body = {
        "id": event.pk,
        "incident": incident.pk,
        "status": incident.status,
        "version": incident.version,
    }
    return Status(201, body)


@router.post(
    "/incidents/{incident_id}/photos",
    response={201: dict[str, list[str]]},
    summary="Attach photos of the scene (multipart, field 'foto')",
    openapi_extra=photos_body_doc(MAX_PHOTOS),
)
@api_rule("scoped")
def incident_photos(request: HttpRequest, incident_id: str) -> Status[Any]:
    user = _user(request)
    incident = access.get_incident_for(user, incident_id, write=True)
    # Files are read after the access checks, so an outsider learns nothing from a 422.
    foto = request.FILES.getlist("foto")
    if not foto:
        raise ApiError(422, "kunci_wajib", "Attach at least one photo as 'foto'", field="foto")
    if len(foto) > MAX_PHOTOS:
        raise ApiError(422, "foto_terlalu_banyak", "At most 10 photos", field="foto")
    try:
        stored = store_photos([upload.read(MAX_UPLOAD_BYTES + 1) for upload in foto])
    except PhotoError as exc:
        raise ApiError(exc.status, exc.code, str(exc), field="foto") from exc
    workflow.incident_photos_add(actor=user, incident=incident, photos=stored)
    return Status(201, {"sha256": [p.sha256 for p in stored]})


# --- Facilitation requests ------------------------------------------------------------------


@router.post(
    "/requests",
    response={201: RequestCreatedOut},
    summary="Submit a KPU/Bawaslu facilitation request",
)
@api_rule("scoped:admin,camat,liaison,lurah,operator")
def request_create(request: HttpRequest, payload: RequestIn) -> Status[Any]:
    user = _user(request)
    region = get_region_for(user, payload.region_code)
    agency = _agencies([payload.requested_by_agency], "requested_by_agency")[0]
    made = facilitation.request_submit(
        actor=user,
        kind=payload.kind,
        description=payload.description,
        region=region,
        needed_by=payload.needed_by,
        requested_by_agency=agency,
        requested_by_unit=payload.requested_by_unit,
    )
    return Status(201, {"id": made.pk, "number": made.number, "status": made.status})


@router.get(
    "/requests",
    response=RequestPage,
    summary="Facilitation requests the caller may see, by date needed",
    description=(
        "Filters: `status` (or `terbuka`), `kind`, `region`, `agency`, `pemilihan` (an "
        "election's code: its requests, read-only; default the active election's; unknown: "
        "422 `pemilihan_tidak_dikenal`)."
    ),
)
@api_rule("scoped")
def request_list(
    request: HttpRequest,
    status: str = "",
    kind: str = "",
    region: str = "",
    agency: str = "",
    pemilihan: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> dict[str, Any]:
    filters = selectors.RequestFilters(
        status=status,
        kind=kind,
        region=_filter_region(request, region),
        agency=agency,
        election=pemilihan,
    )
    try:
        selectors.check_request_filters(filters)
    except selectors.FilterError as exc:
        raise ApiError(422, exc.code, str(exc), field=exc.field) from exc
    now = timezone.now()
    qs = selectors.filtered_requests(_user(request), filters).order_by("needed_by", "id")
    items, meta = _page(qs, page, per_page)
    return {**meta, "items": [selectors.request_row(r, now) for r in items]}


@router.get(
    "/requests/{request_id}",
    response=RequestDetailOut,
    summary="One facilitation request with its timeline",
)
@api_rule("scoped")
def request_get(request: HttpRequest, request_id: str, response: HttpResponse) -> Any:
    found = access.get_request_for(_user(request), request_id)
    response["ETag"] = f'"{found.version}"'
    return selectors.request_detail(found)


@router.post(
    "/requests/{request_id}/events",
    response={201: RequestEventOut},
    summary="Append a step to a request: a note, a status, or the agency assigned",
    description=(
        "Statuses: diajukan → diproses → dipenuhi, or ditolak. The desk (admin) may set any "
        "status and assign an agency (`assign_to`); the assigned agency's liaison may add notes "
        "and set `diproses`/`dipenuhi`; the requesting agency and the requester may add notes."
    ),
)
@api_rule("scoped")
def request_event(
    request: HttpRequest, request_id: str, payload: RequestEventIn, response: HttpResponse
) -> Status[Any]:
    user = _user(request)
    found = access.get_request_for(user, request_id, write=True)
    assign = _agencies([payload.assign_to], "assign_to")[0] if payload.assign_to else None
    step = facilitation.RequestStep(
        note=payload.note,
        status=payload.status,
        assign_to=assign,
        expected_status=payload.expected_status,
        if_match=_if_match(request),
    )
    found, event = facilitation.request_step(actor=user, request=found, step=step)
    response["ETag"] = f'"{found.version}"'
    body = {"id": event.pk, "request": found.pk, "status": found.status, "version": found.version}
    return Status(201, body)
